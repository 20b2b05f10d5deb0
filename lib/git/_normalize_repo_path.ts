import { LegerError } from "../errors/mod.ts";

// deno-lint-ignore no-control-regex
const CONTROL_REGEXP = /[\x00-\x1f\x7f]/;

/**
 * Turns a folder inside a repository, as a URL gives it, into the
 * `/`-separated form git uses: no leading, trailing or doubled `/`. `""` is
 * the top of the repository.
 *
 * @param path The folder: `apps/web`, `/apps/web/`, `""`.
 * @param shownUrl The URL (without credentials) to name in the error.
 * @returns The normalised path.
 * @throws {LegerError} `ERR_UNSAFE_PATH` for a `.` or `..` segment or a control
 * character: the folder must be a plain path inside the repository.
 */
export function normalizeRepoPath(path: string, shownUrl: string): string {
  const segments = path.split("/").filter((segment) => segment !== "");
  const bad = segments.find((segment) =>
    segment === "." || segment === ".." || CONTROL_REGEXP.test(segment)
  );
  if (bad !== undefined) {
    throw new LegerError(
      "ERR_UNSAFE_PATH",
      `Cannot use folder ${
        JSON.stringify(path)
      } of "${shownUrl}": it must be a plain path inside the repository, current segment is ${
        JSON.stringify(bad)
      }`,
      { remedy: "Name the folder from the top of the repository: apps/web" },
    );
  }
  return segments.join("/");
}
