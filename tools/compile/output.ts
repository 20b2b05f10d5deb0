/**
 * The folder that receives the binaries: checked before anything is built,
 * created with a hidden staging folder to build in, cleared of the staging
 * folders of builds that were killed, and tidied after a failed build.
 *
 * @module
 */
import { posix } from "node:path";
import { CompileError } from "./compile_error.ts";
import { fsReason } from "./fs_reason.ts";

/** The name of a staging folder: `.compile-<pid of its build>-<random>`. */
export const STAGING_REGEXP = /^\.compile-(\d+)-[0-9A-Za-z]+$/;

/**
 * Checks, before anything is built or created, that the binaries can go to
 * their paths: each folder (the output folder, and `DIR/<target>` for
 * `--target all`) is a folder, a folder through a symbolic link, or missing
 * (it is created); each binary's path is free or a file (replaced), not a
 * folder.
 *
 * @param folders The folders that receive binaries, the output folder first.
 * @param finals The binaries' paths.
 * @returns Nothing when every path fits.
 * @throws {CompileError} With exit code 1 naming the path, what is there
 *   and the fix: a file where a folder goes, a symbolic link to nothing, a
 *   folder where a binary goes, or a path this user may not look at.
 *
 * @example Usage
 * ```ts ignore
 * import { checkOutput } from "./output.ts";
 *
 * await checkOutput(["/srv/dist"], ["/srv/dist/leger", "/srv/dist/legerd"]);
 * ```
 */
export async function checkOutput(
  folders: readonly string[],
  finals: readonly string[],
): Promise<void> {
  for (const folder of folders) await checkFolder(folder);
  for (const final of finals) {
    const info = await lstatOrNull(final);
    if (info?.isDirectory) {
      throw new CompileError(
        `Cannot put ${
          posix.basename(final)
        } at ${final}: a folder is there\n  Remove it (\`rm -r ${final}\`), or pass --output another folder`,
        1,
      );
    }
  }
}

async function checkFolder(folder: string): Promise<void> {
  const refuse = (why: string, fix: string) =>
    new CompileError(
      `Cannot put the binaries in ${folder}: ${why}\n  ${fix}`,
      1,
    );
  const info = await lstatOrNull(folder);
  if (info === null || info.isDirectory) return;
  if (info.isSymlink) {
    const target = await Deno.readLink(folder);
    const resolved = posix.resolve(posix.dirname(folder), target);
    const pointed = await lstatOrNull(resolved, { follow: true });
    if (pointed === null) {
      throw refuse(
        `it is a symbolic link to "${target}", which does not exist`,
        `Create the folder it points to (\`mkdir -p ${resolved}\`), or pass --output another folder`,
      );
    }
    if (pointed.isDirectory) return;
    throw refuse(
      `it is a symbolic link to "${target}", which is not a folder`,
      "Pass --output a folder, or remove the link",
    );
  }
  throw refuse(
    "it is a file, not a folder",
    "Pass --output a folder (it is created if missing), or remove the file",
  );
}

/** `Deno.lstat` (or `Deno.stat` to follow links), `null` for a missing path (or one under a file). */
async function lstatOrNull(
  path: string,
  options: { follow?: boolean } = {},
): Promise<Deno.FileInfo | null> {
  try {
    return await (options.follow ? Deno.stat(path) : Deno.lstat(path));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    // A file on the way (`file/sub`): missing, and creating it says why not.
    if (error instanceof Error && "code" in error && error.code === "ENOTDIR") {
      return null;
    }
    throw new CompileError(
      `Cannot look at ${path}: ${
        fsReason(error)
      }\n  Pass --output a folder this user may read and write`,
      1,
      { cause: error },
    );
  }
}

/** What {@linkcode removeStaleStaging} did. */
export interface StaleStaging {
  /** The staging folders removed: their build's process is gone. */
  removed: string[];
  /** Those it could not remove, and why. */
  failed: { path: string; reason: string }[];
}

/** Options for {@linkcode removeStaleStaging}. */
export interface RemoveStaleStagingOptions {
  /**
   * Where the processes are listed (`<procDir>/<pid>`); without a
   * `<procDir>/self`, no process can be told gone and nothing is removed.
   *
   * @default {"/proc"}
   */
  procDir?: string;
}

/**
 * Removes the staging folders (`DIR/.compile-<pid>-…`) that builds killed
 * before they could clean up left in the output folder: only those whose
 * process is gone (no `/proc/<pid>`), so that a build under way keeps its
 * own.
 *
 * Requires `--allow-run=test`: Deno lets a script look in /proc only with
 * `--allow-all`, so `test -d` looks.
 *
 * @param dir The output folder (missing is fine).
 * @param options Where the processes are listed.
 * @returns The folders removed, and those that could not be.
 *
 * @example Usage
 * ```ts ignore
 * import { removeStaleStaging } from "./output.ts";
 *
 * const { removed } = await removeStaleStaging("/srv/dist");
 * ```
 */
export async function removeStaleStaging(
  dir: string,
  options: RemoveStaleStagingOptions = {},
): Promise<StaleStaging> {
  const { procDir = "/proc" } = options;
  const result: StaleStaging = { removed: [], failed: [] };
  if ((await lstatOrNull(dir))?.isDirectory !== true) return result;
  const stale: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const pid = STAGING_REGEXP.exec(entry.name)?.[1];
    if (pid !== undefined && entry.isDirectory) stale.push(entry.name);
  }
  if (stale.length === 0 || !(await isFolder(`${procDir}/self`))) {
    return result;
  }
  for (const name of stale) {
    const pid = STAGING_REGEXP.exec(name)![1];
    if (await isFolder(`${procDir}/${pid}`)) continue;
    const path = `${dir}/${name}`;
    try {
      await Deno.remove(path, { recursive: true });
      result.removed.push(path);
    } catch (error) {
      result.failed.push({ path, reason: fsReason(error) });
    }
  }
  return result;
}

/** Whether `path` is a folder, asked of `test -d` (Deno keeps scripts out of /proc without --allow-all). */
async function isFolder(path: string): Promise<boolean> {
  const { code } = await new Deno.Command("test", {
    args: ["-d", path],
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).output();
  return code === 0;
}

/** The folders a build made: its staging folder, and those it created. */
export interface PreparedOutput {
  /** The hidden folder the binaries are built in, inside the output folder. */
  staging: string;
  /** The folders this build created, parents first (removed again if left empty). */
  created: string[];
}

/**
 * Creates the folders that receive the binaries (those missing, parents
 * first) and, inside the first, the staging folder the binaries are built
 * in, named after this process (`.compile-<pid>-<random>`) so that a later
 * build can tell it stale ({@linkcode removeStaleStaging}).
 *
 * @param folders The folders that receive binaries, the output folder first.
 * @returns The staging folder and the folders created.
 * @throws {CompileError} With exit code 1 naming the folder that could not
 *   be created (read-only, no permission, a file on the way) and the fix;
 *   what it created by then is removed.
 *
 * @example Usage
 * ```ts ignore
 * import { prepareOutput } from "./output.ts";
 *
 * const { staging } = await prepareOutput(["/srv/dist"]);
 * ```
 */
export async function prepareOutput(
  folders: readonly string[],
): Promise<PreparedOutput> {
  const prepared: PreparedOutput = { staging: "", created: [] };
  try {
    for (const folder of folders) {
      for (const missing of await missingFolders(folder)) {
        await Deno.mkdir(missing).catch((error) => {
          throw cannotWrite(
            missing,
            `the folder cannot be created: ${fsReason(error)}`,
            error,
          );
        });
        prepared.created.push(missing);
      }
    }
    prepared.staging = await Deno.makeTempDir({
      dir: folders[0],
      prefix: `.compile-${Deno.pid}-`,
    }).catch((error) => {
      throw cannotWrite(
        folders[0],
        `nothing can be written in it: ${fsReason(error)}`,
        error,
      );
    });
    return prepared;
  } catch (error) {
    await removeCreated(prepared.created);
    throw error;
  }
}

function cannotWrite(path: string, why: string, cause: unknown): CompileError {
  return new CompileError(
    `Cannot put the binaries in ${path}: ${why}\n  Pass --output a folder this user may write to (it is created if missing)`,
    1,
    { cause },
  );
}

/** `folder` and its missing parents, outermost first. */
async function missingFolders(folder: string): Promise<string[]> {
  const missing: string[] = [];
  for (let path = folder; path !== "/"; path = posix.dirname(path)) {
    if (await lstatOrNull(path) !== null) break;
    missing.unshift(path);
  }
  return missing;
}

/**
 * Removes what a build made that is not a binary in place: its staging
 * folder, then the folders it created, innermost first, if they are empty.
 * It reports what it could not remove instead of throwing, so that the
 * reason the build stopped stays the message.
 *
 * @param prepared What {@linkcode prepareOutput} made.
 * @returns One line per path it could not remove, with why.
 *
 * @example Usage
 * ```ts ignore
 * import { prepareOutput, tidyOutput } from "./output.ts";
 *
 * const prepared = await prepareOutput(["/srv/dist"]);
 * await tidyOutput(prepared);
 * ```
 */
export async function tidyOutput(prepared: PreparedOutput): Promise<string[]> {
  const problems: string[] = [];
  if (prepared.staging !== "") {
    try {
      await Deno.remove(prepared.staging, { recursive: true });
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) {
        problems.push(`Cannot remove ${prepared.staging}: ${fsReason(error)}`);
      }
    }
  }
  problems.push(...await removeCreated(prepared.created));
  return problems;
}

/** Removes the folders a build created, innermost first, unless something else was put in one. */
async function removeCreated(created: readonly string[]): Promise<string[]> {
  const problems: string[] = [];
  for (const folder of [...created].reverse()) {
    try {
      await Deno.remove(folder);
    } catch (error) {
      // Not empty (another writer put something there) or already gone.
      if (error instanceof Deno.errors.NotFound) continue;
      if (
        error instanceof Error && "code" in error && error.code === "ENOTEMPTY"
      ) continue;
      problems.push(`Cannot remove ${folder}: ${fsReason(error)}`);
    }
  }
  return problems;
}
