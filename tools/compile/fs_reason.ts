/**
 * The reason of a failed file-system call, for a message that names the
 * path itself.
 *
 * @module
 */

/**
 * The reason a file-system call failed, without the operation and paths
 * Deno appends (`Read-only file system (os error 30)`), so that a message
 * can say what was done in its own words.
 *
 * @param error What the call threw.
 * @returns The reason.
 * @throws {unknown} `error` itself when it is neither an operating system
 *   error (one with a `code`, such as `EROFS`) nor Deno's refusal
 *   (`NotCapable`): that is a bug, not the machine.
 *
 * @example Usage
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { fsReason } from "./fs_reason.ts";
 *
 * try {
 *   await Deno.readFile("/nonexistent/file");
 * } catch (error) {
 *   strictEqual(fsReason(error), "No such file or directory (os error 2)");
 * }
 * ```
 */
export function fsReason(error: unknown): string {
  // Deno's own refusal (such as /sys or /proc without --allow-all).
  if (error instanceof Deno.errors.NotCapable) {
    return `Deno does not let the script touch it (${error.message})`;
  }
  if (!(error instanceof Error) || !("code" in error)) throw error;
  return error.message.replace(/: [a-z_]+(?: '.*')?$/s, "");
}
