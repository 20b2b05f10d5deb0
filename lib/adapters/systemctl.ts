import type { Scope } from "./scope.ts";
import { run, type Runner } from "./run.ts";

/** The state of one systemd unit, as `systemctl show` reports it. */
export interface UnitState {
  /** The unit name asked about, such as `web.service`. */
  id: string;
  /** `loaded`, `not-found`, `error`, `masked`. */
  loadState: string;
  /** `active`, `activating`, `inactive`, `failed`, `deactivating`, `reloading`. */
  activeState: string;
  /** `running`, `exited`, `dead`, `failed`, `start`, … */
  subState: string;
  /** `success`, `exit-code`, `signal`, `timeout`, … */
  result: string;
  /**
   * When the unit last became active (`ActiveEnterTimestamp`), RFC 3339;
   * `null` when it never did. {@linkcode showUnits} always reads it.
   */
  activeEnterTimestamp?: string | null;
  /**
   * When its active state last changed (`StateChangeTimestamp`), RFC 3339;
   * `null` when it never did. {@linkcode showUnits} always reads it.
   */
  stateChangeTimestamp?: string | null;
}

const SHOW_PROPERTIES =
  "Id,LoadState,ActiveState,SubState,Result,ActiveEnterTimestamp,StateChangeTimestamp";

/**
 * Runs `systemctl` in a scope (`--user` for the user scope).
 *
 * Requires `--allow-run=systemctl`.
 *
 * @example Usage
 * ```ts ignore
 * import { systemctl } from "./systemctl.ts";
 * await systemctl("user", ["daemon-reload"]);
 * ```
 */
export async function systemctl(
  scope: Scope,
  args: readonly string[],
  options: {
    runner?: Runner;
    allowedExitCodes?: number[];
    signal?: AbortSignal;
  } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const { runner = run, allowedExitCodes, signal } = options;
  const scoped = scope === "user" ? ["--user", ...args] : [...args];
  return await runner("systemctl", scoped, { allowedExitCodes, signal });
}

/**
 * A unit as `systemctl list-units --plain --no-legend` lists it: its name
 * (`worker@a.service`) and states, as in {@linkcode UnitState}, without the
 * result.
 */
export type ListedUnit = Omit<UnitState, "result">;

/**
 * The units systemd has loaded that match some names or glob patterns
 * (`worker@*.service`), whatever their state, with one `systemctl [--user]
 * list-units --all --plain --no-legend --full -- PATTERN…`.
 *
 * Requires `--allow-run=systemctl`.
 *
 * @param scope `user` adds `--user`.
 * @param patterns Unit names or glob patterns.
 * @param options The runner.
 * @returns The units, in systemctl's order; nothing is run for an empty
 * list.
 * @throws {CommandError} When systemctl fails.
 *
 * @example Usage
 * ```ts
 * import { listUnits } from "./systemctl.ts";
 * import { fakeRunner } from "./fake_runner.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const runner = fakeRunner([{
 *   bin: "systemctl",
 *   args: ["--user", "list-units", "--all", "--plain", "--no-legend", "--full", "--", "worker@*.service"],
 *   result: { stdout: "worker@a.service loaded active running worker a\n" },
 * }]);
 * deepStrictEqual(await listUnits("user", ["worker@*.service"], { runner }), [{
 *   id: "worker@a.service",
 *   loadState: "loaded",
 *   activeState: "active",
 *   subState: "running",
 * }]);
 * ```
 */
export async function listUnits(
  scope: Scope,
  patterns: readonly string[],
  options: { runner?: Runner } = {},
): Promise<ListedUnit[]> {
  if (patterns.length === 0) return [];
  const { stdout } = await systemctl(
    scope,
    [
      "list-units",
      "--all",
      "--plain",
      "--no-legend",
      "--full",
      "--",
      ...patterns,
    ],
    options,
  );
  const units: ListedUnit[] = [];
  for (const line of stdout.split("\n")) {
    // A failed unit may be marked with a bullet in the first column.
    const [id, loadState = "", activeState = "", subState = ""] = line
      .replace(/^\s*[●*]\s*/, "").trim().split(/\s+/);
    if (id !== "") units.push({ id, loadState, activeState, subState });
  }
  return units;
}

/**
 * Reads the state of many units with one `systemctl show` call, so the number
 * of processes does not grow with the number of units. Units systemd does not
 * know come back with `loadState` `not-found`. Times are asked for as Unix
 * seconds (`--timestamp=unix`, systemd 251 and later), which do not depend on
 * the host's time zone.
 *
 * @example Usage
 * ```ts ignore
 * import { showUnits } from "./systemctl.ts";
 * const [web] = await showUnits("user", ["web.service"]);
 * ```
 */
export async function showUnits(
  scope: Scope,
  units: readonly string[],
  options: { runner?: Runner } = {},
): Promise<UnitState[]> {
  if (units.length === 0) return [];
  const { stdout } = await systemctl(
    scope,
    [
      "show",
      `--property=${SHOW_PROPERTIES}`,
      "--timestamp=unix",
      "--",
      ...units,
    ],
    options,
  );
  return parseShowOutput(stdout, units);
}

/**
 * Parses `systemctl show` output for several units: blocks of `Key=value`
 * lines separated by blank lines, in the order the units were asked for.
 *
 * @example Usage
 * ```ts
 * import { parseShowOutput } from "./systemctl.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const [web] = parseShowOutput(
 *   "Id=web.service\nLoadState=loaded\nActiveState=active\nSubState=running\nResult=success\nActiveEnterTimestamp=@1796064081\n",
 *   ["web.service"],
 * );
 * strictEqual(web.activeState, "active");
 * strictEqual(web.activeEnterTimestamp, "2026-11-30T18:41:21.000Z");
 * ```
 */
export function parseShowOutput(
  stdout: string,
  units: readonly string[],
): UnitState[] {
  const blocks = stdout.trim() === "" ? [] : stdout.trim().split(/\n\s*\n/);
  if (blocks.length !== units.length) {
    throw new SyntaxError(
      `Cannot read "systemctl show": expected ${units.length} blocks, got ${blocks.length}`,
    );
  }
  return blocks.map((block, index) => {
    const values = new Map<string, string>();
    for (const line of block.split("\n")) {
      const equals = line.indexOf("=");
      if (equals > 0) values.set(line.slice(0, equals), line.slice(equals + 1));
    }
    return {
      id: units[index],
      loadState: values.get("LoadState") ?? "",
      activeState: values.get("ActiveState") ?? "",
      subState: values.get("SubState") ?? "",
      result: values.get("Result") ?? "",
      activeEnterTimestamp: unixTime(values.get("ActiveEnterTimestamp")),
      stateChangeTimestamp: unixTime(values.get("StateChangeTimestamp")),
    };
  });
}

/**
 * A time as `systemctl show --timestamp=unix` writes it (`@1796064081`) in
 * RFC 3339; `null` for an empty value (never happened). A time in systemd's
 * default form (`Mon 2026-11-30 18:41:21 UTC`) is read when it names UTC.
 */
function unixTime(value: string | undefined): string | null {
  if (value === undefined || value === "" || value === "n/a") return null;
  const seconds = /^@(\d+)$/.exec(value)?.[1];
  if (seconds !== undefined) {
    return new Date(Number(seconds) * 1000).toISOString();
  }
  const utc = /^\w+ (\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d) UTC$/.exec(value);
  return utc === null ? null : new Date(`${utc[1]}T${utc[2]}Z`).toISOString();
}

/** The properties {@linkcode showRequirements} reads: the units a unit cannot run without. */
const REQUIREMENT_PROPERTIES = ["Requires", "Requisite", "BindsTo"] as const;

/**
 * The units a unit requires, with one `systemctl show
 * --property=Requires,Requisite,BindsTo`: those whose failure to start fails
 * its start job with result `dependency` (systemd.unit(5)). Podman's
 * generator adds `Requires=` on the services of the volume, network, image
 * and build units a quadlet names, and `BindsTo=` on its pod's service.
 * `After=` alone orders without requiring, and is left out.
 *
 * Requires `--allow-run=systemctl`.
 *
 * @param scope The scope the unit runs in.
 * @param unit The unit, such as `api.service`.
 * @param options The runner.
 * @returns The required units, each once, in the order systemd lists them;
 * empty for a unit systemd does not know.
 *
 * @example Usage
 * ```ts ignore
 * import { showRequirements } from "./systemctl.ts";
 * const required = await showRequirements("user", "api.service");
 * // ["notes-network.service", "api-data-volume.service", …]
 * ```
 */
export async function showRequirements(
  scope: Scope,
  unit: string,
  options: { runner?: Runner } = {},
): Promise<string[]> {
  const { stdout } = await systemctl(
    scope,
    ["show", `--property=${REQUIREMENT_PROPERTIES.join(",")}`, "--", unit],
    options,
  );
  const required: string[] = [];
  for (const line of stdout.split("\n")) {
    const equals = line.indexOf("=");
    const key = line.slice(0, equals);
    if (
      equals <= 0 ||
      !(REQUIREMENT_PROPERTIES as readonly string[]).includes(key)
    ) continue;
    for (const name of line.slice(equals + 1).split(/\s+/)) {
      if (name !== "" && !required.includes(name)) required.push(name);
    }
  }
  return required;
}
