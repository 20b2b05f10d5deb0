import type { QuadletUnit } from "../quadlet/types.ts";
import { unitStart } from "./unit_start.ts";

/**
 * The `[Unit]` keys by which starting a unit starts another (systemd.unit(5):
 * `Wants=`, `Requires=`, `BindsTo=` and `Upholds=` pull the unit in;
 * `Requisite=` fails the start when it is not active).
 */
const PULLING_KEYS: ReadonlySet<string> = new Set([
  "Wants",
  "Requires",
  "Requisite",
  "BindsTo",
  "Upholds",
]);

/**
 * The services to leave stopped until legerd brings the secrets they need:
 * those of the units that use a secret Podman lacks, and of every unit that
 * would start one of them — one that wants, requires, binds to or upholds
 * it (`[Unit]`), or a `.pod` whose container waits (Podman's generated pod
 * service wants its containers) — since starting that unit would make
 * systemd start the waiting one, which then fails for its secret (seen on
 * the e2e host: Caddy's `Wants=miniflux.service` started Miniflux and, by
 * its `Requires=`, PostgreSQL, both without their secrets, until
 * start-limit-hit).
 *
 * @param units All the deployment's units.
 * @param missing The secrets Podman does not have.
 * @param candidates The units that may wait (an update: the units it
 * changes or adds); all of them by default.
 * @returns The services, in the order of `candidates`.
 *
 * @example Usage
 * ```ts
 * import { waitingForSecrets } from "./waiting_for_secrets.ts";
 * import { toQuadletUnit } from "../quadlet/to_quadlet_unit.ts";
 * import { parseUnit } from "../unit/parse_unit.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const texts: Record<string, string> = {
 *   "web.container": "[Unit]\nWants=app.service\n[Container]\nImage=caddy\n",
 *   "app.container": "[Container]\nImage=app\nSecret=token\n",
 *   "cache.container": "[Container]\nImage=redis\n",
 * };
 * const siblings = new Map(
 *   Object.entries(texts).map(([file, text]) => [file, parseUnit(text, { file })]),
 * );
 * const units = [...siblings.values()].map((unit) => toQuadletUnit(unit, { siblings }));
 * deepStrictEqual(waitingForSecrets(units, ["token"]), ["web.service", "app.service"]);
 * deepStrictEqual(waitingForSecrets(units, []), []);
 * ```
 */
export function waitingForSecrets(
  units: readonly QuadletUnit[],
  missing: readonly string[],
  candidates: readonly QuadletUnit[] = units,
): string[] {
  const waiting = new Set(
    candidates.filter((u) => u.secrets.some((s) => missing.includes(s.name)))
      .map((u) => u.file),
  );
  if (waiting.size === 0) return [];
  let grown = true;
  while (grown) {
    grown = false;
    for (const unit of candidates) {
      if (waiting.has(unit.file) || !startsWaiting(unit, candidates, waiting)) {
        continue;
      }
      waiting.add(unit.file);
      grown = true;
    }
  }
  return candidates.filter((u) => waiting.has(u.file))
    .flatMap((u) => unitStart(u, units).services);
}

/** Whether starting `unit` would start a unit that waits. */
function startsWaiting(
  unit: QuadletUnit,
  candidates: readonly QuadletUnit[],
  waiting: ReadonlySet<string>,
): boolean {
  if (unit.units.some((r) => PULLING_KEYS.has(r.key) && waiting.has(r.unit))) {
    return true;
  }
  return unit.kind === "pod" &&
    candidates.some((c) =>
      waiting.has(c.file) &&
      c.units.some((r) => r.key === "Pod" && r.unit === unit.file)
    );
}
