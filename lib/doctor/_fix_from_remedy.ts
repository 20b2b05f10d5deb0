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
