import type { Finding } from "../errors/finding.ts";
import { healthKeysOf } from "../quadlet/health_url.ts";
import type { QuadletUnit } from "../quadlet/types.ts";
import { checkHealthUrlValue } from "./check_health_url.ts";
import { closestName } from "./closest_name.ts";

/** Options for {@linkcode checkManifestHealth}. */
export interface CheckManifestHealthOptions {
  /**
   * The manifest's file name, named in the findings.
   *
   * @default {".leger.yaml"}
   */
  file?: string;
  /**
   * The manifest's text, to name the line of each key; without it the
   * findings name the file alone.
   *
   * @default {undefined}
   */
  text?: string;
}

/**
 * Checks `.leger.yaml` `health:` against the deployment's units, where the
 * two meet: each key must name a unit, by its base name (`web`), its file
 * name (`web.container`) or its service (`web.service`), else
 * `ERR_MANIFEST_INVALID` names the key, its line, the units there are and
 * the closest; each URL gets the checks of `HealthURL=`
 * (`checkHealthUrlValue`: loopback only, a port in range, credentials).
 *
 * @param health The manifest's `health:`.
 * @param units The deployment's units.
 * @param options The manifest's file name and text.
 * @returns The findings, in the keys' order.
 *
 * @example Usage
 * ```ts
 * import { checkManifestHealth } from "./check_manifest_health.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const units = [{ file: "web.container", serviceName: "web.service", kind: "container" as const }];
 * const [finding] = checkManifestHealth({ wbe: "http://127.0.0.1:8080/" }, units, {
 *   text: "health:\n  wbe: http://127.0.0.1:8080/\n",
 * });
 * strictEqual(finding.code, "ERR_MANIFEST_INVALID");
 * strictEqual(finding.line, 2);
 * ```
 */
export function checkManifestHealth(
  health: Readonly<Record<string, string>>,
  units: readonly Pick<QuadletUnit, "file" | "serviceName" | "kind">[],
  options: CheckManifestHealthOptions = {},
): Finding[] {
  const { file = ".leger.yaml", text } = options;
  const findings: Finding[] = [];
  const checked = units.filter((u) =>
    u.kind === "container" || u.kind === "pod" || u.kind === "kube"
  );
  const names = checked.map((u) => healthKeysOf(u)[0]);
  for (const [key, url] of Object.entries(health)) {
    const line = text === undefined ? undefined : lineOfKey(text, key);
    const at = line === undefined ? {} : { line };
    const unit = checked.find((u) => healthKeysOf(u).includes(key));
    if (unit === undefined) {
      const closest = closestName(
        key,
        checked.flatMap((u) => healthKeysOf(u)),
      );
      findings.push({
        code: "ERR_MANIFEST_INVALID",
        message: `Cannot check health: ${key} of ${file}: no ${
          names.length === 0 ? "unit" : "container, pod or kube unit"
        } of the deployment is named "${key}"${
          closest === undefined ? "" : `; did you mean "${closest}"?`
        } (units: ${names.length === 0 ? "none" : names.join(", ")})`,
        file,
        ...at,
        remedy: `Name a unit by its base name (${
          names[0] ?? "web"
        }), file name or service, ${
          closest === undefined ? "" : `such as "${closest}", `
        }or remove the key, in ${file}${
          line === undefined ? "" : ` at line ${line}`
        }`,
      });
      continue;
    }
    findings.push(
      ...checkHealthUrlValue(url, {
        what: `health: ${key} of ${file}`,
        file,
        ...at,
      }),
    );
  }
  return findings;
}

/**
 * The line of a key under `health:` (block or flow style), or of `health:`
 * itself when the key is not found as written.
 */
function lineOfKey(text: string, key: string): number | undefined {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => /^health\s*:/.test(l));
  if (start === -1) return undefined;
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = new RegExp(`(^|[\\s{,])["']?${escaped}["']?\\s*:`);
  for (let i = start; i < lines.length; i++) {
    if (i > start && /^\S/.test(lines[i]) && !lines[i].startsWith("#")) break;
    const rest = i === start ? lines[i].replace(/^health\s*:/, "") : lines[i];
    if (pattern.test(rest)) return i + 1;
  }
  return start + 1;
}
