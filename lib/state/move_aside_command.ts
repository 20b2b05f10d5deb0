import { shellWord } from "../adapters/shell_word.ts";

/**
 * The shell line that takes a damaged deployment folder out of `staged/` or
 * `active/`, which leger reads as a whole (a folder left beside it there,
 * `NAME.damaged`, would be read and refused in turn), into a new folder of
 * `damaged/` beside them, which no command reads. That folder is made by
 * `mktemp -d`, named after the deployment and the time, so that the line
 * works again when the same deployment is damaged again.
 *
 * @param dir The damaged folder (`…/active/web`).
 * @returns The line: `mkdir -p …/damaged && mv …/active/web "$(mktemp -d …)"`.
 *
 * @example Usage
 * ```ts
 * import { moveAsideCommand } from "./move_aside_command.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(
 *   moveAsideCommand("/w/active/web"),
 *   'mkdir -p /w/damaged && mv /w/active/web "$(mktemp -d /w/damaged/web-$(date +%Y%m%dT%H%M%S)-XXXXXX)"',
 * );
 * ```
 */
export function moveAsideCommand(dir: string): string {
  const parent = dir.slice(0, dir.lastIndexOf("/")) || "/";
  const name = dir.slice(parent.length + 1);
  const damaged = `${parent.slice(0, parent.lastIndexOf("/"))}/damaged`;
  return `mkdir -p ${shellWord(damaged)} && mv ${shellWord(dir)} "$(mktemp -d ${
    shellWord(`${damaged}/${name}`)
  }-$(date +%Y%m%dT%H%M%S)-XXXXXX)"`;
}
