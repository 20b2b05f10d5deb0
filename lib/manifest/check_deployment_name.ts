import { LegerError } from "../errors/mod.ts";

/** Longest deployment name, in characters (all of them ASCII). */
const MAX_NAME_CHARS = 100;

/** A printable ASCII character other than the space (0x21–0x7E). */
const PRINTABLE_REGEXP = /^[\x21-\x7e]$/;

/** What the remedy says a name may be, after the caller's verb. */
const RULE =
  'a name of printable ASCII characters without spaces or "/", not starting with "-" or "."';

/** Options for {@linkcode checkDeploymentName}. */
export interface CheckDeploymentNameOptions {
  /**
   * Where the name came from, completing "Cannot use "x" as a deployment
   * name from …": `.leger.yaml at line 2`, `the folder "/srv/my app"`,
   * `the command line`.
   */
  where: string;
  /**
   * The file the name is written in, when it comes from one, for the error's
   * location.
   *
   * @default {undefined}
   */
  file?: string;
  /**
   * The 1-based line of the name in `file`.
   *
   * @default {undefined}
   */
  line?: number;
  /**
   * The start of the remedy, completed by " a name of printable ASCII
   * characters…, such as "my-app"": `Set name: in .leger.yaml to`,
   * `Rename the folder to`.
   *
   * @default {"Choose"}
   */
  fix?: string;
}

/**
 * Checks that a deployment's name can be used as one: leger makes it a
 * folder (`staged/NAME`, `active/NAME`), a key of its state, and an argument
 * of its own commands (`leger deploy remove NAME`).
 *
 * A name is 1 to 100 printable ASCII characters (0x21–0x7E: no space, no
 * control character, nothing beyond ASCII), holds no `/`, and does not start
 * with `-` (it would read as an option) or `.` (`.` and `..` are folders
 * already, and leger lists no deployment whose folder is hidden).
 *
 * @param name The name, wherever it came from.
 * @param options Where it came from, and how the user changes it there.
 * @returns The name, unchanged.
 * @throws {LegerError} `ERR_DEPLOYMENT_NAME_INVALID` naming the name, where it
 * came from and the rule it breaks, with a remedy that suggests a valid name.
 *
 * @example Usage
 * ```ts
 * import { checkDeploymentName } from "./check_deployment_name.ts";
 * import { strictEqual, throws } from "node:assert/strict";
 *
 * strictEqual(checkDeploymentName("my-app", { where: "the command line" }), "my-app");
 * throws(
 *   () =>
 *     checkDeploymentName("a/b", {
 *       where: ".leger.yaml at line 1",
 *       file: ".leger.yaml",
 *       line: 1,
 *       fix: "Set name: in .leger.yaml to",
 *     }),
 *   {
 *     name: "LegerError",
 *     code: "ERR_DEPLOYMENT_NAME_INVALID",
 *     message:
 *       'Cannot use "a/b" as a deployment name from .leger.yaml at line 1: it contains "/" at position 2',
 *     remedy:
 *       'Set name: in .leger.yaml to a name of printable ASCII characters without spaces or "/", not starting with "-" or ".", such as "a-b"',
 *     line: 1,
 *   },
 * );
 * ```
 */
export function checkDeploymentName(
  name: string,
  options: CheckDeploymentNameOptions,
): string {
  const { where, file, line, fix = "Choose" } = options;
  const problem = nameProblem(name);
  if (problem === undefined) return name;
  const suggestion = suggestName(name);
  throw new LegerError(
    "ERR_DEPLOYMENT_NAME_INVALID",
    `Cannot use ${shown(name)} as a deployment name from ${where}: ${problem}`,
    {
      ...(file === undefined ? {} : { file }),
      ...(line === undefined ? {} : { line }),
      remedy: suggestion === undefined
        ? `${fix} ${RULE}`
        : `${fix} ${RULE}, such as ${quote(suggestion)}`,
    },
  );
}

/** The rule `name` breaks, completing "…: ", or `undefined` when it breaks none. */
function nameProblem(name: string): string | undefined {
  if (name === "") return "it is empty";
  if (name === "." || name === "..") {
    return `it is ${quote(name)}, which names a folder already`;
  }
  if (name.startsWith(".")) {
    return 'it starts with ".", which hides it from leger deploy list';
  }
  if (name.startsWith("-")) {
    return 'it starts with "-", which leger, podman and systemctl would read as an option';
  }
  const chars = [...name];
  const slash = chars.indexOf("/");
  const bad = chars.findIndex((char) => !PRINTABLE_REGEXP.test(char));
  if (slash !== -1 && (bad === -1 || slash < bad)) {
    return `it contains "/" at position ${slash + 1}`;
  }
  if (bad !== -1) {
    return `it contains ${quote(chars[bad])} at position ${
      bad + 1
    }, and only printable ASCII characters without spaces are allowed`;
  }
  if (chars.length > MAX_NAME_CHARS) {
    return `it is ${chars.length} characters long, more than ${MAX_NAME_CHARS}`;
  }
  return undefined;
}

/**
 * A valid name close to `name`: accents dropped, other characters a name
 * cannot hold turned into `-`, leading `-` and `.` dropped, cut to 100.
 */
function suggestName(name: string): string | undefined {
  const suggestion = name
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/[^\x21-\x7e]|\//g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^[-.]+/, "")
    .slice(0, MAX_NAME_CHARS)
    .replace(/-+$/, "");
  return nameProblem(suggestion) === undefined ? suggestion : undefined;
}

/** A name quoted for a message, cut when it is very long. */
function shown(name: string): string {
  const chars = [...name];
  if (chars.length <= 60) return quote(name);
  return quote(`${chars.slice(0, 60).join("")}…`);
}

/** `text` in double quotes, escaped as JSON and also DEL and the C1 controls. */
function quote(text: string): string {
  return JSON.stringify(text).replace(
    /[\x7f-\x9f]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
