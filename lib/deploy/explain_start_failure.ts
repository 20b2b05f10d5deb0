import { CommandError } from "../adapters/command_error.ts";
import type { UnitState } from "../adapters/systemctl.ts";
import type { ErrorCode } from "../errors/codes.ts";
import { LegerError } from "../errors/leger_error.ts";
import { podmanSecretCreateHint } from "../secrets/podman_secret_create_hint.ts";
import { secretNameProblem } from "../secrets/secret_name_problem.ts";

/**
 * What {@linkcode explainStartFailure} needs from the host: the real one is
 * `HostOps` (`lib/adapters/host_ops.ts`) with a `dependencies` method over
 * `showRequirements` (`lib/adapters/systemctl.ts`).
 */
export interface StartFailureHost {
  /**
   * The state of each unit, in the order given (`systemctl show`); a unit
   * systemd does not know has `loadState` `not-found`.
   */
  states(services: readonly string[]): Promise<UnitState[]>;
  /**
   * The units `service` requires (`Requires=`, `Requisite=`, `BindsTo=`):
   * those whose failure fails its start with result `dependency`.
   */
  dependencies(service: string): Promise<string[]>;
  /** The last `lines` lines a unit wrote to the journal of the scope, empty lines left out. */
  journalTail(service: string, lines: number): Promise<string[]>;
  /** The command a person runs to read a unit's whole journal (`journalctl --user -u x.service`). */
  journalCommand(service: string): string;
}

/** Options for {@linkcode explainStartFailure}. */
export interface ExplainStartFailureOptions {
  /**
   * How many of the failed unit's last journal lines to read and show.
   *
   * @default {10}
   */
  journalLines?: number;
  /**
   * How many requirements deep to look for the unit that failed
   * (`api.service` → `db.service` → `db-data-volume.service` is two).
   *
   * @default {4}
   */
  depth?: number;
  /**
   * A sentence that opens the remedy, such as `"Everything was rolled
   * back."`; none when empty.
   *
   * @default {""}
   */
  preface?: string;
  /**
   * What to do once the cause is fixed, closing the remedy.
   *
   * @default {"install again"}
   */
  retry?: string;
}

/** A cause read from journal lines: its code, first line and fix. */
interface Diagnosis {
  code: ErrorCode;
  /** What follows `Cannot start "unit": `. */
  reason: string;
  /** The fix, before "Read the whole log with …". */
  fix: string;
}

const SECRET_REGEXP =
  /no secret with name or id|no such secret|\bsecret\b.*\bnot found/i;
const SECRET_NAME_REGEXPS = [
  /no secret with name or id "?([^"\s:]+)"?/i,
  /\bsecret "?([^"\s:]+)"? not found/i,
];
// "bind: permission denied" is a privileged port, not one that is taken.
const PORT_REGEXP =
  /address already in use|cannot listen on the (?:tcp|udp) port|rootlessport listen (?:tcp|udp)|bind: (?!permission denied)/i;
const PORT_NUMBER_REGEXP =
  /\b(?:tcp|udp)[46]?\s+\[?[0-9a-f.:]*\]?:(\d{1,5})\b/i;
const PULL_REGEXPS = [
  /initializing source/i,
  /manifest unknown/i,
  /name unknown/i,
  /unable to pull/i,
  /requested access to the resource is denied/i,
  /short-name .* did not resolve/i,
  /\bpull(?:ing)?\b.*\b(?:error|fail\w*|denied|unauthorized)\b/i,
  /\b(?:error|fail\w*)\b.*\bpull(?:ing)?\b/i,
  /^Error: .*\bimage\b/i,
];
const IMAGE_NAME_REGEXP =
  /(?:docker:\/\/|\bpull(?:ing)? (?:image )?)([a-z0-9][\w.\-/:@]*\w)/i;
const SUBNET_REGEXP = /subnet .*(?:already used|in use|overlaps)/i;

/**
 * Finds why a service did not start and says it as the user needs it: the
 * unit that really failed, the cause its journal gives, and the fix.
 *
 * A service whose start failed because a unit it requires failed (the job
 * result `dependency`: a network whose `Subnet=` is taken, a volume, an
 * image pull, a pod) is only "inactive"; the cause is in the journal of the
 * failed requirement. So the service's requirements (`Requires=`,
 * `Requisite=`, `BindsTo=`) that are not active are followed, depth first,
 * to a failed unit; without one, the service itself is the failed unit. The
 * failed unit's last journal lines then give the code:
 *
 * - `ERR_SECRET_MISSING`: Podman has no secret of a `Secret=` name ("no
 *   secret with name or id");
 * - `ERR_PORT_CONFLICT`: a published host port is taken ("address already
 *   in use", "cannot listen on the TCP port", "rootlessport listen tcp");
 * - `ERR_IMAGE_PULL_FAILED`: the image cannot be pulled ("initializing
 *   source", "manifest unknown", "name unknown", "unable to pull", an
 *   `Error:` about the image);
 * - `ERR_SERVICE_START_FAILED` otherwise.
 *
 * The message names the failed unit, a detail line the service that needed
 * it, and the remedy always says how to read the whole log.
 *
 * @param service The service that did not start or stay up, such as
 * `api.service`.
 * @param ops The host: unit states, requirements and journals.
 * @param options How many journal lines, how deep, and the remedy's ends.
 * @returns The error to throw (never rejects because the host cannot be
 * read: what is unknown is left out).
 *
 * @example Usage
 * ```ts
 * import { explainStartFailure } from "./explain_start_failure.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const state = (id: string, activeState: string, result: string) => ({
 *   id, loadState: "loaded", activeState, subState: activeState === "failed" ? "failed" : "dead", result,
 * });
 * const host = {
 *   states: (units: readonly string[]) =>
 *     Promise.resolve(units.map((u) =>
 *       u === "notes-network.service" ? state(u, "failed", "exit-code") : state(u, "inactive", "success")
 *     )),
 *   dependencies: (unit: string) =>
 *     Promise.resolve(unit === "api.service" ? ["notes-network.service"] : []),
 *   journalTail: () =>
 *     Promise.resolve(["Error: subnet 10.89.0.0/24 is already used on the host or by another config"]),
 *   journalCommand: (unit: string) => `journalctl --user -u ${unit}`,
 * };
 * const error = await explainStartFailure("api.service", host);
 * strictEqual(error.code, "ERR_SERVICE_START_FAILED");
 * strictEqual(
 *   error.message,
 *   'Cannot start "notes-network.service": its subnet is already in use (failed, exit-code)',
 * );
 * strictEqual(error.details[0], "the service that needed it: api.service");
 * ```
 */
export async function explainStartFailure(
  service: string,
  ops: StartFailureHost,
  options: ExplainStartFailureOptions = {},
): Promise<LegerError> {
  const {
    journalLines = 10,
    depth = 4,
    preface = "",
    retry = "install again",
  } = options;
  const own = (await readStates(ops, [service]))[0] ?? unknownState(service);
  const failed = await failedRequirement(service, {
    ops,
    depth,
    visited: new Set([service]),
  }) ?? own;
  const unit = failed.id;
  let journal: string[] = [];
  let unreadable: string | undefined;
  try {
    journal = failed.result === "start-limit-hit"
      // Its last lines are systemd's restart loop: the cause is before.
      ? withoutRestartLoop(await ops.journalTail(unit, 5 * journalLines))
        .slice(-journalLines)
      : await ops.journalTail(unit, journalLines);
  } catch (error) {
    if (!(error instanceof CommandError)) throw error;
    unreadable = error.message;
  }
  const diagnosis = diagnose(journal, failed);
  const read = `Read the whole log with \`${ops.journalCommand(unit)}\``;
  if (failed.result === "start-limit-hit") {
    // systemd refuses every start until its failures are forgotten: the
    // retry alone would fail the same way.
    const user = ops.journalCommand(unit).includes("--user") ? "--user " : "";
    diagnosis.reason =
      `it failed too often in a row, and systemd no longer starts it (${failed.activeState}, start-limit-hit)`;
    diagnosis.fix = [
      diagnosis.fix === "" ? "Fix the cause its journal gives" : diagnosis.fix,
      `run \`systemctl ${user}reset-failed ${unit}\``,
    ].join(", then ");
  }
  return new LegerError(
    diagnosis.code,
    `Cannot start "${unit}": ${diagnosis.reason}`,
    {
      details: [
        ...(unit === service ? [] : [`the service that needed it: ${service}`]),
        ...(journal.length > 0
          ? ["last journal lines:", ...journal.map((line) => `  ${line}`)]
          : []),
        ...(unreadable === undefined
          ? []
          : [`its journal cannot be read: ${unreadable}`]),
      ],
      remedy: [
        preface,
        diagnosis.fix === ""
          ? `${read}, fix the unit and ${retry}`
          : `${diagnosis.fix}, then ${retry}. ${read}`,
      ].filter((part) => part !== "").join(" "),
    },
  );
}

/**
 * The failed unit behind `unit`, looking through its requirements that are
 * not active, deepest first; `null` when none failed.
 */
async function failedRequirement(
  unit: string,
  walk: { ops: StartFailureHost; depth: number; visited: Set<string> },
): Promise<UnitState | null> {
  const { ops, depth, visited } = walk;
  if (depth <= 0) return null;
  let required: string[];
  try {
    required = (await ops.dependencies(unit)).filter((u) => !visited.has(u));
  } catch (error) {
    if (!(error instanceof CommandError)) throw error;
    return null;
  }
  if (required.length === 0) return null;
  for (const name of required) visited.add(name);
  const states = await readStates(ops, required);
  // Failed units first: an inactive one may only be waiting on another.
  const down = [
    ...states.filter((s) => s.activeState === "failed"),
    ...states.filter((s) =>
      s.activeState !== "failed" && s.activeState !== "active"
    ),
  ];
  for (const state of down) {
    const deeper = await failedRequirement(state.id, {
      ops,
      depth: depth - 1,
      visited,
    });
    if (deeper !== null) return deeper;
    if (state.activeState === "failed") return state;
  }
  return null;
}

async function readStates(
  ops: StartFailureHost,
  units: readonly string[],
): Promise<UnitState[]> {
  try {
    return await ops.states(units);
  } catch (error) {
    if (!(error instanceof CommandError)) throw error;
    return [];
  }
}

function unknownState(id: string): UnitState {
  return {
    id,
    loadState: "unknown",
    activeState: "unknown",
    subState: "unknown",
    result: "",
  };
}

/** Reads the cause from a failed unit's last journal lines. */
function diagnose(journal: readonly string[], state: UnitState): Diagnosis {
  const text = journal.join("\n");
  const line = (regexp: RegExp) => journal.find((l) => regexp.test(l));
  if (SECRET_REGEXP.test(text)) {
    const name = SECRET_NAME_REGEXPS.map((r) => r.exec(text)?.[1]).find((n) =>
      n !== undefined
    );
    return {
      code: "ERR_SECRET_MISSING",
      reason: name === undefined
        ? "a secret it uses does not exist in Podman"
        : `Podman has no secret "${name}"`,
      fix: name !== undefined && secretNameProblem(name) !== null
        ? `Create it in Podman with ${podmanSecretCreateHint(name)}`
        : `Add it to leger.run with \`leger secrets set ${name ?? "NAME"}\``,
    };
  }
  const portLine = line(PORT_REGEXP);
  if (portLine !== undefined) {
    const port = PORT_NUMBER_REGEXP.exec(portLine)?.[1];
    return {
      code: "ERR_PORT_CONFLICT",
      reason: port === undefined
        ? "a host port it publishes is already in use"
        : `host port ${port} is already in use`,
      fix: port === undefined
        ? "Change PublishPort= of its unit, or stop the program that holds the port"
        : `Change PublishPort= of its unit, or stop the program that holds the port (\`ss -ltnp 'sport = :${port}'\` shows it)`,
    };
  }
  const pullLine = journal.find((l) => PULL_REGEXPS.some((r) => r.test(l)));
  if (pullLine !== undefined) {
    const image = journal.map((l) => IMAGE_NAME_REGEXP.exec(l)?.[1]).find((
      i,
    ) => i !== undefined);
    return {
      code: "ERR_IMAGE_PULL_FAILED",
      reason: image === undefined
        ? "its image cannot be pulled"
        : `image "${image}" cannot be pulled`,
      fix:
        `Check Image= (name, tag, registry; \`podman login\` for a private one)${
          image === undefined ? "" : ` and try \`podman pull ${image}\``
        }`,
    };
  }
  const how = `${state.subState}${
    state.result !== "" && state.result !== "success" ? `, ${state.result}` : ""
  }`;
  if (SUBNET_REGEXP.test(text)) {
    return {
      code: "ERR_SERVICE_START_FAILED",
      reason: `its subnet is already in use (${how})`,
      fix:
        "Set Subnet= of the network to a free range (`podman network ls` and `podman network inspect` show those in use)",
    };
  }
  return {
    code: "ERR_SERVICE_START_FAILED",
    reason: `it is ${state.activeState} (${how})`,
    fix: "",
  };
}

/**
 * systemd's own lines of a restart loop (Restart=), which say nothing of
 * why the service failed, as journalctl prints them.
 */
const RESTART_LOOP_REGEXP =
  /: (Scheduled restart job|Start request repeated too quickly|Failed with result '|Main process exited, code=|Failed to read pids\.max|Killing process \d+ .* with signal)|(^|: )(Stopped|Starting|Failed to start) \S+\.service( - .*)?$/;

/** A journal without the lines of systemd's restart loop. */
function withoutRestartLoop(lines: readonly string[]): string[] {
  return lines.filter((line) => !RESTART_LOOP_REGEXP.test(line));
}
