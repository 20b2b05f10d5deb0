import type { PodmanSecret } from "../lib/adapters/podman_secrets.ts";
import type { SecretStatus } from "../lib/secrets/control_api.ts";
import { parseManagedLabels } from "../lib/secrets/parse_managed_labels.ts";
import type { RequiredSecret } from "../lib/secrets/required_secrets.ts";

/** What {@linkcode secretStatuses} reads: legerd's last view of each side. */
export interface SecretStatusesInput {
  /** The secrets the installed units need. */
  required: readonly RequiredSecret[];
  /** Podman's secrets with their labels. */
  podman: Iterable<PodmanSecret>;
  /**
   * The names of leger.run's last successful list; `null` when legerd
   * cannot tell what leger.run holds (no list yet, or no login any more).
   */
  backend: ReadonlySet<string> | null;
}

/**
 * The state of each secret legerd knows, for `GET /v1/secrets`: every
 * secret an installed unit needs, and every leger-managed Podman secret.
 *
 * - `synced`: Podman holds a leger-managed copy and leger.run has the
 *   secret (or legerd cannot tell);
 * - `missing`: leger.run's last list lacks it; a leger-managed copy legerd
 *   keeps after the secret was deleted in leger.run shows its version;
 * - `pending`: Podman holds no copy, and leger.run's last list has it (the
 *   next sync writes it) or legerd cannot tell (`backend` is `null`);
 * - `unmanaged`: Podman's secret of that name was not created by leger;
 * - `orphan`: leger-managed, and no installed unit needs it.
 *
 * `version` is the `io.leger.version` label, `synced_at` Podman's time of
 * the last write of a leger-managed secret (`UpdatedAt`) in RFC 3339 with
 * milliseconds, UTC (Podman gives nanoseconds): both `null` for a secret
 * leger did not write. Podman's own secrets that no unit needs are left
 * out.
 *
 * @param input The required secrets, Podman's secrets and leger.run's names.
 * @returns One entry per secret, sorted by name.
 *
 * @example Usage
 * ```ts
 * import { secretStatuses } from "./secret_statuses.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const statuses = secretStatuses({
 *   required: [{ name: "api_token", units: ["web.container"], services: ["web.service"] }],
 *   podman: [{
 *     id: "80b4ad420c8e52d6a9fde0172",
 *     name: "api_token",
 *     labels: { "io.leger.managed": "true", "io.leger.version": "3" },
 *     updated_at: "2026-11-30T15:31:08.682453022Z",
 *   }],
 *   backend: new Set(["api_token"]),
 * });
 * deepStrictEqual(statuses, [{
 *   name: "api_token", state: "synced", version: 3, used_by: ["web.container"],
 *   synced_at: "2026-11-30T15:31:08.682Z",
 * }]);
 * ```
 */
export function secretStatuses(input: SecretStatusesInput): SecretStatus[] {
  const { required, backend } = input;
  const podman = new Map<string, PodmanSecret>();
  for (const secret of input.podman) podman.set(secret.name, secret);
  const statuses: SecretStatus[] = [];
  const seen = new Set<string>();
  for (const { name, units } of required) {
    seen.add(name);
    const inStore = podman.get(name);
    const labels = inStore === undefined
      ? null
      : parseManagedLabels(inStore.labels);
    const managed = inStore !== undefined && labels !== null;
    const known = backend === null ? null : backend.has(name);
    statuses.push({
      name,
      state: inStore !== undefined && !managed
        ? "unmanaged"
        : known === false
        ? "missing"
        : managed
        ? "synced"
        : "pending",
      version: labels?.version ?? null,
      used_by: [...units],
      synced_at: managed ? rfc3339(inStore.updated_at) : null,
    });
  }
  for (const secret of podman.values()) {
    if (seen.has(secret.name)) continue;
    const labels = parseManagedLabels(secret.labels);
    if (labels === null) continue;
    statuses.push({
      name: secret.name,
      state: "orphan",
      version: labels.version,
      used_by: [],
      synced_at: rfc3339(secret.updated_at),
    });
  }
  return statuses.sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0
  );
}

/** A time as the API gives every time: RFC 3339 with milliseconds, UTC; `null` when unknown or unreadable. */
function rfc3339(time: string | null): string | null {
  if (time === null) return null;
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
