import {
  CREATED_AT_LABEL,
  DIGEST_LABEL,
  DIGEST_REGEXP,
  MANAGED_LABEL,
  VERSION_LABEL,
} from "./_labels.ts";

/** What a leger-managed Podman secret records about the value it holds. */
export interface SecretLabelsInput {
  /** The leger.run `version` of the value. */
  version: number;
  /** The keyed digest of the value (`secretDigest()`), 64 lowercase hex digits. */
  digest: string;
  /**
   * The leger.run `created_at` of the secret, which tells a deleted and
   * re-created secret from the old one; left out when `undefined`.
   *
   * @default {undefined}
   */
  created_at?: string;
}

/**
 * Builds the `--label` arguments leger passes to `podman secret create` for
 * a secret it manages: `io.leger.managed=true`, `io.leger.version=N`,
 * `io.leger.digest=<hex>` and, when given, `io.leger.created_at=<time>`.
 *
 * The labels hold no value, only its keyed digest, so they are safe in a
 * process's arguments; the value itself goes on stdin.
 *
 * @param input The version, the keyed digest and the creation time.
 * @returns The arguments, `["--label", "io.leger.managed=true", "--label", …]`.
 * @throws {RangeError} When `version` is not a positive integer, `digest` is
 * not 64 lowercase hex digits, or `created_at` is empty or holds a line break
 * or control character.
 *
 * @example Usage
 * ```ts
 * import { secretLabels } from "./secret_labels.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const digest = "ab".repeat(32);
 * deepStrictEqual(secretLabels({ version: 3, digest }), [
 *   "--label", "io.leger.managed=true",
 *   "--label", "io.leger.version=3",
 *   "--label", `io.leger.digest=${digest}`,
 * ]);
 * ```
 */
export function secretLabels(input: SecretLabelsInput): string[] {
  const { version, digest, created_at } = input;
  if (!Number.isSafeInteger(version) || version < 1) {
    throw new RangeError(
      `Cannot label a Podman secret with version ${version}: the version must be a positive integer`,
    );
  }
  if (!DIGEST_REGEXP.test(digest)) {
    throw new RangeError(
      `Cannot label a Podman secret with digest "${digest}": expected 64 lowercase hex digits from secretDigest()`,
    );
  }
  const labels = [
    `${MANAGED_LABEL}=true`,
    `${VERSION_LABEL}=${version}`,
    `${DIGEST_LABEL}=${digest}`,
  ];
  if (created_at !== undefined) {
    // deno-lint-ignore no-control-regex -- control characters are what is refused
    if (created_at === "" || /[\x00-\x1f\x7f]/.test(created_at)) {
      throw new RangeError(
        `Cannot label a Podman secret with created_at ${
          JSON.stringify(created_at)
        }: expected a time such as "2025-01-31T12:00:00Z"`,
      );
    }
    labels.push(`${CREATED_AT_LABEL}=${created_at}`);
  }
  return labels.flatMap((label) => ["--label", label]);
}
