import { LegerError } from "../errors/mod.ts";
import { mapConcurrent } from "./_map_concurrent.ts";

/** One regular file found in a source folder, not yet read. */
export interface SourceEntry {
  /** `/`-separated path inside the folder, as the deployment names it. */
  path: string;
  /** The real absolute path to read (a link's target). */
  absolute: string;
  size: number;
}

/** Options for {@linkcode walkSourceFolder}. */
export interface WalkSourceFolderOptions {
  /** Largest file accepted, in bytes. */
  maxFileSize: number;
  /** Most files accepted. */
  maxFiles: number;
  /** Most file-system calls running at once. */
  concurrency: number;
}

/** NUL, other C0 controls, DEL, C1 controls, and U+FFFD (a name that was not UTF-8). */
// deno-lint-ignore no-control-regex
const BAD_NAME_REGEXP = /[\x00-\x1f\x7f-\x9f\ufffd]/;

interface Queued {
  absolute: string;
  path: string;
  /** Real paths of the folders above, to stop at a link back up (a cycle). */
  ancestors: ReadonlySet<string>;
}

type Found =
  | { kind: "file"; entry: SourceEntry }
  | { kind: "folder"; folder: Queued }
  | { kind: "skip" };

/**
 * Lists the regular files of a source folder, recursively, without reading
 * any content: each entry is stat'ed once, links are resolved and must stay
 * inside the folder, oversized files and odd names are refused. `.git` is
 * skipped at every level. A link to a folder inside the source is followed,
 * except a link back to a folder above it (a cycle), which is skipped.
 *
 * Requires `--allow-read` on the folder.
 *
 * @param root The source folder's real absolute path.
 * @param options Limits and concurrency.
 * @returns The files, sorted by path.
 * @throws {LegerError} `ERR_UNSAFE_PATH` for a link leaving the folder, a
 * loop of links, a name with control characters, or a special file.
 * @throws {LegerError} `ERR_SOURCE_NOT_FOUND` for a link to nothing.
 * @throws {LegerError} `ERR_FILE_TOO_LARGE` for a file over the limit, or
 * more files than `maxFiles`.
 *
 * @example Usage
 * ```ts ignore
 * import { walkSourceFolder } from "./_walk_source_folder.ts";
 * import { ok } from "node:assert/strict";
 *
 * const entries = await walkSourceFolder(await Deno.realPath("."), {
 *   maxFileSize: 1 << 20, maxFiles: 10_000, concurrency: 8,
 * });
 * ok(entries.every((entry) => !entry.path.startsWith(".git/")));
 * ```
 */
export async function walkSourceFolder(
  root: string,
  options: WalkSourceFolderOptions,
): Promise<SourceEntry[]> {
  const { maxFileSize, maxFiles, concurrency } = options;
  const files: SourceEntry[] = [];
  const queue: Queued[] = [{
    absolute: root,
    path: "",
    ancestors: new Set([root]),
  }];
  while (queue.length > 0) {
    const folder = queue.shift()!;
    const names: Deno.DirEntry[] = [];
    for await (const entry of Deno.readDir(folder.absolute)) names.push(entry);
    names.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    const found = await mapConcurrent(
      names,
      concurrency,
      (entry) => visit(root, folder, entry, maxFileSize),
    );
    for (const item of found) {
      if (item.kind === "file") files.push(item.entry);
      if (item.kind === "folder") queue.push(item.folder);
    }
    if (files.length > maxFiles) {
      throw new LegerError(
        "ERR_FILE_TOO_LARGE",
        `Cannot read source folder "${root}": it holds more than ${maxFiles} files`,
        {
          remedy:
            "Point --source at the folder of the deployment itself, not at a folder above it",
        },
      );
    }
  }
  return files.sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
}

async function visit(
  root: string,
  folder: Queued,
  entry: Deno.DirEntry,
  maxFileSize: number,
): Promise<Found> {
  if (entry.name === ".git") return { kind: "skip" };
  const path = folder.path === "" ? entry.name : `${folder.path}/${entry.name}`;
  if (BAD_NAME_REGEXP.test(entry.name)) {
    throw new LegerError(
      "ERR_UNSAFE_PATH",
      `Cannot read ${
        JSON.stringify(path)
      } in "${root}": its name holds a control character or bytes that are not UTF-8`,
      { file: path, remedy: "Rename the file with printable UTF-8 characters" },
    );
  }
  const absolute = `${folder.absolute}/${entry.name}`;
  let real = absolute;
  let info: Deno.FileInfo | undefined;
  if (entry.isSymlink) {
    real = await resolveLink(root, absolute, path);
    info = await Deno.stat(real);
  } else if (entry.isFile) {
    info = await Deno.lstat(absolute);
  }
  const isDirectory = info?.isDirectory ?? entry.isDirectory;
  const isFile = info?.isFile ?? false;
  if (isDirectory) {
    if (folder.ancestors.has(real)) return { kind: "skip" };
    const ancestors = new Set(folder.ancestors).add(real);
    return { kind: "folder", folder: { absolute: real, path, ancestors } };
  }
  if (!isFile || info === undefined) {
    throw new LegerError(
      "ERR_UNSAFE_PATH",
      `Cannot read ${
        JSON.stringify(path)
      } in "${root}": it is not a regular file or folder`,
      {
        file: path,
        remedy:
          "Remove sockets, pipes and device files from the deployment folder",
      },
    );
  }
  if (info.size > maxFileSize) {
    throw new LegerError(
      "ERR_FILE_TOO_LARGE",
      `Cannot read ${
        JSON.stringify(path)
      }: it is ${info.size} bytes, more than the limit of ${maxFileSize} bytes`,
      {
        file: path,
        remedy:
          "Keep large data out of the deployment folder and mount it with Volume= instead",
      },
    );
  }
  return { kind: "file", entry: { path, absolute: real, size: info.size } };
}

async function resolveLink(
  root: string,
  absolute: string,
  path: string,
): Promise<string> {
  let real: string;
  try {
    real = await Deno.realPath(absolute);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      throw new LegerError(
        "ERR_SOURCE_NOT_FOUND",
        `Cannot read ${JSON.stringify(path)}: it is a link to "${await Deno
          .readLink(absolute)}", which does not exist`,
        { file: path, cause: err, remedy: `Fix or remove the link ${path}` },
      );
    }
    if (err instanceof Deno.errors.FilesystemLoop) {
      throw new LegerError(
        "ERR_UNSAFE_PATH",
        `Cannot read ${JSON.stringify(path)}: it is a link in a loop of links`,
        { file: path, cause: err, remedy: `Fix or remove the link ${path}` },
      );
    }
    throw err;
  }
  if (
    real !== root && !real.startsWith(root.endsWith("/") ? root : `${root}/`)
  ) {
    const target = await Deno.readLink(absolute);
    throw new LegerError(
      "ERR_UNSAFE_PATH",
      `Cannot read ${
        JSON.stringify(path)
      }: it is a link to "${target}", outside the source folder "${root}"`,
      {
        file: path,
        details: [`link:   ${path}`, `target: ${real}`],
        remedy:
          "Copy the file into the deployment folder instead of linking to it",
      },
    );
  }
  return real;
}
