import { dump, load, YAMLException } from "js-yaml";
import { LegerError } from "../errors/leger_error.ts";
import { checkDeploymentName } from "../manifest/check_deployment_name.ts";
import type { SourceInfo } from "../source/types.ts";
import type { Scope } from "./paths.ts";
import { readStateFile } from "./_read_state_file.ts";
import { StateFields } from "./_state_fields.ts";
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
  /**
   * Services the install left stopped because a Podman secret they use did
   * not exist yet; legerd starts them once it does, then clears the list.
   */
  waiting_for_secrets?: string[];
}

const FILE = "deployments.yaml";

/**
 * Reads `deployments.yaml` from leger's state folder; empty when there is none.
 * Every field of every entry is checked, so that what a command reads is what
 * the type says: a damaged or hand-edited file is refused with the entry and
 * field at fault, not met later as a `null` somewhere.
 *
 * Requires `--allow-read` for the state folder.
 *
 * @param stateDir leger's state folder of the scope.
 * @returns The installed deployments, in the file's order.
 * @throws {LegerError} `ERR_STATE_INVALID` naming the file, the entry (its
 * index and name) and the field when the file is not YAML or an entry is
 * missing a field or has one of the wrong type, or two entries share a
 * name; `ERR_PERMISSION_DENIED` (and the other codes of `fromSystemError()`)
 * when it cannot be read.
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
  const path = `${stateDir}/${FILE}`;
  const text = await readStateFile(path);
  if (text === null) return [];
  const fields = new StateFields(
    path,
    "Correct the entry by hand, or restore the file from a backup; deleting an entry makes leger forget that deployment (its units stay installed, and `leger deploy install` records it again)",
  );
  // leger writes at least its header and a list; an empty file lost them.
  if (!/^[ \t]*[^#\s]/m.test(text)) throw fields.invalid("", "is empty");
  let parsed: unknown;
  try {
    parsed = load(text);
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    throw fields.invalid(
      "",
      `is not YAML${
        error.mark === undefined ? "" : ` (line ${error.mark.line + 1})`
      }: ${error.reason}`,
      error,
    );
  }
  if (parsed === null || parsed === undefined) return [];
  const root = fields.record(parsed, "");
  if (root.deployments === undefined || root.deployments === null) return [];
  const seen = new Map<string, number>();
  return fields.list(root.deployments, "deployments").map((value, index) => {
    const entry = readEntry(fields, value, index);
    const first = seen.get(entry.name);
    if (first !== undefined) {
      throw fields.invalid(
        entryPath(index, entry.name),
        `repeats the name of deployments[${first}]`,
      );
    }
    seen.set(entry.name, index);
    return entry;
  });
}

function readEntry(
  fields: StateFields,
  value: unknown,
  index: number,
): InstalledDeployment {
  const record = fields.record(value, `deployments[${index}]`);
  const name = typeof record.name === "string" && record.name !== ""
    ? record.name
    : undefined;
  const at = entryPath(index, name);
  const checkedName = fields.string(record, "name", at);
  const problem = deploymentNameProblem(checkedName);
  if (problem !== undefined) {
    throw fields.invalid(`${at}.name`, problem);
  }
  const entry: InstalledDeployment = {
    name: checkedName,
    scope: fields.oneOf(record, "scope", at, ["user", "system"]),
    source: fields.source(record, "source", at),
    installed_at: fields.date(record, "installed_at", at),
    files: fields.listField(record, "files", at).map((file, i) => {
      const fileAt = `${at}.files[${i}]`;
      const item = fields.record(file, fileAt);
      return {
        name: fields.relativePath(item, "name", fileAt),
        sha256: fields.sha256(item, "sha256", fileAt),
      };
    }),
    units: fields.strings(record, "units", at),
    services: fields.strings(record, "services", at),
    volumes: fields.strings(record, "volumes", at),
  };
  const unitServices = fields.optionalStrings(record, "unit_services", at);
  if (unitServices !== undefined) entry.unit_services = unitServices;
  const networks = fields.optionalStrings(record, "networks", at);
  if (networks !== undefined) entry.networks = networks;
  const changeId = fields.optionalString(record, "change_id", at);
  if (changeId !== undefined) entry.change_id = changeId;
  const waiting = fields.optionalStrings(record, "waiting_for_secrets", at);
  if (waiting !== undefined) entry.waiting_for_secrets = waiting;
  return entry;
}

/** `deployments[2] ("web")`, or `deployments[2]` before the name is known. */
function entryPath(index: number, name: string | undefined): string {
  return name === undefined
    ? `deployments[${index}]`
    : `deployments[${index}] (${JSON.stringify(name)})`;
}

/**
 * Why a recorded name cannot be a deployment's: leger makes folders and
 * removes them by it (`active/<name>`), so it must stay one plain name.
 */
function deploymentNameProblem(name: string): string | undefined {
  try {
    checkDeploymentName(name, { where: FILE });
    return undefined;
  } catch (error) {
    if (!(error instanceof LegerError)) throw error;
    const marker = `from ${FILE}: `;
    return `is not a deployment name leger accepts: ${
      error.message.slice(error.message.indexOf(marker) + marker.length)
    }`;
  }
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
