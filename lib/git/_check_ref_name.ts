import { LegerError } from "../errors/mod.ts";

/**
 * What `git check-ref-format` refuses, plus a leading `-` (it would read as an
 * option) and white space.
 */
const BAD_REF_REGEXP =
  // deno-lint-ignore no-control-regex
  /[\x00-\x20\x7f~^:?*[\\]|\.\.|@\{|^[-/.]|\/\.|\/\/|[/.]$|\.lock$|^@?$/;

/**
 * Throws unless `ref` is a name git could have for a branch, a tag or a
 * commit, so that it can be passed to `git fetch` as one value.
 *
 * @param ref The ref as the user wrote it: `main`, `feature/x`, `v1.2`, a SHA.
 * @param shownUrl The URL (without credentials) to name in the error.
 * @returns `ref`.
 * @throws {LegerError} `ERR_USAGE` for a name git cannot have.
 */
export function checkRefName(ref: string, shownUrl: string): string {
  if (BAD_REF_REGEXP.test(ref)) {
    throw new LegerError(
      "ERR_USAGE",
      `Cannot use ${JSON.stringify(ref)} from "${shownUrl}" as a Git ref: ` +
        "it is not a valid branch, tag or commit name",
      {
        remedy: `List the remote's branches and tags: git ls-remote ${
          shownUrl.replace(/#.*$/, "")
        }`,
      },
    );
  }
  return ref;
}
