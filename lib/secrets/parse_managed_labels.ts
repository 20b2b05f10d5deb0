import {
  CREATED_AT_LABEL,
  DIGEST_LABEL,
  DIGEST_REGEXP,
  MANAGED_LABEL,
  VERSION_LABEL,
  VERSION_REGEXP,
} from "./_labels.ts";

/** What the labels of a leger-managed Podman secret say about its value. */
export interface ManagedLabels {
  /** `io.leger.version`; `null` when missing or not a positive integer. */
  version: number | null;
  /** `io.leger.digest`; `null` when missing or not 64 lowercase hex digits. */
  digest: string | null;
  /** `io.leger.created_at`; `null` when missing or empty. */
  created_at: string | null;
}

/**
 * Reads the labels of a Podman secret (as `podman secret ls --format json`
 * or `podman secret inspect` give them) the way legerd trusts them.
 *
 * A secret is leger's only when `io.leger.managed` is exactly `true`; any
 * other secret is the user's and legerd never touches it. The other labels
 * of a managed secret are read leniently: one that is missing or malformed
 * (someone ran `podman secret create --label io.leger.managed=true` by
 * hand) comes back `null`, and the value is then treated as unknown and
 * rewritten.
 *
 * @param labels The secret's labels; `null` or `undefined` for none, as
 * Podman reports a secret created without labels.
 * @returns The parsed labels, or `null` when the secret is not leger's.
 *
 * @example Usage
 * ```ts
 * import { parseManagedLabels } from "./parse_managed_labels.ts";
 * import { deepStrictEqual, strictEqual } from "node:assert/strict";
 *
 * const digest = "ab".repeat(32);
 * deepStrictEqual(
 *   parseManagedLabels({
 *     "io.leger.managed": "true",
 *     "io.leger.version": "3",
 *     "io.leger.digest": digest,
 *   }),
 *   { version: 3, digest, created_at: null },
 * );
 * strictEqual(parseManagedLabels({ owner: "me" }), null);
 * ```
 */
export function parseManagedLabels(
  labels: Readonly<Record<string, string>> | null | undefined,
): ManagedLabels | null {
  if (labels === null || labels === undefined) return null;
  if (own(labels, MANAGED_LABEL) !== "true") return null;
  const version = own(labels, VERSION_LABEL);
  const digest = own(labels, DIGEST_LABEL);
  const createdAt = own(labels, CREATED_AT_LABEL);
  return {
    version: version !== null && VERSION_REGEXP.test(version)
      ? Number(version)
      : null,
    digest: digest !== null && DIGEST_REGEXP.test(digest) ? digest : null,
    created_at: createdAt === null || createdAt === "" ? null : createdAt,
  };
}

function own(
  labels: Readonly<Record<string, string>>,
  key: string,
): string | null {
  // Labels come from Podman's JSON: read only the object's own keys, never
  // anything inherited such as "constructor".
  if (!Object.hasOwn(labels, key)) return null;
  const value = labels[key];
  return typeof value === "string" ? value : null;
}
