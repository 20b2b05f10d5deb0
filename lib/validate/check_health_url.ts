import { ALLOWED_NET_HOSTS } from "../api/allowed_net_hosts.ts";
import type { Finding } from "../errors/finding.ts";
import type { UnitFile } from "../unit/types.ts";

/**
 * Checks the `HealthURL=` entries of a unit's `[X-Leger]` section (drop-ins
 * merged), the URL `leger status` fetches to tell whether the service is
 * healthy: each must be an http(s) URL (`ERR_UNIT_INVALID_VALUE` at its
 * line). One whose host leger may not connect to (its network allow-list:
 * loopback and leger.run's hosts) is a warning: leger would report the check
 * as refused without fetching it. An empty `HealthURL=` turns the check off
 * and is fine.
 *
 * @param unit The unit, its drop-ins merged.
 * @returns The findings, in source order.
 *
 * @example Usage
 * ```ts
 * import { checkHealthUrl } from "./check_health_url.ts";
 * import { parseUnit } from "../unit/parse_unit.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const unit = parseUnit("[Container]\nImage=nginx\n[X-Leger]\nHealthURL=127.0.0.1:8080/health\n", { file: "web.container" });
 * const [finding] = checkHealthUrl(unit);
 * strictEqual(finding.code, "ERR_UNIT_INVALID_VALUE");
 * strictEqual(finding.line, 4);
 * ```
 */
export function checkHealthUrl(unit: UnitFile): Finding[] {
  const findings: Finding[] = [];
  for (const section of unit.sections) {
    if (section.name !== "X-Leger") continue;
    for (const entry of section.entries) {
      const value = entry.value.trim();
      if (entry.key !== "HealthURL" || value === "") continue;
      const url = URL.parse(value);
      if (
        url === null || (url.protocol !== "http:" && url.protocol !== "https:")
      ) {
        findings.push({
          code: "ERR_UNIT_INVALID_VALUE",
          message:
            `Cannot use HealthURL=${value} of "${unit.file}": it is not an http(s) URL`,
          file: entry.file,
          line: entry.line,
          remedy:
            `Write the URL leger should fetch, such as HealthURL=http://127.0.0.1:8080/health, in ${entry.file} at line ${entry.line}`,
        });
      } else if (!ALLOWED_NET_HOSTS.includes(url.hostname)) {
        findings.push({
          code: "ERR_UNIT_INVALID_VALUE",
          message:
            `Cannot check HealthURL=${value} of "${unit.file}": leger may connect only to ${
              ALLOWED_NET_HOSTS.join(", ")
            }, not to "${url.hostname}"`,
          file: entry.file,
          line: entry.line,
          remedy:
            "Publish the port on 127.0.0.1 (PublishPort=127.0.0.1:PORT:…) and use HealthURL=http://127.0.0.1:PORT/…",
          severity: "warning",
        });
      }
    }
  }
  return findings;
}
