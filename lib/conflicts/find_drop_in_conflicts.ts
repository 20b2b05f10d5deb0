import type { Finding } from "../errors/finding.ts";
import { quadletKindOf } from "../quadlet/kind.ts";
import { QUADLET_KINDS } from "../quadlet/types.ts";
import { dropInDirs } from "../unit/drop_ins.ts";
import type {
  FindConflictsOptions,
  HostSnapshot,
  InstalledQuadlet,
} from "./types.ts";

const KINDS: ReadonlySet<string> = new Set(QUADLET_KINDS);

/** How many units one finding names before it says "and N more". */
const MAX_UNITS_NAMED = 5;

/** A drop-in folder of the deployment and its `.conf` files. */
interface DropInFolder {
  /** The folder's path in the deployment (`container.d`, `sub/shop-.container.d`). */
  path: string;
  /** Its name, which decides which units it applies to. */
  name: string;
  /** Its `.conf` files, in the order given. */
  files: string[];
}

/**
 * Finds the drop-ins of a deployment that would change units outside it.
 * Podman applies a drop-in folder to every unit whose name it matches,
 * wherever the unit comes from (podman-systemd.unit(5), "drop-in"):
 * `container.d/` to every `.container` unit, `foo-.container.d/` to every
 * `.container` unit whose name starts with `foo-`, `app@.container.d/` to
 * every instance of `app@.container`, and `web.container.d/` to
 * `web.container`, even when another deployment installed it.
 *
 * - A drop-in folder that reaches installed units of other deployments (or
 *   of none): `ERR_DROPIN_SCOPE` naming those units; `--force` installs it
 *   anyway.
 * - A type-wide or prefix folder that reaches no such unit today: a warning
 *   (`ERR_DROPIN_SCOPE`, `severity: "warning"`), since it will change the
 *   matching units of every deployment installed later.
 *
 * Installed units of the same deployment are its earlier version.
 *
 * @param host The units installed on the host.
 * @param options The deployment's name and its files.
 * @returns One finding per drop-in folder, in the order of its first file.
 *
 * @example Usage
 * ```ts
 * import { findDropInConflicts } from "./find_drop_in_conflicts.ts";
 * import type { QuadletUnit } from "../quadlet/types.ts";
 * import { deepStrictEqual, match } from "node:assert/strict";
 *
 * const blog = { file: "blog.container", kind: "container" } as QuadletUnit;
 * const [finding] = findDropInConflicts({
 *   installed: [{ deployment: "blog", quadlet: blog }], listening: [], volumes: [],
 * }, { deployment: "shop", files: ["shop.container", "container.d/10-common.conf"] });
 * deepStrictEqual([finding.code, finding.file], ["ERR_DROPIN_SCOPE", "container.d/10-common.conf"]);
 * match(finding.message, /blog\.container \(deployment "blog"\)/);
 * ```
 */
export function findDropInConflicts(
  host: HostSnapshot,
  options: FindConflictsOptions = {},
): Finding[] {
  const { deployment: name, files = [] } = options;
  // The installed units each drop-in folder name reaches, in host order: read
  // once, not once per folder of the deployment.
  const reaches = new Map<string, InstalledQuadlet[]>();
  for (const entry of host.installed) {
    if (name !== undefined && entry.deployment === name) continue;
    for (const dir of new Set(dropInDirs(entry.quadlet.file))) {
      const reached = reaches.get(dir);
      if (reached === undefined) reaches.set(dir, [entry]);
      else reached.push(entry);
    }
  }
  const ownOf = ownUnits(files);
  return dropInFolders(files).flatMap((folder) => {
    const reached = reaches.get(folder.name) ?? [];
    if (reached.length > 0) return [outside(folder, reached, options, ownOf)];
    const scope = scopeOf(folder.name);
    return scope.wide ? [later(folder, scope.words, options, ownOf)] : [];
  });
}

/** The first unit at the top of the deployment of each kind, for {@linkcode rename}. */
function ownUnits(
  files: readonly string[],
): (kind: string) => string | undefined {
  let first: Map<string, string> | undefined;
  return (kind) => {
    if (first === undefined) {
      first = new Map();
      for (const path of files) {
        if (path.includes("/")) continue;
        const own = quadletKindOf(path);
        if (own !== null && !first.has(own)) first.set(own, path);
      }
    }
    return first.get(kind);
  };
}

/** The deployment's drop-in folders: folders named `*.<kind>.d` or `<kind>.d` holding `.conf` files. */
function dropInFolders(files: readonly string[]): DropInFolder[] {
  const folders = new Map<string, DropInFolder>();
  for (const path of files) {
    const slash = path.lastIndexOf("/");
    if (slash === -1 || !path.endsWith(".conf")) continue;
    const folder = path.slice(0, slash);
    const name = folder.slice(folder.lastIndexOf("/") + 1);
    if (!isDropInName(name)) continue;
    const found = folders.get(folder);
    if (found === undefined) {
      folders.set(folder, { path: folder, name, files: [path] });
    } else found.files.push(path);
  }
  return [...folders.values()];
}

function isDropInName(name: string): boolean {
  if (!name.endsWith(".d")) return false;
  const stem = name.slice(0, -".d".length);
  return KINDS.has(stem) || quadletKindOf(stem) !== null;
}

/** Which units a folder name applies to, in words, and whether that is open-ended. */
function scopeOf(name: string): { words: string; wide: boolean } {
  const stem = name.slice(0, -".d".length);
  if (KINDS.has(stem)) return { words: `every .${stem} unit`, wide: true };
  const dot = stem.lastIndexOf(".");
  const unit = stem.slice(0, dot);
  const ext = stem.slice(dot);
  if (unit.endsWith("-") || unit.endsWith("-@")) {
    return {
      words: `every ${ext} unit whose name starts with "${
        unit.replace(/@$/, "")
      }"`,
      wide: true,
    };
  }
  if (unit.endsWith("@")) {
    return { words: `every instance of ${stem}`, wide: false };
  }
  return { words: stem, wide: false };
}

function outside(
  folder: DropInFolder,
  reached: readonly InstalledQuadlet[],
  options: FindConflictsOptions,
  ownOf: (kind: string) => string | undefined,
): Finding {
  const { words } = scopeOf(folder.name);
  const named = reached.slice(0, MAX_UNITS_NAMED).map((e) =>
    `${e.quadlet.file} (${
      e.deployment === undefined
        ? "installed outside leger"
        : `deployment "${e.deployment}"`
    })`
  ).join(", ");
  const more = reached.length > MAX_UNITS_NAMED
    ? ` and ${reached.length - MAX_UNITS_NAMED} more`
    : "";
  const plural = reached.length === 1 ? "unit" : "units";
  return {
    code: "ERR_DROPIN_SCOPE",
    message:
      `Cannot install the drop-ins in "${folder.path}/": Podman applies ${folder.name}/ to ${words}, so they would also change ${reached.length} ${plural} outside ${
        ours(options)
      }: ${named}${more}`,
    file: folder.files[0],
    remedy: `${
      rename(folder, ownOf)
    }, or pass --force to change those units too`,
  };
}

function later(
  folder: DropInFolder,
  words: string,
  options: FindConflictsOptions,
  ownOf: (kind: string) => string | undefined,
): Finding {
  return {
    code: "ERR_DROPIN_SCOPE",
    message:
      `The drop-ins in "${folder.path}/" apply to ${words} on this host: no unit outside ${
        ours(options)
      } has one today, but every matching unit installed later will get them`,
    file: folder.files[0],
    remedy: rename(folder, ownOf),
    severity: "warning",
  };
}

function ours(options: FindConflictsOptions): string {
  return options.deployment === undefined
    ? "this deployment"
    : `"${options.deployment}"`;
}

/** The fix: a folder named after the deployment's own units of that kind. */
function rename(
  folder: DropInFolder,
  ownOf: (kind: string) => string | undefined,
): string {
  const stem = folder.name.slice(0, -".d".length);
  const kind = KINDS.has(stem) ? stem : stem.slice(stem.lastIndexOf(".") + 1);
  const own = ownOf(kind);
  return `Move the settings into a drop-in folder named after the units they are meant for${
    own === undefined ? ` (such as NAME.${kind}.d/)` : ` (such as ${own}.d/)`
  }`;
}
