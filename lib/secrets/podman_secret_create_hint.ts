/**
 * The commands that create a Podman secret by hand, for a hint: `podman
 * secret create NAME -`, which reads the value from stdin (typed, then
 * Ctrl-D), or `podman secret create NAME FILE`. Never a value on the command
 * line, where shell history and `ps` keep it. For a secret leger.run can
 * hold (`secretNameProblem()` is `null`), hints say `leger secrets set NAME`
 * instead: legerd then creates it in Podman and keeps it current.
 *
 * @param name The secret's name; quoted for the shell unless it is plain.
 * @returns The commands, in backquotes, as one clause.
 *
 * @example Usage
 * ```ts
 * import { podmanSecretCreateHint } from "./podman_secret_create_hint.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(
 *   podmanSecretCreateHint("db.pass"),
 *   "`podman secret create db.pass -` (type the value, then Ctrl-D) or `podman secret create db.pass FILE`",
 * );
 * ```
 */
export function podmanSecretCreateHint(name: string): string {
  const word = shellWord(name);
  return `\`podman secret create ${word} -\` (type the value, then Ctrl-D) or \`podman secret create ${word} FILE\``;
}

/** A name as a shell word: quoted unless it is plain, so that a pasted hint does only what it says. */
function shellWord(name: string): string {
  return /^[A-Za-z0-9_.@%+=:,\/-]+$/.test(name)
    ? name
    : `'${name.replaceAll("'", `'\\''`)}'`;
}
