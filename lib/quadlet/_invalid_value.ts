import { LegerError } from "../errors/mod.ts";
import type { UnitEntry } from "../unit/types.ts";

/**
 * Builds the error for a key whose value Podman cannot use, pointing at the
 * entry's file and line.
 *
 * @param entry The entry that holds the value.
 * @param cause The parse error, whose message says what is wrong.
 * @returns An `ERR_UNIT_INVALID_VALUE` error.
 *
 * @example Usage
 * ```ts
 * import { invalidValue } from "./_invalid_value.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const err = invalidValue(
 *   { key: "PublishPort", value: "a:b:c:d", line: 3, file: "web.container" },
 *   new SyntaxError("too many colons"),
 * );
 * strictEqual(err.code, "ERR_UNIT_INVALID_VALUE");
 * strictEqual(err.where, "web.container:3");
 * ```
 */
export function invalidValue(entry: UnitEntry, cause: unknown): LegerError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new LegerError(
    "ERR_UNIT_INVALID_VALUE",
    `Cannot use "${entry.key}=${entry.value}": ${reason}`,
    {
      file: entry.file,
      line: entry.line,
      cause,
      remedy: `Correct ${entry.key}= at ${entry.file}:${entry.line}`,
    },
  );
}
