import { createTwoFilesPatch } from "diff";

/** How one file differs between the active and the staged deployment. */
export interface FileDiff {
  /** The file's `/`-separated path inside the deployment (`web.container.d/10.conf`). */
  name: string;
  /**
   * `added` when only the staged version has it, `removed` when only the
   * active one has it, `modified` when both have it with different bytes.
   */
  status: "modified" | "added" | "removed";
  /** A unified diff (`--- a/x` / `+++ b/x`), or a one-line note for binary files. */
  patch: string;
}

/** The differences between two versions of a deployment. */
export interface DeploymentDiff {
  /** The files that differ, in path order (unchanged files are left out). */
  files: FileDiff[];
  /** How many files are in each state. */
  summary: {
    /** Files in both versions whose bytes differ. */
    modified: number;
    /** Files only in the staged version. */
    added: number;
    /** Files only in the active version. */
    removed: number;
    /** Files in both versions with the same bytes. */
    unchanged: number;
  };
}

const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * Compares the files of two versions of a deployment, path by path, and gives
 * a unified diff of each changed file (drop-in `.conf` files included) and a
 * summary of what was modified, added and removed.
 *
 * @param active The installed version's files (empty before the first install).
 * @param staged The staged version's files.
 * @returns The changed files in path order, and the counts.
 *
 * @example Usage
 * ```ts
 * import { diffDeployments } from "./diff_deployments.ts";
 * import { deepStrictEqual, match } from "node:assert/strict";
 *
 * const bytes = (text: string) => new TextEncoder().encode(text);
 * const diff = diffDeployments(
 *   new Map([["web.container", bytes("[Container]\nImage=a\n")]]),
 *   new Map([["web.container", bytes("[Container]\nImage=b\n")]]),
 * );
 * deepStrictEqual(diff.summary, { modified: 1, added: 0, removed: 0, unchanged: 0 });
 * match(diff.files[0].patch, /-Image=a\n\+Image=b/);
 * ```
 */
export function diffDeployments(
  active: ReadonlyMap<string, Uint8Array>,
  staged: ReadonlyMap<string, Uint8Array>,
): DeploymentDiff {
  const names = [...new Set([...active.keys(), ...staged.keys()])].sort();
  const files: FileDiff[] = [];
  let unchanged = 0;
  for (const name of names) {
    const before = active.get(name);
    const after = staged.get(name);
    if (
      before !== undefined && after !== undefined && sameBytes(before, after)
    ) {
      unchanged++;
      continue;
    }
    const status = before === undefined
      ? "added"
      : after === undefined
      ? "removed"
      : "modified";
    files.push({ name, status, patch: patchOf(name, before, after) });
  }
  const count = (status: FileDiff["status"]) =>
    files.filter((f) => f.status === status).length;
  return {
    files,
    summary: {
      modified: count("modified"),
      added: count("added"),
      removed: count("removed"),
      unchanged,
    },
  };
}

function patchOf(
  name: string,
  before: Uint8Array | undefined,
  after: Uint8Array | undefined,
): string {
  const oldText = textOf(before);
  const newText = textOf(after);
  if (oldText === null || newText === null) {
    return `Binary files a/${name} and b/${name} differ\n`;
  }
  return createTwoFilesPatch(
    before === undefined ? "/dev/null" : `a/${name}`,
    after === undefined ? "/dev/null" : `b/${name}`,
    oldText,
    newText,
    undefined,
    undefined,
    { context: 3 },
  ).replace(/^=+\n/, "");
}

/** The text of a file; "" for an absent one; `null` when it is not UTF-8. */
function textOf(bytes: Uint8Array | undefined): string | null {
  if (bytes === undefined) return "";
  try {
    return decoder.decode(bytes);
  } catch {
    return null;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
