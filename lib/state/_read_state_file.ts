import { fromSystemError } from "../errors/from_system_error.ts";

/**
 * Reads one of leger's state files as text; `null` when it does not exist.
 * Any other failure becomes a leger error naming the file (Deno's own
 * message for a read names none): permission denied on the system scope's
 * files says to run with sudo.
 *
 * Requires `--allow-read` for the file.
 *
 * @param path The file.
 * @returns Its text, or `null` when there is none.
 * @throws {LegerError} As `fromSystemError()` words the failure.
 *
 * @example Usage
 * ```ts
 * import { readStateFile } from "./_read_state_file.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(await readStateFile("/nonexistent/deployments.yaml"), null);
 * ```
 */
export async function readStateFile(path: string): Promise<string | null> {
  try {
    // An editor may save leger's files with a byte order mark: it is not text.
    return (await Deno.readTextFile(path)).replace(/^\uFEFF/, "");
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw fromSystemError(error, { action: "read", path }) ?? error;
  }
}
