import type { Finding } from "../errors/finding.ts";
import {
  hasCredentials,
  healthUrlProblem,
  resolveHealthUrl,
  shownHealthUrl,
} from "../quadlet/health_url.ts";
import type { QuadletKind } from "../quadlet/types.ts";
import type { UnitFile } from "../unit/types.ts";
import { closestName } from "./closest_name.ts";

/** The keys leger reads in `[X-Leger]`. */
export const LEGER_SECTION_KEYS: readonly string[] = ["HealthURL"];

/** The kinds whose service runs long enough to be checked. */
const CHECKED_KINDS: readonly QuadletKind[] = ["container", "pod", "kube"];

/**
 * Checks a unit's `[X-Leger]` section (drop-ins merged), where leger reads
 * `HealthURL=`, the URL `leger status` fetches to tell whether the service
 * is healthy, with the same rules as `.leger.yaml` `health:`
 * ({@linkcode checkHealthUrlValue}):
 *
 * - a URL that is no http(s) URL or whose port is outside 1-65535 is an
 *   error (`ERR_UNIT_INVALID_VALUE` at its line); systemd specifiers (`%i`,
 *   `%I`, `%n`, `%N`, `%p`) are resolved first, as for each instance;
 * - a host that is not loopback is a warning: health checks reach only
 *   127.0.0.1, localhost and [::1], and leger would refuse the check;
 * - credentials in the URL are a warning: leger shows them nowhere, but the
 *   unit file holds them in clear;
 * - `HealthURL=` in a unit with no long-running service (a `.volume`, a
 *   `.network`, …) and a key leger does not know (`HealthUrl=`, `Foo=`) are
 *   warnings naming the closest key.
 *
 * An empty `HealthURL=` turns the check off and is fine.
 *
 * @param unit The unit, its drop-ins merged.
 * @param kind Its quadlet kind.
 * @returns The findings, in source order.
 *
 * @example Usage
 * ```ts
 * import { checkHealthUrl } from "./check_health_url.ts";
 * import { parseUnit } from "../unit/parse_unit.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const unit = parseUnit("[Container]\nImage=nginx\n[X-Leger]\nHealthURL=127.0.0.1:8080/health\n", { file: "web.container" });
 * const [finding] = checkHealthUrl(unit, "container");
 * strictEqual(finding.code, "ERR_UNIT_INVALID_VALUE");
 * strictEqual(finding.line, 4);
 * ```
 */
export function checkHealthUrl(
  unit: UnitFile,
  kind: QuadletKind = "container",
): Finding[] {
  const findings: Finding[] = [];
  const dot = unit.file.lastIndexOf(".");
  const service = `${dot > 0 ? unit.file.slice(0, dot) : unit.file}.service`;
  for (const section of unit.sections) {
    if (section.name !== "X-Leger") continue;
    for (const entry of section.entries) {
      const where = { file: entry.file, line: entry.line };
      if (!LEGER_SECTION_KEYS.includes(entry.key)) {
        const closest = closestName(entry.key, LEGER_SECTION_KEYS);
        findings.push({
          code: "ERR_UNIT_UNKNOWN_KEY",
          severity: "warning",
          message:
            `Cannot use ${entry.key}= in [X-Leger] of "${unit.file}": leger reads only ${
              LEGER_SECTION_KEYS.map((k) => `${k}=`).join(", ")
            } there${
              closest === undefined ? "" : `; did you mean ${closest}=?`
            }`,
          ...where,
          remedy: closest === undefined
            ? `Remove ${entry.key}= from ${entry.file} at line ${entry.line}`
            : `Write ${closest}= in ${entry.file} at line ${entry.line}`,
        });
        continue;
      }
      const value = entry.value.trim();
      if (value === "") continue;
      const shown = shownHealthUrl(value);
      if (!CHECKED_KINDS.includes(kind)) {
        findings.push({
          code: "ERR_UNIT_INVALID_VALUE",
          severity: "warning",
          message:
            `Cannot check HealthURL=${shown} of "${unit.file}": a .${kind} has no running service to check, so leger ignores it`,
          ...where,
          remedy:
            `Move HealthURL= to the .container, .pod or .kube that serves it, or remove it from ${entry.file} at line ${entry.line}`,
        });
        continue;
      }
      findings.push(
        ...checkHealthUrlValue(resolveHealthUrl(value, service), {
          what: `HealthURL=${shown} of "${unit.file}"`,
          ...where,
        }),
      );
    }
  }
  return findings;
}

/**
 * Checks one health URL, from `HealthURL=` or `.leger.yaml` `health:`, with
 * the rules `leger status` applies (`healthUrlProblem`): an error for no
 * http(s) URL or a port outside 1-65535, a warning for a host that is not
 * loopback, and a warning for credentials, kept in clear in the file.
 *
 * @param url The URL, specifiers resolved.
 * @param where What to name (`HealthURL=… of "web.container"`), the file
 * and the line.
 * @returns The findings.
 *
 * @example Usage
 * ```ts
 * import { checkHealthUrlValue } from "./check_health_url.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const [finding] = checkHealthUrlValue("http://example.com/", {
 *   what: "health: web", file: ".leger.yaml", line: 3,
 * });
 * strictEqual(finding.severity, "warning");
 * ```
 */
export function checkHealthUrlValue(
  url: string,
  where: { what: string; file: string; line?: number },
): Finding[] {
  const findings: Finding[] = [];
  const { what, file, line } = where;
  const at = line === undefined ? file : `${file} at line ${line}`;
  const problem = healthUrlProblem(url);
  if (problem !== null) {
    findings.push({
      code: "ERR_UNIT_INVALID_VALUE",
      ...(problem.kind === "host" ? { severity: "warning" as const } : {}),
      message: `Cannot ${
        problem.kind === "host" ? "check" : "use"
      } ${what}: ${problem.reason}`,
      file,
      ...(line === undefined ? {} : { line }),
      remedy: `${problem.remedy}, in ${at}`,
    });
  }
  if (hasCredentials(url)) {
    findings.push({
      code: "ERR_UNIT_INVALID_VALUE",
      severity: "warning",
      message:
        `${what} holds credentials: leger shows them nowhere, but ${file} keeps them in clear`,
      file,
      ...(line === undefined ? {} : { line }),
      remedy:
        `Let the health endpoint answer without credentials on 127.0.0.1, and remove them from ${at}`,
    });
  }
  return findings;
}
