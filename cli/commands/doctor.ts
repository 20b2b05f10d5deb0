/**
 * `leger doctor [--scope …] [--json]`: every precondition leger depends on
 * in a scope, each with pass, warn or fail and the fix to paste (see
 * lib/doctor). The checks run at once: one `podman info`, one
 * `systemctl is-system-running`, one `tailscale status`, and for the
 * installed deployments' ports one `podman ps` and `/proc/net`. Exit 0 when
 * nothing fails (warnings allowed), 1 otherwise.
 *
 * @module
 */
import { readTailscaleStatus } from "../../lib/adapters/tailscale.ts";
import { DEFAULT_TAILSCALED_SOCKET } from "../../lib/adapters/tailscale_local_api.ts";
import type { Scope } from "../../lib/adapters/scope.ts";
import { resolveScope } from "../../lib/deploy/scope.ts";
import { type HostFiles, hostFiles } from "../../lib/doctor/host_files.ts";
import { runDoctor } from "../../lib/doctor/run_doctor.ts";
import {
  CHECK_GROUPS,
  type CheckGroup,
  type CheckStatus,
  type DoctorReport,
} from "../../lib/doctor/types.ts";
import { LegerError } from "../../lib/errors/leger_error.ts";
import type { CommandDeps } from "../deps.ts";
import { legerdOf } from "../legerd.ts";
import { flag, scopeOption } from "../options.ts";
import type { CommandLine } from "../spec.ts";

/** The options of `leger doctor`. */
export interface DoctorOptions {
  /** `--scope`, or the default of the user running leger. */
  scope?: Scope;
  /** Print one JSON document. */
  json: boolean;
}

/**
 * The dependencies of `leger doctor`: every command's, and where it reads
 * the host's own files (`/etc/subuid`, `/sys/fs/cgroup`, …): the real ones
 * when absent (tests pass a folder standing for `/`).
 */
export interface DoctorDeps extends CommandDeps {
  hostFiles?: HostFiles;
}

/** Reads the command line of `leger doctor`. */
export function parse(line: CommandLine): DoctorOptions {
  return { scope: scopeOption(line), json: flag(line, "json") };
}

/** Runs `leger doctor`. */
export async function run(
  options: DoctorOptions,
  deps: DoctorDeps,
): Promise<number> {
  const { context } = deps;
  const scope = resolveScope(options.scope, context);
  checkScopeReadable(scope, context.uid);
  const report = await runDoctor(
    { scope, uid: context.uid, home: context.home, env: context.env },
    {
      files: deps.hostFiles ?? hostFiles({ runner: deps.runner }),
      runner: deps.runner,
      legerdHealth: () => legerdOf(deps, scope).health(),
      readTailscale: () =>
        readTailscaleStatus({
          runner: deps.runner,
          socketPath: context.env("LEGER_TAILSCALE_SOCKET") ||
            DEFAULT_TAILSCALED_SOCKET,
          action: "read the Tailscale status",
        }),
    },
  );
  context.out(
    options.json
      ? JSON.stringify(report, null, 2) + "\n"
      : renderDoctor(report, {
        terminal: context.stdoutIsTerminal,
        color: context.color,
        program: context.program ?? "leger",
      }),
  );
  return report.summary.ok ? 0 : 1;
}

/**
 * Podman, systemd and leger's state belong to the user running them: root
 * checks the system scope, anyone else their own.
 */
function checkScopeReadable(scope: Scope, uid: number): void {
  if (scope === "system" && uid !== 0) {
    throw new LegerError(
      "ERR_USAGE",
      "Cannot check the system scope: it needs root",
      {
        remedy:
          "Run `sudo leger doctor`, or drop --scope system to check your own (user) scope",
      },
    );
  }
  if (scope === "user" && uid === 0) {
    throw new LegerError(
      "ERR_USAGE",
      "Cannot check root's user scope: leger installs root's deployments in the system scope",
      {
        remedy:
          "Drop --scope user (root checks the system scope), or run `leger doctor` as the user who runs the services",
      },
    );
  }
}

const GROUP_TITLES: Record<CheckGroup, string> = {
  podman: "Podman",
  systemd: "systemd",
  host: "This host",
  leger: "leger",
  deployments: "Deployments",
};

const MARKS: Record<CheckStatus, { mark: string; colour: number }> = {
  pass: { mark: "✓", colour: 32 },
  warn: { mark: "!", colour: 33 },
  fail: { mark: "✗", colour: 31 },
};

/**
 * The report for a person: the checks by group, one line each (`✓`, `!`,
 * `✗` on a terminal, else the words `pass`, `warn`, `fail`), its detail
 * and fix under it, then a line that sums them up.
 */
function renderDoctor(
  report: DoctorReport,
  options: { terminal: boolean; color: boolean; program: string },
): string {
  const { terminal, color, program } = options;
  const paint = (text: string, code: number) =>
    color ? `\x1b[${code}m${text}\x1b[0m` : text;
  const lines: string[] = [];
  for (const group of CHECK_GROUPS) {
    const checks = report.checks.filter((c) => c.group === group);
    if (checks.length === 0) continue;
    if (lines.length > 0) lines.push("");
    lines.push(paint(GROUP_TITLES[group], 1));
    for (const check of checks) {
      const { mark, colour } = MARKS[check.status];
      lines.push(
        `  ${paint(terminal ? mark : check.status, colour)} ${check.title}`,
      );
      for (const line of check.detail.split("\n")) lines.push(`      ${line}`);
      if (check.fix === null) continue;
      const fix = check.fix.split("\n").map((line) =>
        line.startsWith("leger ") ? `${program}${line.slice(5)}` : line
      );
      if (fix.length === 1) lines.push(`      fix: ${fix[0]}`);
      else lines.push("      fix:", ...fix.map((line) => `        ${line}`));
    }
  }
  const { pass, warn, fail, ok } = report.summary;
  const total = pass + warn + fail;
  lines.push(
    "",
    `${total} checks in the ${report.scope} scope: ${pass} passed, ${warn} warning${
      warn === 1 ? "" : "s"
    }, ${fail} failed${
      ok ? "" : `: fix what failed, then run \`${program} doctor\` again`
    }`,
  );
  return lines.join("\n") + "\n";
}
