import { dump, load } from "js-yaml";
import { LegerError } from "../errors/mod.ts";
import type { SourceInfo } from "../source/types.ts";
import type { Scope } from "./paths.ts";
import { writeFileAtomic } from "./write_file_atomic.ts";

/** What leger records about one installed deployment in `deployments.yaml`. */
export interface InstalledDeployment {
  /** The deployment's name, unique in its scope. */
  name: string;
  /** The scope it is installed in: `user` (rootless) or `system` (root). */
  scope: Scope;
  /** Where its files came from (path or URL, ref, commit, version). */
  source: SourceInfo;
  /** When it was installed, RFC 3339. */
  installed_at: string;
  /** Every file leger put in the quadlet folder, with its SHA-256. */
  files: { name: string; sha256: string }[];
  /** The quadlet unit files among them. */
  units: string[];
  /** The services leger starts (containers, pods, kube units). */
  services: string[];
  /** The services of all its units, volumes and networks included (absent in older records). */
  unit_services?: string[];
  /** The Podman volumes its `.volume` units create. */
  volumes: string[];
  /** The Podman networks its `.network` units create (absent in older records). */
  networks?: string[];
  /** The id of the change that installed it (its intent journal's `change_id`). */
  change_id?: string;
}

const FILE = "deployments.yaml";

/**
 * Reads `deployments.yaml` from leger's state folder; empty when there is none.
 *
 * Requires `--allow-read` for the state folder.
 *
 * @throws {LegerError} `ERR_STATE_INVALID` when the file cannot be parsed.
 *
 * @example Usage
 * ```ts ignore
 * import { readDeployments } from "./deployments_file.ts";
 * const installed = await readDeployments("/home/a/.local/share/leger");
 * ```
 */
export async function readDeployments(
  stateDir: string,
): Promise<InstalledDeployment[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(`${stateDir}/${FILE}`);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = load(text);
  } catch (error) {
    throw invalid(stateDir, String((error as Error).message), error);
  }
  const list = (parsed as { deployments?: unknown } | null)?.deployments ?? [];
  if (!Array.isArray(list)) {
    throw invalid(stateDir, "deployments must be a list");
  }
  return list as InstalledDeployment[];
}

/**
 * Writes `deployments.yaml` atomically, sorted by name.
 *
 * Requires `--allow-write` for the state folder.
 *
 * @example Usage
 * ```ts ignore
 * import { writeDeployments } from "./deployments_file.ts";
 * await writeDeployments("/home/a/.local/share/leger", []);
 * ```
 */
export async function writeDeployments(
  stateDir: string,
  deployments: readonly InstalledDeployment[],
): Promise<void> {
  const sorted = [...deployments].sort((a, b) => a.name.localeCompare(b.name));
  const text =
    "# Written by leger: the deployments it installed. Do not edit.\n" +
    dump({ deployments: sorted }, { lineWidth: -1, noRefs: true });
  await writeFileAtomic(`${stateDir}/${FILE}`, new TextEncoder().encode(text));
}

function invalid(stateDir: string, why: string, cause?: unknown): LegerError {
  return new LegerError(
    "ERR_STATE_INVALID",
    `Cannot read ${stateDir}/${FILE}: ${why}`,
    {
      cause,
      remedy:
        `Restore the file from a backup, or move it aside and reinstall with \`leger deploy install\``,
    },
  );
}
