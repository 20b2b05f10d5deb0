/**
 * The edge of leger: the only code that starts processes and reads the
 * host. {@linkcode run} starts every program (with `Deno.Command`), and the
 * thin typed wrappers around it parse what the programs print:
 * Podman's version and resources, Podman's quadlet generator, `/proc/net`,
 * the processes working in a folder (`/proc/<pid>/cwd`) and the quadlet
 * folders. Each wrapper takes a {@linkcode Runner}, so tests
 * pass {@linkcode fakeRunner} and never start a process.
 *
 * ```ts
 * import { fakeRunner, listVolumes } from "@leger/leger/adapters";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const runner = fakeRunner([{
 *   bin: "podman",
 *   args: ["volume", "ls", "--format", "json"],
 *   result: { stdout: '[{"Name":"systemd-data"}]' },
 * }]);
 * deepStrictEqual(await listVolumes(runner), ["systemd-data"]);
 * runner.assertAllCalled();
 * ```
 *
 * @module
 */
export * from "./run.ts";
export * from "./command_error.ts";
export * from "./fake_runner.ts";
export * from "./podman.ts";
export * from "./podman_images.ts";
export * from "./proc_net.ts";
export * from "./processes_in_folder.ts";
export * from "./quadlet_generator.ts";
export * from "./installed_units.ts";
export * from "./tailscale.ts";
export * from "./tailscale_local_api.ts";
export * from "./systemctl.ts";
export * from "./podman_quadlet.ts";
export * from "./journal.ts";
export * from "./scope.ts";
export * from "./quadlet_support.ts";
export * from "./host_ops.ts";
export * from "./podman_secrets.ts";
export * from "./podman_volumes.ts";
export * from "./systemctl_services.ts";
export * from "./podman_ps.ts";
export * from "./podman_info.ts";
export * from "./shell_word.ts";
