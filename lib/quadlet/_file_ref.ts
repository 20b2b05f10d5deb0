import type { UnitEntry } from "../unit/types.ts";
import { joinPath } from "./_join_path.ts";
import { startsWithSpecifier } from "./_starts_with_specifier.ts";
import type { FileRef } from "./types.ts";

/**
 * Builds the {@linkcode FileRef} of a path a key names.
 *
 * @param path The path as written.
 * @param entry The entry that names it.
 * @param unitDir The absolute folder of the unit, when known.
 * @param resolves Whether Podman resolves a relative path against the unit's
 * folder (`EnvironmentFile=`, `Yaml=`, …) rather than passing it on.
 * @returns The file reference.
 *
 * @example Usage
 * ```ts
 * import { fileRef } from "./_file_ref.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const entry = { key: "EnvironmentFile", value: "app.env", line: 3, file: "web.container" };
 * deepStrictEqual(fileRef("app.env", entry, "/srv/app", true), {
 *   key: "EnvironmentFile", path: "app.env", relative: true, resolvedPath: "/srv/app/app.env",
 *   line: 3, file: "web.container",
 * });
 * ```
 */
export function fileRef(
  path: string,
  entry: UnitEntry,
  unitDir: string | undefined,
  resolves: boolean,
): FileRef {
  const absolute = path.startsWith("/");
  const relative = resolves && !absolute && !startsWithSpecifier(path);
  let resolvedPath: string | null = null;
  if (absolute) resolvedPath = path;
  else if (relative && unitDir !== undefined) {
    resolvedPath = joinPath(unitDir, path);
  }
  return {
    key: entry.key,
    path,
    relative,
    resolvedPath,
    line: entry.line,
    file: entry.file,
  };
}
