import type { QuadletUnit } from "../quadlet/types.ts";
import type { UnitFile } from "../unit/types.ts";
import { healthUrlEntry } from "./health_url_entry.ts";
import { healthKeysOf } from "../quadlet/health_url.ts";

/**
 * How leger tells whether a service is healthy: an HTTP check of a URL
 * (`type: "http"`), or Podman's own health check of its container
 * (`type: "podman"`, the unit's `HealthCmd=`).
 */
export type HealthCheck =
  | {
    type: "http";
    /** The URL fetched. */
    url: string;
    /**
     * Where it is declared: the unit or the drop-in with the `HealthURL=`
     * line, or `.leger.yaml`.
     */
    file: string;
    /** The line of `HealthURL=`; `null` for `.leger.yaml`. */
    line: number | null;
  }
  | {
    type: "podman";
    /** The unit's `HealthCmd=`. */
    command: string;
    /** The unit whose container Podman checks. */
    file: string;
    /** `null`: the typed unit does not keep the line. */
    line: null;
  };

/** Options for {@linkcode healthCheckOf}. */
export interface HealthCheckOfOptions {
  /**
   * The deployment's `health:` of `.leger.yaml`: a URL by unit, named by its
   * base name (`web`), its file name (`web.container`) or its service
   * (`web.service`), see `healthKeysOf`.
   *
   * @default {{}}
   */
  manifestHealth?: Readonly<Record<string, string>>;
}

/**
 * The health check of a unit's service, in leger's order: the unit's own
 * `[X-Leger] HealthURL=` (drop-ins merged, the last wins), then the
 * deployment's `.leger.yaml` `health:` entry for the unit (by base name,
 * file name or service name: `healthKeysOf`), then
 * Podman's health check when the unit has a `HealthCmd=` (other than
 * `none`); otherwise none.
 *
 * @param loaded The unit (drop-ins merged) and its typed view.
 * @param options The deployment's `health:` of `.leger.yaml`.
 * @returns The check, or `null` when the service has none.
 *
 * @example Usage
 * ```ts
 * import { healthCheckOf } from "./health_check_of.ts";
 * import { parseUnit } from "../unit/parse_unit.ts";
 * import { toQuadletUnit } from "../quadlet/to_quadlet_unit.ts";
 * import { deepStrictEqual, strictEqual } from "node:assert/strict";
 *
 * const unit = parseUnit("[Container]\nImage=nginx\nHealthCmd=curl -f localhost\n", { file: "web.container" });
 * const loaded = { unit, quadlet: toQuadletUnit(unit) };
 * strictEqual(healthCheckOf(loaded)?.type, "podman");
 * deepStrictEqual(
 *   healthCheckOf(loaded, { manifestHealth: { web: "http://127.0.0.1:8080/" } }),
 *   { type: "http", url: "http://127.0.0.1:8080/", file: ".leger.yaml", line: null },
 * );
 * ```
 */
export function healthCheckOf(
  loaded: { unit: UnitFile; quadlet: QuadletUnit },
  options: HealthCheckOfOptions = {},
): HealthCheck | null {
  const { manifestHealth = {} } = options;
  const { unit, quadlet } = loaded;
  const entry = healthUrlEntry(unit);
  if (entry !== undefined) {
    return {
      type: "http",
      url: entry.value.trim(),
      file: entry.file,
      line: entry.line,
    };
  }
  const key = healthKeysOf(quadlet).find((k) =>
    Object.hasOwn(manifestHealth, k)
  );
  if (key !== undefined) {
    return {
      type: "http",
      url: manifestHealth[key],
      file: ".leger.yaml",
      line: null,
    };
  }
  const command = quadlet.health.cmd;
  if (command !== null && command.trim().toLowerCase() !== "none") {
    return { type: "podman", command, file: quadlet.file, line: null };
  }
  return null;
}
