import { CommandError } from "./command_error.ts";
import { run, type Runner } from "./run.ts";

/** A process that works in a folder, as {@linkcode processesInFolder} finds it. */
export interface FolderProcess {
  /** Its process ID. */
  pid: number;
  /** Its current folder (`/proc/<pid>/cwd`), as the kernel names it. */
  cwd: string;
  /**
   * Its command line, the arguments joined by spaces; empty when it cannot
   * be read.
   */
  commandLine: string;
}

/** Options for {@linkcode processesInFolder}. */
export interface ProcessesInFolderOptions {
  /**
   * The process file system.
   *
   * @default {"/proc"}
   */
  procDir?: string;
  /**
   * Runs `ls` and `cat` when Deno will not read `procDir` itself.
   *
   * @default {run}
   */
  runner?: Runner;
}

/** Programs leger asks about processes read text in the C locale. */
const C_LOCALE = { LC_ALL: "C" };

const PID_REGEXP = /^[1-9]\d*$/;
const LS_LINK_REGEXP = /"((?:[^"\\]|\\.)*)" -> "((?:[^"\\]|\\.)*)"$/;
/**
 * What `ls` says of a process that ended or that the user may not inspect
 * (named by the path it was started with, `/usr/bin/ls`).
 */
const LS_SKIPPED_REGEXP = /^(?:\S*\/)?ls: cannot (access|read symbolic link) /;
/** What Linux appends to the current folder of a process once it is deleted. */
const DELETED_SUFFIX = " (deleted)";

/**
 * The processes whose current folder is `dir` or a folder under it, read from
 * `/proc/<pid>/cwd` (Linux): how leger finds the programs a killed leger
 * started in a staged folder (`podman quadlet install` and the programs it
 * runs inherit that folder) and that may still be changing the host.
 * Processes the user may not inspect are skipped, as are processes that end
 * while they are read and leger's own process; without a `/proc` the list is
 * empty. `dir` matches by its real path too (`/home` is a link on Fedora
 * Atomic), and a folder deleted since still matches.
 *
 * Deno 2.9 reads nothing under `/proc` without `--allow-all`, whatever
 * `--allow-read` says. When it refuses, the folders are read with one `ls
 * /proc` and one `ls -l` of every `/proc/<pid>/cwd`, and the matching
 * command lines with `cat`: that needs `--allow-run=ls,cat`.
 *
 * @param dir The folder, as an absolute path.
 * @param options The process file system, and the runner for `ls` and `cat`.
 * @returns The processes, by ascending process ID.
 * @throws {CommandError} If `ls` fails for another reason than a process
 * that ended or may not be inspected.
 * @throws {Deno.errors.NotCapable} If Deno may neither read `/proc` nor run
 * `ls` and `cat`.
 *
 * @example Usage
 * ```ts ignore
 * import { processesInFolder } from "./processes_in_folder.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * deepStrictEqual(await processesInFolder(dir), []);
 * ```
 */
export async function processesInFolder(
  dir: string,
  options: ProcessesInFolderOptions = {},
): Promise<FolderProcess[]> {
  const { procDir = "/proc", runner = run } = options;
  const wanted = [trimSlash(dir)];
  const real = await Deno.realPath(dir).catch(() => null);
  if (real !== null && real !== wanted[0]) wanted.push(real);
  const inside = (cwd: string) => {
    const path = cwd.endsWith(DELETED_SUFFIX)
      ? cwd.slice(0, -DELETED_SUFFIX.length)
      : cwd;
    return wanted.some((w) => path === w || path.startsWith(`${w}/`));
  };
  const folders = await readFoldersDirectly(procDir) ??
    await readFoldersWithLs(procDir, runner);
  const found: FolderProcess[] = [];
  for (const [pid, cwd] of folders) {
    if (pid === Deno.pid || !inside(cwd)) continue;
    const commandLine = await readCommandLine(procDir, pid, runner);
    // `null`: it ended meanwhile.
    if (commandLine !== null) found.push({ pid, cwd, commandLine });
  }
  return found.sort((a, b) => a.pid - b.pid);
}

function trimSlash(path: string): string {
  return path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
}

/**
 * Each process's current folder, read by Deno, or `null` when Deno may not
 * read `procDir`.
 */
async function readFoldersDirectly(
  procDir: string,
): Promise<Map<number, string> | null> {
  let names: string[];
  try {
    names = await Array.fromAsync(Deno.readDir(procDir), (e) => e.name);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return new Map();
    if (error instanceof Deno.errors.NotCapable) return null;
    throw error;
  }
  const folders = new Map<number, string>();
  for (const name of names.filter((n) => PID_REGEXP.test(n))) {
    try {
      folders.set(Number(name), await Deno.readLink(`${procDir}/${name}/cwd`));
    } catch (error) {
      if (
        error instanceof Deno.errors.NotFound ||
        error instanceof Deno.errors.PermissionDenied
      ) continue; // ended meanwhile, or another user's
      throw error;
    }
  }
  return folders;
}

/** Each process's current folder, as `ls` shows it. */
async function readFoldersWithLs(
  procDir: string,
  runner: Runner,
): Promise<Map<number, string>> {
  const listArgs = ["-1", "-U", "--", procDir];
  const listing = await runner("ls", listArgs, {
    allowedExitCodes: [2],
    env: C_LOCALE,
  });
  if (listing.code !== 0) {
    if (/No such file or directory/.test(listing.stderr)) return new Map();
    throw new CommandError("ls", listArgs, listing.code, listing.stderr);
  }
  const pids = listing.stdout.split("\n").filter((n) => PID_REGEXP.test(n));
  const folders = new Map<number, string>();
  if (pids.length === 0) return folders;
  // `ls -l` shows where each link points; C quoting keeps one line per link.
  const args = [
    "-l",
    "-d",
    "-n",
    "--quoting-style=c",
    "--",
    ...pids.map((pid) => `${procDir}/${pid}/cwd`),
  ];
  const { code, stdout, stderr } = await runner("ls", args, {
    allowedExitCodes: [1, 2],
    env: C_LOCALE,
  });
  const unexpected = stderr.split("\n").filter((line) =>
    line !== "" && !LS_SKIPPED_REGEXP.test(line)
  );
  if (unexpected.length > 0) throw new CommandError("ls", args, code, stderr);
  for (const line of stdout.split("\n")) {
    const match = LS_LINK_REGEXP.exec(line);
    if (match === null) continue; // a link it could not read
    const pid = /\/(\d+)\/cwd$/.exec(unquoteC(match[1]))?.[1];
    if (pid !== undefined) folders.set(Number(pid), unquoteC(match[2]));
  }
  return folders;
}

/** A process's command line, or `null` once it has ended. */
async function readCommandLine(
  procDir: string,
  pid: number,
  runner: Runner,
): Promise<string | null> {
  const path = `${procDir}/${pid}/cmdline`;
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    if (error instanceof Deno.errors.PermissionDenied) return "";
    if (!(error instanceof Deno.errors.NotCapable)) throw error;
    const result = await runner("cat", [path], {
      allowedExitCodes: [1],
      env: C_LOCALE,
    });
    if (result.code !== 0) {
      return /No such file or directory/.test(result.stderr) ? null : "";
    }
    text = result.stdout;
  }
  return text.split("\0").filter((arg) => arg !== "").join(" ");
}

const C_ESCAPES: Record<string, number> = {
  a: 7,
  b: 8,
  f: 12,
  n: 10,
  r: 13,
  t: 9,
  v: 11,
};

/**
 * Reads a name as GNU `ls --quoting-style=c` writes it (without its
 * quotes): backslash escapes, and other bytes in octal (`\303\251` for é).
 */
function unquoteC(text: string): string {
  const encoder = new TextEncoder();
  const chars = [...text];
  const bytes: number[] = [];
  for (let i = 0; i < chars.length; i++) {
    if (chars[i] !== "\\" || i + 1 === chars.length) {
      bytes.push(...encoder.encode(chars[i]));
      continue;
    }
    const octal = /^[0-7]{1,3}/.exec(chars.slice(i + 1, i + 4).join(""))?.[0];
    if (octal !== undefined) {
      bytes.push(parseInt(octal, 8));
      i += octal.length;
    } else {
      const next = chars[++i];
      if (Object.hasOwn(C_ESCAPES, next)) bytes.push(C_ESCAPES[next]);
      else bytes.push(...encoder.encode(next));
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}
