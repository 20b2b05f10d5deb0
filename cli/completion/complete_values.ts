import {
  type InstalledDeployment,
  readDeployments,
} from "../../lib/state/deployments_file.ts";
import { legerPaths, type PathEnv, type Scope } from "../../lib/state/paths.ts";
import type { CompletionKind } from "../spec.ts";
import { STATIC_VALUES } from "./static_values.ts";

/** Options for {@linkcode completeValues}. */
export interface CompleteValuesOptions {
  /** The scopes to read, in order. */
  scopes: readonly Scope[];
  /** The home folder and environment the scopes' folders depend on. */
  pathEnv: PathEnv;
}

/**
 * The values of some kinds a shell completes, read from leger's state files
 * and folders only: no network, no process, no lock, so that it is fast on
 * every TAB and works while another leger holds the deploy lock.
 *
 * - `deployments`: the installed deployments (`deployments.yaml`);
 * - `deployments-with-services`: those that have services (not one of
 *   volumes or networks only, which `leger service` refuses);
 * - `services`: their services as `leger service` takes them (`web` for
 *   `web.service`; a template's `x@.service` is left out: it needs an
 *   instance name);
 * - `staged`: the staged deployments (the folders of `staged/`);
 * - `backups`: the backup ids (the folders of `backups/`, oldest first, as
 *   their ids start with their time);
 * - `scopes`, `shells`: their fixed values.
 *
 * What cannot be read (a missing or damaged file, a folder the user may not
 * read, an unknown kind) gives no values and no error: a completion never
 * prints an error in the middle of a command line.
 *
 * Requires `--allow-read` for leger's state folders.
 *
 * @param kinds The kinds wanted, in order; values repeated across kinds are given once.
 * @param options The scopes and where their folders are.
 * @returns The values, one kind after the other, each kind's sorted.
 *
 * @example Usage
 * ```ts ignore
 * import { completeValues } from "./complete_values.ts";
 * const names = await completeValues(["deployments"], {
 *   scopes: ["user"],
 *   pathEnv: { home: "/home/a", env: (name) => Deno.env.get(name) },
 * });
 * ```
 */
export async function completeValues(
  kinds: readonly string[],
  options: CompleteValuesOptions,
): Promise<string[]> {
  const { scopes, pathEnv } = options;
  const paths = scopes.map((scope) => legerPaths(scope, pathEnv));
  let installed: Promise<InstalledDeployment[]> | undefined;
  const deployments = () =>
    installed ??= Promise.all(
      paths.map((p) => quietly(() => readDeployments(p.stateDir))),
    ).then((lists) => lists.flat());
  const values = await Promise.all(kinds.map(async (kind) => {
    switch (kind as CompletionKind) {
      case "deployments":
        return sorted((await deployments()).map((d) => d.name));
      case "deployments-with-services":
        return sorted(
          (await deployments()).filter((d) => d.services.length > 0)
            .map((d) => d.name),
        );
      case "services":
        return sorted(
          (await deployments()).flatMap((d) => d.services)
            .filter((service) => !service.endsWith("@.service"))
            .map((service) => service.replace(/\.service$/, "")),
        );
      case "staged":
        return sorted(await folders(paths.map((p) => `${p.workDir}/staged`)));
      case "backups":
        return sorted(await folders(paths.map((p) => `${p.workDir}/backups`)));
      default:
        return [...STATIC_VALUES[kind as CompletionKind] ?? []];
    }
  }));
  return [...new Set(values.flat())];
}

/** The names of the folders in `parents`, but hidden ones (a staging in progress). */
async function folders(parents: readonly string[]): Promise<string[]> {
  const lists = await Promise.all(parents.map((parent) =>
    quietly(async () => {
      const names: string[] = [];
      for await (const entry of Deno.readDir(parent)) {
        if (entry.isDirectory && !entry.name.startsWith(".")) {
          names.push(entry.name);
        }
      }
      return names;
    })
  ));
  return lists.flat();
}

/**
 * What `read` gives, or nothing when it fails in any way. Errors are
 * dropped on purpose: a TAB press has nowhere to show one, and the command
 * the user then runs reports the same problem properly.
 */
async function quietly<T>(read: () => Promise<T[]>): Promise<T[]> {
  try {
    return await read();
  } catch {
    return [];
  }
}

function sorted(values: string[]): string[] {
  return [...new Set(values)].sort();
}
