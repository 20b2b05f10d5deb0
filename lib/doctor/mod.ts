/**
 * `leger doctor`: every precondition leger depends on, checked, each with
 * `pass`, `warn` or `fail` and the fix as lines to paste into a shell.
 *
 * Each check is a small function of the facts it judges, so that it is
 * tested without a host: Podman and the way leger installs units with it
 * ({@linkcode checkPodman}), Podman's secrets driver
 * ({@linkcode checkSecretsDriver}, from containers.conf,
 * {@linkcode readContainersConf}), systemd ({@linkcode checkSystemd}) and,
 * for a rootless user, linger ({@linkcode checkLinger}) and subordinate ids
 * ({@linkcode checkSubIds}), cgroups ({@linkcode checkCgroups}), leger's
 * folders ({@linkcode checkFolders}), Tailscale
 * ({@linkcode checkTailscale}), legerd ({@linkcode checkLegerd}), and for
 * each installed deployment its ports ({@linkcode checkPorts}) and its files
 * ({@linkcode checkDrift}). {@linkcode runDoctor} gathers the facts of all
 * of them at once, through a {@linkcode DoctorHost}: the host's files
 * ({@linkcode hostFiles}), a runner, legerd and Tailscale.
 *
 * ```ts
 * import { checkLinger, summarizeChecks } from "@leger/leger/doctor";
 * import { deepStrictEqual, strictEqual } from "node:assert/strict";
 *
 * const linger = checkLinger({ user: "alice", lingering: false });
 * strictEqual(linger.fix, "sudo loginctl enable-linger alice");
 * deepStrictEqual(summarizeChecks([linger]), { pass: 0, warn: 0, fail: 1, ok: false });
 * ```
 *
 * @module
 */
export * from "./types.ts";
export * from "./summarize_checks.ts";
export * from "./host_files.ts";
export * from "./check_podman.ts";
export * from "./read_containers_conf.ts";
export * from "./check_secrets_driver.ts";
export * from "./check_systemd.ts";
export * from "./check_linger.ts";
export * from "./check_sub_ids.ts";
export * from "./check_cgroups.ts";
export * from "./probe_writable.ts";
export * from "./check_folders.ts";
export * from "./check_tailscale.ts";
export * from "./check_legerd.ts";
export * from "./check_ports.ts";
export * from "./check_drift.ts";
export * from "./run_doctor.ts";
