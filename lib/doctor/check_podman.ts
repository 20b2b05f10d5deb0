import type { PodmanInfo } from "../adapters/podman_info.ts";
import type { Scope } from "../adapters/scope.ts";
import { LegerError } from "../errors/leger_error.ts";
import { CommandError } from "../adapters/command_error.ts";
import { packageCommand } from "./_package_command.ts";
import type { DoctorCheck } from "./types.ts";

/** What {@linkcode checkPodman} judges. */
export interface PodmanFacts {
  /** What `podman info` said, or why it could not say it. */
  info: PodmanInfo | Error;
  /** The scope checked. */
  scope: Scope;
  /** The scope's quadlet folder. */
  quadletDir: string;
  /** Podman's quadlet generator, or `null` when it is not installed. */
  generator: string | null;
  /** `LEGER_FORCE_QUADLET_FALLBACK=1`: copy the files even where `podman quadlet install` exists. */
  forceFallback: boolean;
  /** `/etc/os-release`, for the command that installs Podman; `null` when absent. */
  osRelease: string | null;
}

const VERSION_REGEXP = /^(\d+)\.(\d+)\.(\d+)/;

/**
 * Checks Podman: installed and working, 4.4 or newer (Quadlet), its quadlet
 * generator present, and which way leger installs units with it —
 * `podman quadlet install` from Podman 5.6, or, before, copying the files
 * into the quadlet folder and reloading systemd.
 *
 * @param facts What `podman info` said, the generator, the folder.
 * @returns `fail` without a working Podman 4.4 or newer and its generator,
 * else `pass` naming the way units are installed.
 *
 * @example Usage
 * ```ts
 * import { checkPodman } from "./check_podman.ts";
 * import { match, strictEqual } from "node:assert/strict";
 *
 * const check = checkPodman({
 *   info: { version: "4.3.1", uidMap: [], graphRoot: "" },
 *   scope: "user", quadletDir: "/home/a/.config/containers/systemd",
 *   generator: null, forceFallback: false, osRelease: "ID=debian\n",
 * });
 * strictEqual(check.status, "fail");
 * match(check.fix!, /sudo apt-get install podman/);
 * ```
 */
export function checkPodman(facts: PodmanFacts): DoctorCheck {
  const { info, scope, quadletDir, generator, forceFallback } = facts;
  const install = packageCommand(facts.osRelease, "podman") ??
    "# install Podman 5.6 or newer: see https://podman.io/docs/installation";
  const base = { id: "podman", group: "podman" } as const;
  if (info instanceof Error) {
    if (info instanceof LegerError && info.code === "ERR_COMMAND_NOT_FOUND") {
      return {
        ...base,
        title: "Podman is not installed",
        status: "fail",
        detail:
          "leger runs every deployment with Podman: `podman` is not in PATH.",
        fix: install,
      };
    }
    // Podman logs warnings around its error: the line that starts
    // "Error:" says what failed.
    const lines = info instanceof CommandError
      ? info.stderrTail.split("\n").filter((l) => l.trim() !== "")
      : [info.message];
    const said = lines.findLast((l) => l.startsWith("Error: ")) ??
      lines.at(-1) ?? `exit ${(info as CommandError).code}`;
    // Rootless Podman outside a user session (su, sudo -u) says so among
    // its warnings: the systemd check has that fix.
    const noSession = lines.some((l) => l.includes("no systemd user session"));
    return {
      ...base,
      title: "Podman does not work",
      status: "fail",
      detail: [
        `\`podman info\` failed: ${said}`,
        ...(noSession
          ? ["Podman finds no systemd user session: see the systemd check."]
          : []),
      ].join("\n"),
      fix: noSession
        ? "# fix the systemd check first, then run leger doctor again"
        : "podman info   # shows the whole error",
    };
  }
  const match = VERSION_REGEXP.exec(info.version);
  const [major, minor] = match === null
    ? [0, 0]
    : [Number(match[1]), Number(match[2])];
  const at = (m: number, n: number) => major > m || (major === m && minor >= n);
  const title = `Podman ${info.version}`;
  if (!at(4, 4)) {
    return {
      ...base,
      title,
      status: "fail",
      detail:
        `Quadlet needs Podman 4.4 or newer: Podman ${info.version} cannot run leger's units.`,
      fix: `${install}   # Podman 5.6 or newer is best`,
    };
  }
  if (generator === null) {
    return {
      ...base,
      title,
      status: "fail",
      detail:
        "Podman's quadlet generator is missing (/usr/libexec/podman/quadlet or /usr/lib/podman/quadlet): systemd cannot turn units into services.",
      fix: `${install}   # reinstall Podman with its quadlet generator`,
    };
  }
  const reload = `systemctl${scope === "user" ? " --user" : ""} daemon-reload`;
  const way = at(5, 6) && !forceFallback
    ? `leger installs units with \`podman quadlet install${
      at(5, 7) ? " --replace" : ""
    }\` into ${quadletDir}.`
    : `leger copies units into ${quadletDir} and runs \`${reload}\`${
      forceFallback
        ? " (LEGER_FORCE_QUADLET_FALLBACK=1)"
        : "; Podman 5.6 or newer has `podman quadlet install`"
    }.`;
  return {
    ...base,
    title,
    status: "pass",
    detail: `${way}\nPodman's generator: ${generator}.`,
    fix: null,
  };
}
