import { lookupAll } from "../unit/lookup.ts";
import type { UnitEntry, UnitFile } from "../unit/types.ts";
import { collectFiles } from "./_collect_files.ts";
import { invalidValue } from "./_invalid_value.ts";
import { lookupValue } from "./_lookup_value.ts";
import { lookupWords } from "./_lookup_words.ts";
import { referenceNameOf } from "./_reference_name.ts";
import { kindSection } from "./kind_section.ts";
import { unitDependencies } from "./_unit_dependencies.ts";
import { quadletKindOf } from "./kind.ts";
import { parseMount } from "./parse_mount.ts";
import { parseNetwork } from "./parse_network.ts";
import { parsePublishPort } from "./parse_publish_port.ts";
import { parseSecret } from "./parse_secret.ts";
import { parseVolume } from "./parse_volume.ts";
import { resolveImage } from "./resolve_image.ts";
import { resourceNameOf } from "./resource_name.ts";
import { serviceNameOf } from "./service_name.ts";
import { templateParts } from "./template_parts.ts";
import type { QuadletKind, QuadletUnit, VolumeRef } from "./types.ts";

/** Options for {@linkcode toQuadletUnit}. */
export interface ToQuadletUnitOptions {
  /**
   * The other units of the same folder by file name (drop-ins merged), used
   * to resolve references (`Volume=data.volume:/x` to the volume's
   * `VolumeName=`, `Image=app.build` to its `ImageTag=`, …). A referenced
   * unit that is missing gets Podman's default name where Podman has one,
   * and is still listed in `units` so validation can report it. Treat the
   * map as read-only while views are built from it: the service names of
   * its units are indexed once per map.
   *
   * @default {new Map()}
   */
  siblings?: ReadonlyMap<string, UnitFile>;
  /**
   * The absolute folder the unit is installed from, against which Podman
   * resolves relative paths (`Volume=./conf:/etc/app`, `EnvironmentFile=app.env`).
   * Without it relative paths stay as written.
   *
   * @default {undefined}
   */
  unitDir?: string;
}

const NO_SIBLINGS: ReadonlyMap<string, UnitFile> = new Map();

const HAS_PORTS = new Set<QuadletKind>(["container", "pod", "kube"]);
const HAS_SECRETS = new Set<QuadletKind>(["container", "build"]);
const HAS_VOLUMES = new Set<QuadletKind>(["container", "pod", "build"]);
const HAS_NETWORKS = new Set<QuadletKind>([
  "container",
  "pod",
  "kube",
  "build",
]);

/**
 * Builds the typed view of a quadlet unit: its names, image, ports,
 * secrets, volumes, networks, the files it reads and the units it depends
 * on, with every value as Podman's generator (`pkg/systemd/quadlet`) reads
 * and rewrites it.
 *
 * It checks what Podman checks while converting values (an unparseable
 * `PublishPort=`, `Secret=` or `Mount=`, `Pod=` naming no `.pod` unit,
 * options on `Network=x.container`), not required or unknown keys, which
 * are validation's business.
 *
 * @param unit The unit, its drop-ins already merged.
 * @param options The unit's siblings and folder.
 * @returns The typed view.
 * @throws {TypeError} When the unit's file name is not a quadlet unit.
 * @throws {LegerError} `ERR_UNIT_INVALID_VALUE` (with file and line) for a
 * value Podman cannot use.
 *
 * @example Usage
 * ```ts
 * import { toQuadletUnit } from "./to_quadlet_unit.ts";
 * import { parseUnit } from "../unit/parse_unit.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const unit = parseUnit(
 *   "[Container]\nImage=quay.io/app:1\nPublishPort=8080:80\nVolume=data.volume:/data\n",
 *   { file: "web.container" },
 * );
 * const view = toQuadletUnit(unit, { unitDir: "/srv/app" });
 * strictEqual(view.serviceName, "web.service");
 * strictEqual(view.resourceName, "systemd-web");
 * strictEqual(view.ports[0].hostPort, "8080");
 * strictEqual(view.volumes[0].spec, "systemd-data:/data");
 * strictEqual(view.units[0].unit, "data.volume");
 * ```
 */
export function toQuadletUnit(
  unit: UnitFile,
  options: ToQuadletUnitOptions = {},
): QuadletUnit {
  const { siblings = NO_SIBLINGS, unitDir } = options;
  const name = unit.file.slice(unit.file.lastIndexOf("/") + 1);
  const kind = quadletKindOf(name);
  if (kind === null) {
    throw new TypeError(
      `Cannot read "${unit.file}" as a quadlet unit: its extension is not a quadlet kind`,
    );
  }
  const section = kindSection(kind);
  const parts = templateParts(name);
  const view: QuadletUnit = {
    file: unit.file,
    kind,
    template: parts !== null,
    instance: parts === null || parts.instance === "" ? null : parts.instance,
    defaultInstance: parts?.instance === ""
      ? lookupValue(unit, "Install", "DefaultInstance")?.value || null
      : null,
    serviceName: serviceNameOf(name, { unit }),
    resourceName: resourceNameOf(name, { unit }),
    image: null,
    pod: null,
    ports: [],
    secrets: [],
    volumes: [],
    networks: [],
    files: [],
    units: [],
    health: { cmd: null, notifyHealthy: false },
  };
  readImage(view, unit, section, siblings);
  if (kind === "container") readPod(view, unit, siblings);
  if (HAS_PORTS.has(kind)) {
    for (const entry of lookupAll(unit, section, "PublishPort")) {
      view.ports.push(
        convert(entry, () => parsePublishPort(entry.value, entry)),
      );
    }
  }
  if (HAS_SECRETS.has(kind)) {
    const build = kind === "build";
    for (
      const { word, entry } of lookupWords(unit, section, "Secret", "args")
    ) {
      view.secrets.push(
        convert(
          entry,
          () =>
            parseSecret(word, { file: entry.file, line: entry.line, build }),
        ),
      );
    }
  }
  if (HAS_VOLUMES.has(kind)) {
    readVolumes(view, unit, section, { siblings, unitDir });
  }
  if (HAS_NETWORKS.has(kind)) {
    for (const entry of lookupAll(unit, section, "Network")) {
      const network = convert(
        entry,
        () => parseNetwork(entry.value, { ...entry, siblings }),
      );
      view.networks.push(network);
      if (network.unit !== null) view.units.push(unitRef(entry, network.unit));
    }
  }
  // Loops and concatenation, not push(...list): spreading 200,000 arguments
  // (an After= line of 1 MiB) overflows the stack.
  for (const ref of unitDependencies(unit, siblings)) view.units.push(ref);
  view.files = [...collectFiles(unit, kind, unitDir), ...view.files];
  if (kind === "container") {
    const cmd = lookupValue(unit, section, "HealthCmd")?.value;
    view.health.cmd = cmd === undefined || cmd === "" ? null : cmd;
    // Podman ignores Notify= for a oneshot service.
    const oneshot = lookupValue(unit, "Service", "Type")?.value === "oneshot";
    const notify = lookupValue(unit, section, "Notify")?.value;
    view.health.notifyHealthy = !oneshot && notify?.toLowerCase() === "healthy";
  }
  return view;
}

function readImage(
  view: QuadletUnit,
  unit: UnitFile,
  section: string,
  siblings: ReadonlyMap<string, UnitFile>,
): void {
  switch (view.kind) {
    case "container":
    case "volume": {
      // A volume uses Image= only with the image driver.
      if (
        view.kind === "volume" &&
        lookupValue(unit, section, "Driver")?.value !== "image"
      ) return;
      const found = lookupValue(unit, section, "Image");
      if (found === undefined || found.value === "") return;
      const resolved = resolveImage(found.value, { siblings });
      view.image = resolved.image;
      if (resolved.unit !== null) {
        view.units.push(unitRef(found.entry, resolved.unit));
      }
      return;
    }
    case "image":
    case "build":
      view.image = referenceNameOf(
        view.file.slice(view.file.lastIndexOf("/") + 1),
        unit,
      );
  }
}

function readPod(
  view: QuadletUnit,
  unit: UnitFile,
  siblings: ReadonlyMap<string, UnitFile>,
): void {
  const found = lookupValue(unit, "Container", "Pod");
  if (found === undefined || found.value === "") return;
  if (!found.value.endsWith(".pod")) {
    throw invalidValue(
      found.entry,
      new SyntaxError(
        `Podman joins only quadlet pods: "${found.value}" is no .pod unit`,
      ),
    );
  }
  view.pod = referenceNameOf(found.value, siblings.get(found.value));
  view.units.push(unitRef(found.entry, found.value));
}

function readVolumes(
  view: QuadletUnit,
  unit: UnitFile,
  section: string,
  options: { siblings: ReadonlyMap<string, UnitFile>; unitDir?: string },
): void {
  for (const entry of lookupAll(unit, section, "Volume")) {
    addVolume(
      view,
      entry,
      parseVolume(entry.value, { ...entry, ...options }),
      options.unitDir,
    );
  }
  if (view.kind !== "container") return;
  for (const { word, entry } of lookupWords(unit, section, "Mount", "args")) {
    const mount = convert(
      entry,
      () =>
        parseMount(word, { file: entry.file, line: entry.line, ...options }),
    );
    addVolume(view, entry, mount, options.unitDir);
  }
}

function addVolume(
  view: QuadletUnit,
  entry: UnitEntry,
  volume: VolumeRef,
  unitDir?: string,
): void {
  view.volumes.push(volume);
  if (volume.unit !== null) view.units.push(unitRef(entry, volume.unit));
  if (
    volume.sourceKind === "host" && volume.source !== null &&
    volume.source.startsWith(".")
  ) {
    view.files.push({
      key: entry.key,
      path: volume.source,
      relative: true,
      resolvedPath: unitDir === undefined ? null : volume.resolvedSource,
      line: entry.line,
      file: entry.file,
    });
  }
}

function unitRef(entry: UnitEntry, unit: string) {
  return { key: entry.key, unit, line: entry.line, file: entry.file };
}

/** Runs a value parser, turning its complaint into an error about the entry. */
function convert<T>(entry: UnitEntry, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof SyntaxError || err instanceof RangeError) {
      throw invalidValue(entry, err);
    }
    throw err;
  }
}
