import { resolveInDeployment } from "../quadlet/resolve_in_deployment.ts";
import type { QuadletKind, QuadletUnit } from "../quadlet/types.ts";
import { dropInSelector } from "../unit/drop_ins.ts";
import { servicesToStart } from "./unit_roles.ts";
import { unitServices } from "./unit_services.ts";

/** A unit of one version of a deployment, as {@linkcode planUpdate} reads it. */
export interface UpdateUnit {
  /** The unit's path in the deployment, such as `web.container`. */
  path: string;
  /** Its typed view (drop-ins merged), built with the version's other units. */
  quadlet: QuadletUnit;
}

/** One version of a deployment: its files with their checksums, and its units. */
export interface UpdateSide {
  /** Every file, with its lower-case hex SHA-256 (`deployments.yaml`, the plan). */
  files: readonly { name: string; sha256: string }[];
  /** Its units, typed. */
  units: readonly UpdateUnit[];
}

/**
 * What an update does to one unit:
 *
 * - `added`: new in this version; its services are started;
 * - `changed`: its file, a drop-in that applies to it, a file it names
 *   (`EnvironmentFile=`, `Volume=./conf:…`, `Yaml=`, …), its image, or a
 *   unit it requires changed; its services are restarted — except those of
 *   a `.volume` or `.network` unit whose volume or network keeps its name
 *   ({@linkcode UpdatePlan.notApplied}): its file is written, nothing
 *   restarts;
 * - `dropped`: gone from this version; its services are stopped and its
 *   files removed;
 * - `unchanged`: its services keep running, untouched.
 */
export type UnitChangeStatus = "added" | "changed" | "dropped" | "unchanged";

/** One unit in an {@linkcode UpdatePlan}. */
export interface UnitChange {
  /** The unit's path in the deployment. */
  unit: string;
  /** Its kind. */
  kind: QuadletKind;
  /** What the update does to it. */
  status: UnitChangeStatus;
  /**
   * Why it is `changed`, one line each (`web.container changed`, `drop-in
   * container.d/10-env.conf added`, `web.conf (Volume=) changed`, `requires
   * data.volume (Volume=), which changed`); empty otherwise.
   */
  reasons: string[];
  /**
   * Its services (a volume's `data-volume.service`, a template's started
   * instance): of the new version, or of the previous one for a dropped unit.
   */
  services: string[];
}

/**
 * A changed `.volume` or `.network` unit whose change does not reach Podman:
 * Quadlet creates a volume or network once (`podman volume create
 * --ignore`, `podman network create --ignore`) and keeps an existing one
 * with its old settings, so restarting its service, or the services that
 * use it, would stop them for nothing.
 */
export interface NotAppliedChange {
  /** The unit's path in the deployment, such as `llm.network`. */
  unit: string;
  /** Its kind. */
  kind: "volume" | "network";
  /** The Podman volume or network that keeps its old settings, such as `systemd-llm`. */
  resource: string;
  /** The services of the new version that use it directly (`Volume=`, `Mount=`, `Network=`, …). */
  users: string[];
  /** Why the change is not applied, in words (`Podman keeps the existing network systemd-llm with its old settings`). */
  reason: string;
}

/** What an update of a deployment changes, unit by unit and service by service. */
export interface UpdatePlan {
  /** Every unit of both versions: the new version's in its order, then the dropped ones. */
  units: UnitChange[];
  /**
   * The services of the changed units: restarted (a container that was
   * stopped is started, as installing the new version would).
   */
  restart: string[];
  /** The services leger starts for the added units (their volumes and networks start with them). */
  start: string[];
  /**
   * The services of the dropped units, and those a changed unit no longer
   * has (its `ServiceName=` changed): stopped.
   */
  stop: string[];
  /**
   * The services of the unchanged units, and of the changed units in
   * {@linkcode UpdatePlan.notApplied}: left running, never touched.
   */
  unchanged: string[];
  /** Files to write into the quadlet folder: added and changed ones, in the new version's order. */
  write: string[];
  /** Of {@linkcode UpdatePlan.write}, those the previous version did not have. */
  added: string[];
  /** Files the new version no longer has: removed from the quadlet folder, one by one. */
  remove: string[];
  /** The Podman volumes of dropped `.volume` units: kept, with their data. */
  keptVolumes: string[];
  /** The Podman networks of dropped `.network` units: removed once their containers stopped. */
  removedNetworks: string[];
  /**
   * The changed `.volume` and `.network` units whose volume or network
   * Podman keeps as it is: their files are written, and neither their
   * services nor those that use them restart for it.
   */
  notApplied: NotAppliedChange[];
  /** Whether any file differs; `false` means the update has nothing to do. */
  changed: boolean;
}

/**
 * Keys whose reference makes systemd restart a unit when the unit it names
 * restarts: Quadlet turns `Volume=`, `Mount=`, `Network=`, `Pod=` and
 * `Image=` of a quadlet unit into `Requires=` (and `BindsTo=` for a pod) on
 * its service, and systemd propagates a restart to the units that
 * `Requires=`, `BindsTo=` or are `PartOf=` the restarted one
 * (systemd.unit(5)). `After=`, `Wants=` and the others only order or pull
 * in, and restart nothing.
 */
const RESTART_PROPAGATING_KEYS: ReadonlySet<string> = new Set([
  "Volume",
  "Mount",
  "Network",
  "Pod",
  "Image",
  "Requires",
  "BindsTo",
  "PartOf",
]);

/**
 * Decides what updating a deployment from its installed version to a new
 * one changes, unit by unit, so that only what changed is touched (as
 * `docker compose up` recreates only the containers whose configuration
 * changed). Pure: it reads the two versions' file checksums and typed units.
 *
 * A unit is `changed` when its own file, a drop-in that applies to it in
 * either version (Podman's drop-in folders, type-wide `container.d/`
 * included), a file of the deployment it names by a relative path
 * (`EnvironmentFile=`, `Volume=./conf:/etc/app`, `Yaml=`, … — every file
 * below a folder it names), or its image changed; and — conservatively,
 * since systemd does the same — when a unit it requires changed
 * (`Volume=data.volume`, `Network=app.network`, `Pod=`, `Image=x.image`,
 * `Requires=`, `BindsTo=`, `PartOf=`): restarting a changed unit's service
 * makes systemd restart every service that requires it, and a changed
 * `VolumeName=` or `NetworkName=` changes the command line of every
 * container using it. A file named by an absolute path lies outside the
 * deployment and is not compared.
 *
 * A `.volume` or `.network` unit that changed but keeps its volume or
 * network name (and its service's name) restarts nothing: Podman creates a
 * volume or network once and keeps an existing one with its old settings,
 * so a restart would stop its users for a change that never takes effect.
 * Its file is written, and the change is listed in
 * {@linkcode UpdatePlan.notApplied} with the services that use it, which
 * must be stopped for the volume or network to be removed and created anew.
 *
 * Files that no unit names (a `README`, an unused drop-in) are written when
 * they changed, and restart nothing.
 *
 * @param previous The installed version: the files `deployments.yaml`
 * records with their checksums, and its units typed from its recorded copy
 * (`active/<name>/`).
 * @param next The new version: its files and typed units.
 * @returns The plan: each unit's status and why, the services to restart,
 * start, stop and leave alone, the files to write and remove.
 *
 * @example Usage
 * ```ts
 * import { planUpdate } from "./plan_update.ts";
 * import { makeQuadlet } from "../testing/make_quadlet.ts";
 * import { deepStrictEqual, strictEqual } from "node:assert/strict";
 *
 * const unit = (path: string) => ({ path, quadlet: makeQuadlet(path) });
 * const plan = planUpdate(
 *   {
 *     files: [{ name: "web.container", sha256: "a" }, { name: "db.container", sha256: "b" }],
 *     units: [unit("web.container"), unit("db.container")],
 *   },
 *   {
 *     files: [{ name: "web.container", sha256: "c" }, { name: "db.container", sha256: "b" }],
 *     units: [unit("web.container"), unit("db.container")],
 *   },
 * );
 * deepStrictEqual(plan.restart, ["web.service"]);
 * deepStrictEqual(plan.unchanged, ["db.service"]);
 * strictEqual(plan.units[0].reasons[0], "web.container changed");
 * ```
 */
export function planUpdate(
  previous: UpdateSide,
  next: UpdateSide,
): UpdatePlan {
  const before = new Map(previous.files.map((f) => [f.name, f.sha256]));
  const after = new Map(next.files.map((f) => [f.name, f.sha256]));
  const fileStatus = (path: string): "added" | "removed" | "changed" | null => {
    const was = before.get(path);
    const is = after.get(path);
    if (was === is) return null;
    if (was === undefined) return "added";
    return is === undefined ? "removed" : "changed";
  };
  const dropInsBefore = dropInSelector([...before.keys()]);
  const dropInsAfter = dropInSelector([...after.keys()]);
  const previousUnits = new Map(previous.units.map((u) => [u.path, u]));
  const nextPaths = new Set(next.units.map((u) => u.path));

  const reasons = new Map<string, string[]>();
  for (const unit of next.units) {
    const was = previousUnits.get(unit.path);
    if (was === undefined) continue;
    const why: string[] = [];
    if (fileStatus(unit.path) !== null) why.push(`${unit.path} changed`);
    const dropIns = new Set([
      ...dropInsBefore(unit.path),
      ...dropInsAfter(unit.path),
    ]);
    for (const dropIn of dropIns) {
      const status = fileStatus(dropIn);
      if (status !== null) why.push(`drop-in ${dropIn} ${status}`);
    }
    for (const ref of unit.quadlet.files) {
      if (!ref.relative) continue;
      const path = resolveInDeployment(unit.path, ref.path);
      if (path === null) continue;
      const status = folderStatus(path, before, after, fileStatus);
      if (status !== null) why.push(`${path} (${ref.key}=) ${status}`);
    }
    if (was.quadlet.image !== unit.quadlet.image) {
      why.push(
        `image ${was.quadlet.image ?? "(none)"} → ${
          unit.quadlet.image ?? "(none)"
        }`,
      );
    }
    if (why.length > 0) reasons.set(unit.path, why);
  }
  const kept = new Set(
    next.units.filter((unit) =>
      reasons.has(unit.path) &&
      keepsResource(previousUnits.get(unit.path)!.quadlet, unit.quadlet)
    ).map((unit) => unit.path),
  );
  propagateRestarts(next.units, previousUnits, reasons, kept);

  const units: UnitChange[] = [];
  for (const unit of next.units) {
    const status: UnitChangeStatus = !previousUnits.has(unit.path)
      ? "added"
      : reasons.has(unit.path)
      ? "changed"
      : "unchanged";
    units.push({
      unit: unit.path,
      kind: unit.quadlet.kind,
      status,
      reasons: reasons.get(unit.path) ?? [],
      services: servicesOf(unit.quadlet),
    });
  }
  for (const unit of previous.units) {
    if (nextPaths.has(unit.path)) continue;
    units.push({
      unit: unit.path,
      kind: unit.quadlet.kind,
      status: "dropped",
      reasons: [],
      services: servicesOf(unit.quadlet),
    });
  }

  const of = (status: UnitChangeStatus) =>
    units.filter((u) => u.status === status);
  const restart = unique(
    of("changed").filter((u) => !kept.has(u.unit)).flatMap((u) => u.services),
  );
  const start = servicesToStart(
    next.units.filter((u) => !previousUnits.has(u.path)).map((u) => u.quadlet),
  );
  // A changed unit whose service got another name leaves the old one running.
  const renamed = of("changed").flatMap((u) =>
    servicesOf(previousUnits.get(u.unit)!.quadlet).filter((s) =>
      !u.services.includes(s)
    )
  );
  const stop = unique([
    ...of("dropped").flatMap((u) => u.services),
    ...renamed,
  ]);
  const busy = new Set([...restart, ...start, ...stop]);
  const droppedUnits = previous.units.filter((u) => !nextPaths.has(u.path));
  const resources = (kind: QuadletKind) =>
    droppedUnits.filter((u) =>
      u.quadlet.kind === kind && u.quadlet.resourceName !== null
    ).map((u) => u.quadlet.resourceName!);
  const write = next.files.map((f) => f.name).filter((name) =>
    fileStatus(name) !== null
  );
  const remove = previous.files.map((f) => f.name).filter((name) =>
    !after.has(name)
  );
  return {
    units,
    restart,
    start,
    stop,
    unchanged: unique([
      ...of("unchanged").flatMap((u) => u.services),
      ...of("changed").filter((u) => kept.has(u.unit)).flatMap((u) =>
        u.services
      ),
    ]).filter((s) => !busy.has(s)),
    write,
    added: write.filter((name) => !before.has(name)),
    remove,
    keptVolumes: resources("volume"),
    removedNetworks: resources("network"),
    notApplied: next.units.filter((u) => kept.has(u.path)).map((u) =>
      notApplied(u, next.units)
    ),
    changed: write.length > 0 || remove.length > 0,
  };
}

/**
 * Whether a changed `.volume` or `.network` unit leaves Podman's volume or
 * network as it is: the same name (a new `VolumeName=` or `NetworkName=`
 * creates a new one, which its users must restart to use) and the same
 * service.
 */
function keepsResource(was: QuadletUnit, is: QuadletUnit): boolean {
  return (is.kind === "volume" || is.kind === "network") &&
    is.kind === was.kind && is.resourceName !== null &&
    is.resourceName === was.resourceName &&
    servicesOf(is).join(" ") === servicesOf(was).join(" ");
}

/** The not-applied change of a `.volume` or `.network` unit, with the services that use it. */
function notApplied(
  unit: UpdateUnit,
  units: readonly UpdateUnit[],
): NotAppliedChange {
  const name = baseName(unit.path);
  const kind = unit.quadlet.kind as "volume" | "network";
  const resource = unit.quadlet.resourceName!;
  const users = unique(
    units.filter((u) =>
      u.path !== unit.path &&
      u.quadlet.units.some((ref) =>
        ref.unit === name && RESTART_PROPAGATING_KEYS.has(ref.key)
      )
    ).flatMap((u) => servicesOf(u.quadlet)),
  );
  return {
    unit: unit.path,
    kind,
    resource,
    users,
    reason:
      `Podman keeps the existing ${kind} ${resource} with its old settings`,
  };
}

/**
 * Marks as changed every unit that requires, directly or through others, a
 * changed unit (see {@linkcode RESTART_PROPAGATING_KEYS}); added units are
 * new anyway and are not marked. A changed unit in `kept` (a volume or
 * network Podman keeps) restarts nothing, so it marks nothing — unless it
 * requires a unit that restarts: systemd then restarts it, and it leaves
 * `kept`.
 */
function propagateRestarts(
  units: readonly UpdateUnit[],
  previousUnits: ReadonlyMap<string, UpdateUnit>,
  reasons: Map<string, string[]>,
  kept: Set<string>,
): void {
  // Units name each other by file name, wherever their folder.
  const pathByName = new Map(units.map((u) => [baseName(u.path), u.path]));
  let grew = true;
  while (grew) {
    grew = false;
    for (const unit of units) {
      if (!previousUnits.has(unit.path)) continue;
      for (const ref of unit.quadlet.units) {
        if (!RESTART_PROPAGATING_KEYS.has(ref.key)) continue;
        const required = pathByName.get(ref.unit);
        if (required === undefined || required === unit.path) continue;
        if (!reasons.has(required) || !previousUnits.has(required)) continue;
        if (kept.has(required)) continue;
        const why = `requires ${ref.unit} (${ref.key}=), which changed`;
        const list = reasons.get(unit.path);
        if (list === undefined) {
          reasons.set(unit.path, [why]);
          grew = true;
        } else if (!list.some((r) => r.startsWith(`requires ${ref.unit} `))) {
          list.push(why);
        }
        // Restarted by systemd along with what it requires: not kept.
        if (kept.delete(unit.path)) grew = true;
      }
    }
  }
}

/**
 * Whether the file at `path`, or any file below it when it is a folder,
 * was added, removed or changed.
 */
function folderStatus(
  path: string,
  before: ReadonlyMap<string, string>,
  after: ReadonlyMap<string, string>,
  fileStatus: (path: string) => "added" | "removed" | "changed" | null,
): "added" | "removed" | "changed" | null {
  const own = fileStatus(path);
  if (own !== null) return own;
  if (path === "") return null;
  const prefix = `${path}/`;
  for (const name of new Set([...before.keys(), ...after.keys()])) {
    if (name.startsWith(prefix) && fileStatus(name) !== null) return "changed";
  }
  return null;
}

/** The services of one unit, as {@linkcode unitServices} names them. */
function servicesOf(unit: QuadletUnit): string[] {
  return unitServices([unit]);
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}
