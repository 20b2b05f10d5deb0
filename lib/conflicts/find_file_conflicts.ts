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
 *   would then delete it, so `--force` never passes it. A symbolic link on
 *   the way to a file (`site -> /elsewhere` for `site/index.html`), existing
 *   or dangling, is such a conflict too, naming the link and where it
 *   points: the install would write through it;
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
  // Paths are compared through indexes, not each with each: a unit may mount
  // 35,000 times, a deployment hold 10,000 files, a host record as many.
  const oursByPath = new PathIndex(ours.map((m) => m.path), { first: true });
  const findings: Finding[] = [];
  const reported = new Set<string>();
  // One finding per place and owner: "mount\0owner" once a finding names them.
  const named = new Set<string>();
  for (const path of files) {
    const taken = [path, ...ancestors(path)].map((p) => byPath.get(p))
      .find((f) => f !== undefined);
    if (taken === undefined) continue;
    reported.add(path);
    const overlapping = oursByPath.overlapping(path);
    findings.push(
      overwrites(path, taken, { dir, name, mount: ours[overlapping[0]] }),
    );
    for (const i of overlapping) {
      named.add(`${ours[i].path}\0${taken.deployment}`);
    }
  }
  const theirs = host.installed.filter((e) =>
    name === undefined || e.deployment !== name
  ).flatMap((entry) =>
    mountsOf([entry.quadlet], dir).map((mount) => ({ ...mount, entry }))
  );
  const theirsByPath = new PathIndex(theirs.map((m) => m.path));
  const held = others.filter((file) => file.deployment !== undefined);
  const heldByPath = new PathIndex(held.map((file) => file.path));
  const once = (mount: Mount, deployment: string | undefined) => {
    const key = `${mount.path}\0${deployment}`;
    if (named.has(key)) return false;
    named.add(key);
    return true;
  };
  const mounted = new Set<string>();
  for (const mount of ours) {
    // A path mounted again finds only owners its first mount named.
    if (mounted.has(mount.path)) continue;
    mounted.add(mount.path);
    for (const i of heldByPath.overlapping(mount.path)) {
      if (once(mount, held[i].deployment)) {
        findings.push(mountHolds(mount, held[i], dir));
      }
    }
    for (const i of theirsByPath.overlapping(mount.path)) {
      const other = theirs[i];
      if (once(mount, other.entry.deployment)) {
        findings.push(mountedTwice(mount, other, other.entry, dir));
      }
    }
  }
  for (const path of files) {
    if (reported.has(path)) continue;
    const mine = oursByPath.overlapping(path).map((i) => ours[i].path);
    const i = theirsByPath.overlapping(path).find((i) =>
      !mine.some((o) => named.has(`${o}\0${theirs[i].entry.deployment}`))
    );
    if (i !== undefined) {
      findings.push(landsInMount(path, theirs[i], theirs[i].entry, dir));
    }
  }
  return findings;
}

/**
 * Paths, to find those that overlap one (are it, hold it or lie inside it)
 * without comparing it with each. With `first`, only the first of the paths
 * that are equal is kept.
 */
class PathIndex {
  /** Path to the indexes of the paths equal to it. */
  #at = new Map<string, number[]>();
  /** Folder to the indexes of the paths inside it. */
  #inside = new Map<string, number[]>();

  constructor(paths: readonly string[], options: { first?: boolean } = {}) {
    paths.forEach((path, index) => {
      const equal = this.#at.get(path);
      if (equal !== undefined) {
        if (!options.first) equal.push(index);
        return;
      }
      this.#at.set(path, [index]);
      for (const folder of ancestors(path)) {
        const inside = this.#inside.get(folder);
        if (inside === undefined) this.#inside.set(folder, [index]);
        else inside.push(index);
      }
    });
  }

  /** The indexes of the paths that overlap `path`, in order. */
  overlapping(path: string): number[] {
    const found: number[] = [];
    for (const p of [path, ...ancestors(path)]) {
      for (const index of this.#at.get(p) ?? []) found.push(index);
    }
    for (const index of this.#inside.get(path) ?? []) found.push(index);
    return found.sort((a, b) => a - b);
  }
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

/**
 * The folders above a path: what comes before each of its `/`. A path
 * overlaps another (is it or lies inside it, or holds it) when one is the
 * other or among its folders.
 */
function ancestors(path: string): string[] {
  const folders: string[] = [];
  for (let i = path.indexOf("/"); i !== -1; i = path.indexOf("/", i + 1)) {
    folders.push(path.slice(0, i));
  }
  return folders;
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
    /** The first mount of the deployment that overlaps `path`. */
    mount: Mount | undefined;
  },
): Finding {
  const { dir, name, mount } = context;
  const where = dir === undefined ? taken.path : `${dir}/${taken.path}`;
  const what = taken.linkTarget !== undefined
    ? `"${taken.path}" in the quadlet folder is a symbolic link to ${taken.linkTarget} (${where}), so the install would write through it, outside the quadlet folder,`
    : taken.path === path
    ? `"${path}" is already in the quadlet folder (${where})`
    : `"${taken.path}", where it needs a folder, is already a file in the quadlet folder (${where})`;
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
        ? taken.linkTarget === undefined
          ? `move ${where} away if nothing uses it`
          : `remove the link ${where} (\`rm ${where}\` removes the link, not ${taken.linkTarget}) if nothing uses it`
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
