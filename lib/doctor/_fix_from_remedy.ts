import type { LegerError } from "../errors/leger_error.ts";
import { shellWord } from "../adapters/shell_word.ts";

const CODE_REGEXP = /`([^`]+)`/g;
const COMMAND_REGEXP = /^(sudo )?[a-z][\w.-]*( |$)/;

/**
 * The fix lines of a leger error's remedy: the commands it quotes
 * (`` `sudo tailscale up` ``), one a line, leaving out those `skip`
 * matches; the whole remedy as a `#` comment when it quotes no command, or
 * quotes something that is not one (a flag, a file name).
 *
 * @param remedy The remedy.
 * @param skip Commands to leave out (`leger auth status`: doctor itself is
 * run again).
 * @returns The lines, joined.
 */
export function fixFromRemedy(remedy: string, skip?: RegExp): string {
  const quoted = [...remedy.matchAll(CODE_REGEXP)].map((m) => m[1]);
  if (quoted.length === 0 || !quoted.every((q) => COMMAND_REGEXP.test(q))) {
    return `# ${remedy}`;
  }
  const kept = quoted.filter((q) => skip === undefined || !skip.test(q));
  return kept.length === 0 ? `# ${remedy}` : kept.join("\n");
}

const LINE_REGEXP = /\(line (\d+)\)/;

/**
 * The fix lines of a leger error about one of its own files being damaged
 * (`ERR_STATE_INVALID` naming the file): open the file at the line the
 * error names, then the remedy as a comment — never a command the remedy
 * quotes in passing (`leger deploy install` records a forgotten deployment
 * again; it does not repair the file).
 *
 * @param error The error.
 * @returns The lines, joined; `null` when the error names no file.
 */
export function fixForDamagedFile(error: LegerError): string | null {
  if (error.code !== "ERR_STATE_INVALID" || error.file === undefined) {
    return null;
  }
  const line = error.line ?? Number(LINE_REGEXP.exec(error.message)?.[1]);
  const at = Number.isSafeInteger(line) && line > 0 ? ` +${line}` : "";
  return [
    `\${EDITOR:-vi}${at} ${
      shellWord(error.file)
    }   # correct what the error names${at === "" ? "" : ` (line ${line})`}`,
    `# ${error.remedy}`,
  ].join("\n");
}
