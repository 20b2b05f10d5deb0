/**
 * Puts the built binaries in place all together or not at all.
 *
 * @module
 */
import { entryExists } from "../../lib/state/path_exists.ts";
import { posix } from "node:path";
import { CompileError } from "./compile_error.ts";
import { fsReason } from "./fs_reason.ts";

/** A binary to put in place: from the staging folder to its path. */
export interface Move {
  /** The built binary. */
  from: string;
  /** Its path, where an older file may be. */
  to: string;
}

/** Options for {@linkcode placeAll}. */
export interface PlaceAllOptions {
  /**
   * Where the files replaced are kept until every binary is in place: a
   * folder on the same file system as the paths (it is created).
   */
  backupDir: string;
  /**
   * Moves a file (the tests make one fail).
   *
   * @default {Deno.rename}
   */
  rename?: (from: string, to: string) => Promise<void>;
}

/**
 * Why the binaries are not in place: the first line names the one that
 * could not be moved; {@linkcode PlaceError.stranded} lists the older files
 * that could not be put back either (kept in the backup folder, which must
 * then be kept).
 */
export class PlaceError extends CompileError {
  /** `PlaceError`. */
  override name = "PlaceError";
  /** The older files left in the backup folder, if putting them back failed. */
  readonly stranded: string[];

  /**
   * Makes the error of binaries not put in place.
   *
   * @param message The first line, then the facts and the fix.
   * @param stranded The older files left in the backup folder.
   * @param options The error of the move that failed (`cause`).
   */
  constructor(message: string, stranded: string[], options?: ErrorOptions) {
    super(message, 1, options);
    this.stranded = stranded;
  }
}

/**
 * Moves every binary to its path, or none: a file already there is first
 * moved into the backup folder, and removed only with it once all are in
 * place. When a move fails, the binaries moved so far are taken out again
 * and the older files put back as they were.
 *
 * @param moves The binaries, in the order they are moved.
 * @param options The backup folder, and how a file is moved.
 * @returns Nothing once every binary is in place (the backup folder holds
 *   the files they replaced).
 * @throws {PlaceError} With exit code 1 when a move fails, naming it and
 *   why, after undoing the others; `stranded` lists any older file that
 *   could not be put back.
 *
 * @example Usage
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { placeAll } from "./place.ts";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/new`, "new");
 * await Deno.writeTextFile(`${dir}/leger`, "old");
 * await placeAll([{ from: `${dir}/new`, to: `${dir}/leger` }], {
 *   backupDir: `${dir}/old`,
 * });
 * strictEqual(await Deno.readTextFile(`${dir}/leger`), "new");
 * strictEqual(await Deno.readTextFile(`${dir}/old/0-leger`), "old");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function placeAll(
  moves: readonly Move[],
  options: PlaceAllOptions,
): Promise<void> {
  const { backupDir, rename = Deno.rename } = options;
  try {
    await Deno.mkdir(backupDir, { recursive: true });
  } catch (error) {
    throw new PlaceError(
      `Cannot put the binaries in place: the folder ${backupDir}, which keeps the files they replace until all are in place, cannot be created: ${
        fsReason(error)
      }\n  No binary was put in place; pass --output a folder this user may write to`,
      [],
      { cause: error },
    );
  }
  const done: { to: string; backup?: string }[] = [];
  for (const [i, move] of moves.entries()) {
    const step: { to: string; backup?: string } = { to: move.to };
    try {
      if (await entryExists(move.to)) {
        const backup = `${backupDir}/${i}-${posix.basename(move.to)}`;
        await rename(move.to, backup);
        step.backup = backup;
      }
      await rename(move.from, move.to);
      done.push(step);
    } catch (error) {
      // This move's older file, then the earlier moves, newest first.
      const stranded = await undo(rename, [...done, {
        to: move.to,
        backup: step.backup,
        placed: false,
      }]);
      throw placeError(move, error, stranded);
    }
  }
}

/** Takes the placed binaries out and puts the older files back; returns those that stay in the backup folder. */
async function undo(
  rename: (from: string, to: string) => Promise<void>,
  steps: { to: string; backup?: string; placed?: boolean }[],
): Promise<string[]> {
  const stranded: string[] = [];
  for (const step of steps.reverse()) {
    try {
      if (step.backup !== undefined) await rename(step.backup, step.to);
      else if (step.placed !== false) await Deno.remove(step.to);
    } catch (error) {
      if (step.backup === undefined) continue;
      stranded.push(`${step.backup} (the old ${step.to}: ${fsReason(error)})`);
    }
  }
  return stranded;
}

function placeError(
  move: Move,
  error: unknown,
  stranded: string[],
): PlaceError {
  const where = `Cannot put ${posix.basename(move.to)} at ${move.to}: ${
    fsReason(error)
  }`;
  const after = stranded.length === 0
    ? "No binary was put in place and the files there are as they were; fix the cause and run `deno task compile` again"
    : `Putting the old files back failed too; they are kept at ${
      stranded.join(", ")
    }: move them back by hand before the next \`deno task compile\`, which removes that folder`;
  return new PlaceError(`${where}\n  ${after}`, stranded, { cause: error });
}
