import type { Finding } from "../errors/finding.ts";
import type { QuadletUnit, VolumeRef } from "../quadlet/types.ts";
import type {
  FindConflictsOptions,
  HostFile,
  HostSnapshot,
  InstalledQuadlet,
} from "./types.ts";

/** A host folder or file a unit mounts from the quadlet folder (`Volume=./site:/srv`). */
interface Mount {
  /** Its path inside the quadlet folder. */
  path: string;
  volume: VolumeRef;
  unit: QuadletUnit;
}

/**
 * Finds the files a deployment would put in the quadlet folder that collide
 * with what is there. Podman keeps every deployment's files in one folder
 * and resolves a relative host path of a unit (`Volume=./site:/srv:ro`)
 * against it, so two deployments with the same relative file or folder name
 * meet there:
 *
 * - a file of the deployment (or a folder it needs) that is already in the
 *   quadlet folder and is not its own — recorded under another deployment
 *   in `deployments.yaml`, or put there outside leger: `ERR_NAME_CONFLICT`
 *   with `forcible: false`. The install would overwrite it, and an undo
 *   would then delete it, so `--force` never passes it;
 * - a folder or file a unit of the deployment mounts that holds files of
 *   another deployment, or that a unit of another deployment (or of none)
 *   mounts too, and a file of the deployment that would land in a folder
 *   another deployment's unit mounts: `ERR_NAME_CONFLICT`, which `--force`
 *   passes (nothing is overwritten, but the containers would share the
 *   files).
 *
 * Files recorded under the deployment's own name are its earlier version.
 *
 * @param deployment The units of the deployment being installed.
 * @param host The files in the quadlet folder and the installed units.
 * @param options The deployment's name and its files.
 * @returns The findings: file collisions in the order of `options.files`,
 * then shared folders.
 *
 * @example Usage
 * ```ts
 * import { findFileConflicts } from "./find_file_conflicts.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const findings = findFileConflicts([], {
 *   installed: [], listening: [], volumes: [],
 *   quadletDir: "/home/u/.config/containers/systemd",
 *   files: [{ path: "site/index.html", deployment: "blog" }],
 * }, { deployment: "shop", files: ["shop.container", "site/index.html"] });
 * deepStrictEqual(
 *   findings.map((f) => [f.code, f.file, f.forcible]),
 *   [["ERR_NAME_CONFLICT", "site/index.html", false]],
 * );
 * ```
 */
export function findFileConflicts(
  deployment: readonly QuadletUnit[],
  host: HostSnapshot,
  options: FindConflictsOptions = {},
): Finding[] {
  const { deployment: name, files = [] } = options;
  const dir = host.quadletDir;
  const others = (host.files ?? []).filter((f) =>
    name === undefined || f.deployment !== name
  );
  const byPath = new Map(others.map((f) => [f.path, f]));
  const ours = mountsOf(deployment, dir);
  const findings: Finding[] = [];
  const reported = new Set<string>();
  // One finding per place and owner: "mount\0owner" once a finding names them.
  const named = new Set<string>();
  for (const path of files) {
    const taken = [path, ...ancestors(path)].map((p) => byPath.get(p))
      .find((f) => f !== undefined);
    if (taken === undefined) continue;
    reported.add(path);
    findings.push(overwrites(path, taken, { dir, name, mounts: ours }));
    for (const mount of ours.filter((m) => overlap(m.path, path))) {
      named.add(`${mount.path}\0${taken.deployment}`);
    }
  }
  const theirs = host.installed.filter((e) =>
    name === undefined || e.deployment !== name
  ).flatMap((entry) =>
    mountsOf([entry.quadlet], dir).map((mount) => ({ ...mount, entry }))
  );
  const once = (mount: Mount, deployment: string | undefined) => {
    const key = `${mount.path}\0${deployment}`;
    if (named.has(key)) return false;
    named.add(key);
    return true;
  };
  for (const mount of ours) {
    for (const file of others) {
      if (
        file.deployment !== undefined && overlap(file.path, mount.path) &&
        once(mount, file.deployment)
      ) {
        findings.push(mountHolds(mount, file, dir));
      }
    }
    for (const other of theirs) {
      if (
        overlap(other.path, mount.path) && once(mount, other.entry.deployment)
      ) {
        findings.push(mountedTwice(mount, other, other.entry, dir));
      }
    }
  }
  for (const path of files) {
    if (reported.has(path)) continue;
    const other = theirs.find((m) =>
      overlap(m.path, path) &&
      !ours.some((o) =>
        overlap(o.path, path) && named.has(`${o.path}\0${m.entry.deployment}`)
      )
    );
    if (other !== undefined) {
      findings.push(landsInMount(path, other, other.entry, dir));
    }
  }
  return findings;
}

/** The host paths inside the quadlet folder that units mount, relative to it. */
function mountsOf(
  units: readonly QuadletUnit[],
  dir: string | undefined,
): Mount[] {
  if (dir === undefined) return [];
  const prefix = `${dir}/`;
  return units.flatMap((unit) =>
    unit.volumes.flatMap((volume) => {
      const source = volume.resolvedSource;
      return volume.sourceKind === "host" && source?.startsWith(prefix)
        ? [{ path: source.slice(prefix.length), volume, unit }]
        : [];
    })
  );
}

function ancestors(path: string): string[] {
  const parts = path.split("/");
  return parts.slice(1).map((_, i) => parts.slice(0, i + 1).join("/"));
}

/** Whether one path is the other or inside it. */
function overlap(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}

function owner(deployment: string | undefined): string {
  return deployment === undefined
    ? "installed outside leger"
    : `deployment "${deployment}"`;
}

function removal(deployment: string): string {
  return `remove the other deployment with \`leger deploy remove ${deployment}\``;
}

function overwrites(
  path: string,
  taken: HostFile,
  context: {
    dir: string | undefined;
    name: string | undefined;
    mounts: readonly Mount[];
  },
): Finding {
  const { dir, name, mounts } = context;
  const where = dir === undefined ? taken.path : `${dir}/${taken.path}`;
  const what = taken.path === path
    ? `"${path}" is already in the quadlet folder (${where})`
    : `"${taken.path}", where it needs a folder, is already a file in the quadlet folder (${where})`;
  const mount = mounts.find((m) => overlap(m.path, path));
  const shared = mount === undefined
    ? "Every deployment's files share the quadlet folder"
    : `Podman resolves Volume=${mount.volume.source} against the quadlet folder, which every deployment shares`;
  const rename = `rename ${
    mount === undefined
      ? path
      : `${mount.path} (and Volume=${mount.volume.source})`
  } in ${name === undefined ? "this deployment" : `"${name}"`}${
    name === undefined || mount === undefined
      ? ""
      : `, for example to ${name}-${mount.path}`
  }`;
  return {
    code: "ERR_NAME_CONFLICT",
    message: `Cannot install "${path}": ${what} and belongs to ${
      taken.deployment === undefined
        ? "no deployment (it was installed outside leger)"
        : `deployment "${taken.deployment}"`
    }; --force does not overwrite it`,
    file: path,
    remedy: `${shared}: ${rename}, or ${
      taken.deployment === undefined
        ? `move ${where} away if nothing uses it`
        : removal(taken.deployment)
    }`,
    forcible: false,
  };
}

function mountHolds(
  mount: Mount,
  example: HostFile,
  dir: string | undefined,
): Finding {
  return {
    code: "ERR_NAME_CONFLICT",
    message:
      `Cannot mount Volume=${mount.volume.source} of "${mount.unit.file}": Podman resolves it to ${dir}/${mount.path}, which holds files of ${
        owner(example.deployment)
      } (${example.path}), so both would share them`,
    file: mount.volume.file,
    line: mount.volume.line,
    remedy: `Give this deployment's folder a name of its own (rename ${
      mount.path.split("/")[0]
    } and Volume=), or ${removal(example.deployment!)}`,
  };
}

function mountedTwice(
  mount: Mount,
  other: Mount,
  entry: InstalledQuadlet,
  dir: string | undefined,
): Finding {
  return {
    code: "ERR_NAME_CONFLICT",
    message:
      `Cannot mount Volume=${mount.volume.source} of "${mount.unit.file}": Podman resolves it to ${dir}/${mount.path}, which "${other.unit.file}" (${
        owner(entry.deployment)
      }) mounts too`,
    file: mount.volume.file,
    line: mount.volume.line,
    remedy: `Give this deployment's folder a name of its own (rename ${
      mount.path.split("/")[0]
    } and Volume=), or ${
      entry.deployment === undefined
        ? `remove "${other.unit.file}" from the quadlet folder`
        : removal(entry.deployment)
    }`,
  };
}

function landsInMount(
  path: string,
  other: Mount,
  entry: InstalledQuadlet,
  dir: string | undefined,
): Finding {
  return {
    code: "ERR_NAME_CONFLICT",
    message:
      `Cannot install "${path}": it would land in ${dir}/${other.path}, which "${other.unit.file}" (${
        owner(entry.deployment)
      }) mounts with Volume=${other.volume.source}`,
    file: path,
    remedy: `Rename ${path.split("/")[0]} in this deployment, or ${
      entry.deployment === undefined
        ? `remove "${other.unit.file}" from the quadlet folder`
        : removal(entry.deployment)
    }`,
  };
}
