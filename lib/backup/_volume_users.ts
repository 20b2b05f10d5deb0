import type { LoadedUnit, LoadUnitsResult } from "../quadlet/load_units.ts";
import { resolveInDeployment } from "../quadlet/resolve_in_deployment.ts";
import type { QuadletUnit } from "../quadlet/types.ts";

/** A service a consistent copy of the volumes stops, and why. */
export interface VolumeUser {
  /** The running service, such as `web.service` or `worker@one.service`. */
  service: string;
  /** The volumes its unit uses (empty when it is stopped for `requires`). */
  uses: string[];
  /**
   * The stopped service it requires (systemd stops it with that one), or
   * `null` when it uses a volume itself.
   */
  requires: string | null;
}

/**
 * `[Unit]` keys (and quadlet keys) by which a unit goes down when the unit
 * it names is stopped: systemd propagates a stop along `Requires=`,
 * `BindsTo=`, `PartOf=` and `StopPropagatedFrom=` (systemd.unit(5)); Podman
 * binds a pod's containers to its service (`Pod=`), and makes a container
 * that joins another's network (`Network=x.container`) require it.
 */
const STOPPED_WITH = new Set([
  "Requires",
  "BindsTo",
  "PartOf",
  "StopPropagatedFrom",
  "Pod",
  "Network",
]);

/** `claimName: x` in a kube's YAML: the Podman volume a pod's claim is. */
const CLAIM_NAME_REGEXP = /\bclaimName\s*:\s*["']?([^\s"',}#]+)/g;

/**
 * Of the running services of a deployment, those to stop for a consistent
 * copy of `volumes`: those whose units use one of them — a container's or a
 * pod's `Volume=` and `Mount=` (a quadlet `.volume` unit or the named
 * volume), a kube whose YAML claims one (`persistentVolumeClaim.claimName`)
 * or whose `[Unit]` names the `.volume` unit — and, transitively, those
 * that go down with them (see {@linkcode STOPPED_WITH}). The other services
 * keep running.
 *
 * When leger cannot tell — a unit that does not load, a kube whose YAML it
 * cannot read — the unit counts as using every volume: stopping too much is
 * slower, stopping too little gives an inconsistent copy.
 *
 * Requires `--allow-read` for a kube's YAML outside the deployment.
 *
 * @param loaded The deployment's units, loaded (`loadUnits`).
 * @param options The volumes copied, the running services, and the
 * deployment's files (its kept copy) by path.
 * @returns The services to stop, users first, in the order of `running`.
 */
export async function volumeUsers(
  loaded: LoadUnitsResult,
  options: {
    volumes: readonly string[];
    running: readonly string[];
    files: ReadonlyMap<string, Uint8Array>;
  },
): Promise<VolumeUser[]> {
  const { volumes, running, files } = options;
  const { units } = loaded;
  if (loaded.findings.length > 0) {
    return running.map((service) => ({ service, uses: [], requires: null }));
  }
  const readFile = async (path: string, absolute: boolean) => {
    if (!absolute) {
      const bytes = files.get(path);
      return bytes === undefined ? null : new TextDecoder().decode(bytes);
    }
    return await Deno.readTextFile(path).catch(() => null);
  };
  const users: VolumeUser[] = [];
  const unitOf = new Map(
    running.map((service) => [service, unitOfService(service, units)]),
  );
  for (const service of running) {
    const unit = unitOf.get(service);
    if (unit === undefined) continue;
    const uses = await volumesUsed(unit, { units, volumes, readFile });
    if (uses.length > 0) users.push({ service, uses, requires: null });
  }
  // Whatever goes down with a stopped service, until nothing more does.
  for (let grew = true; grew;) {
    grew = false;
    for (const service of running) {
      if (users.some((u) => u.service === service)) continue;
      const unit = unitOf.get(service)?.quadlet;
      if (unit === undefined) continue;
      const stopped = users.find((user) => {
        const other = unitOf.get(user.service)?.quadlet;
        return other !== undefined && goesDownWith(unit, other);
      });
      if (stopped !== undefined) {
        users.push({ service, uses: [], requires: stopped.service });
        grew = true;
      }
    }
  }
  return users;
}

/** The unit a running service comes from: its own, or its template's. */
function unitOfService(
  service: string,
  units: readonly LoadedUnit[],
): LoadedUnit | undefined {
  const own = units.find((u) =>
    u.quadlet.serviceName === service &&
    !(u.quadlet.template && u.quadlet.instance === null)
  );
  if (own !== undefined) return own;
  const template = /^(.+@).+\.service$/.exec(service)?.[1];
  return template === undefined
    ? undefined
    : units.find((u) =>
      u.quadlet.template && u.quadlet.instance === null &&
      u.quadlet.serviceName === `${template}.service`
    );
}

/** The volumes among `volumes` a unit uses. */
async function volumesUsed(
  loaded: LoadedUnit,
  context: {
    units: readonly LoadedUnit[];
    volumes: readonly string[];
    readFile(path: string, absolute: boolean): Promise<string | null>;
  },
): Promise<string[]> {
  const { units, volumes, readFile } = context;
  const unit = loaded.quadlet;
  const used = new Set<string>();
  for (const ref of unit.volumes) {
    if (
      (ref.sourceKind === "quadlet" || ref.sourceKind === "named") &&
      ref.resolvedSource !== null && volumes.includes(ref.resolvedSource)
    ) {
      used.add(ref.resolvedSource);
    }
  }
  if (unit.kind === "kube") {
    const volumeOf = (file: string) =>
      units.find((u) =>
        u.quadlet.kind === "volume" &&
        u.path.slice(u.path.lastIndexOf("/") + 1) === file
      )?.quadlet.resourceName ?? null;
    for (const ref of unit.units) {
      const volume = volumeOf(ref.unit);
      if (volume !== null && volumes.includes(volume)) used.add(volume);
    }
    for (const file of unit.files.filter((f) => f.key === "Yaml")) {
      const path = file.relative
        ? resolveInDeployment(loaded.path, file.path)
        : file.resolvedPath;
      const text = path === null ? null : await readFile(path, !file.relative);
      if (text === null) return [...volumes];
      for (const [, claim] of text.matchAll(CLAIM_NAME_REGEXP)) {
        const volume = volumeOf(claim) ?? claim;
        if (volumes.includes(volume)) used.add(volume);
      }
    }
  }
  return volumes.filter((v) => used.has(v));
}

/** Whether systemd stops `unit` when `stopped` is stopped. */
function goesDownWith(unit: QuadletUnit, stopped: QuadletUnit): boolean {
  const name = (u: QuadletUnit) => u.file.slice(u.file.lastIndexOf("/") + 1);
  return unit.units.some((ref) =>
    ref.unit === name(stopped) && STOPPED_WITH.has(ref.key) &&
    (ref.key !== "Network" || stopped.kind === "container")
  ) ||
    stopped.units.some((ref) =>
      ref.unit === name(unit) && ref.key === "PropagatesStopTo"
    );
}
