import type { QuadletKind } from "../quadlet/types.ts";
import { lookupAll, lookupLast } from "../unit/lookup.ts";
import type { UnitEntry, UnitFile } from "../unit/types.ts";
import type { Finding } from "../errors/finding.ts";
import { kindSection } from "../quadlet/kind_section.ts";
import { lookup, lookupSet, lookupStrv } from "./_lookup.ts";

// Podman's validPortRange, unanchored at the start as Go's MatchString is.
const PORT_RANGE_REGEXP = /\d+(-\d+)?(\/udp|\/tcp)?$/;

const KILL_MODES = ["mixed", "control-group"];
const SERVICE_TYPES = ["notify", "oneshot"];
const USER_MAPPING_KINDS = new Set<QuadletKind>(["container", "pod", "kube"]);

/**
 * Finds values and combinations of keys that Podman's generator rejects while
 * converting a unit, beyond the keys it requires (`checkRequiredKeys`) and
 * the values `toQuadletUnit` already parses (ports, secrets, mounts, `Pod=`):
 *
 * - `.container`: `Group=` without `User=`; both `ReloadCmd=` and
 *   `ReloadSignal=`; an `ExposeHostPort=` that is no port or range;
 * - `.container` and `.kube`: `[Service]` `KillMode=` other than `mixed` or
 *   `control-group`, `Type=` other than `notify` or `oneshot`;
 * - `.container`, `.pod`, `.kube`: the deprecated `RemapUsers=`/`RemapUid=`/
 *   `RemapGid=` with explicit mappings (`UserNS=`, `UIDMap=`, …), or used
 *   wrongly;
 * - `.kube` and `.build`: a `SetWorkingDirectory=` the kind does not take;
 * - `.network`: more `Gateway=` or `IPRange=` than `Subnet=`, or either
 *   without a subnet;
 * - `.volume`: `Type=` without `Device=`.
 *
 * Each is `ERR_UNIT_INVALID_VALUE` at the line of the offending entry, with
 * Podman's own wording quoted so that it can be searched for.
 *
 * @param unit The unit, its drop-ins merged.
 * @param kind The unit's kind.
 * @returns The findings, in the order of the rules above.
 *
 * @example Usage
 * ```ts
 * import { checkValues } from "./check_values.ts";
 * import { parseUnit } from "../unit/parse_unit.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const unit = parseUnit("[Network]\nGateway=10.0.0.1\n", { file: "llm.network" });
 * const [finding] = checkValues(unit, "network");
 * strictEqual(finding.code, "ERR_UNIT_INVALID_VALUE");
 * strictEqual(finding.line, 2);
 * ```
 */
export function checkValues(unit: UnitFile, kind: QuadletKind): Finding[] {
  const findings: Finding[] = [];
  const add = (
    entry: UnitEntry,
    problem: string,
    podman: string,
    remedy: string,
  ) =>
    findings.push({
      code: "ERR_UNIT_INVALID_VALUE",
      message:
        `Cannot convert "${unit.file}": ${problem} (Podman: "${podman}")`,
      file: entry.file,
      line: entry.line,
      remedy,
    });
  if (kind === "container") checkContainer(unit, add);
  if (kind === "container" || kind === "kube") checkService(unit, add);
  if (USER_MAPPING_KINDS.has(kind)) checkUserMappings(unit, kind, add);
  if (kind === "kube" || kind === "build") {
    checkWorkingDirectory(unit, kind, add);
  }
  if (kind === "network") checkSubnets(unit, add);
  if (kind === "volume") checkDevice(unit, add);
  return findings;
}

type Add = (
  entry: UnitEntry,
  problem: string,
  podman: string,
  remedy: string,
) => void;

function checkContainer(unit: UnitFile, add: Add): void {
  const group = lookupSet(unit, "Container", "Group");
  if (
    group !== undefined && lookupSet(unit, "Container", "User") === undefined
  ) {
    add(
      group.entry,
      "Group= is set without User=",
      "invalid Group set without User",
      "Add `User=`, or remove Group=",
    );
  }
  const reloadCmd = lookupSet(unit, "Container", "ReloadCmd");
  const reloadSignal = lookupSet(unit, "Container", "ReloadSignal");
  if (reloadCmd !== undefined && reloadSignal !== undefined) {
    const later = reloadCmd.entry.line > reloadSignal.entry.line
      ? reloadCmd
      : reloadSignal;
    add(
      later.entry,
      "ReloadCmd= and ReloadSignal= are both set",
      "ReloadCmd and ReloadSignal are mutually exclusive but both are set",
      "Keep either ReloadCmd= or ReloadSignal=",
    );
  }
  for (const entry of lookupAll(unit, "Container", "ExposeHostPort")) {
    if (!PORT_RANGE_REGEXP.test(entry.value.trim())) {
      add(
        entry,
        `ExposeHostPort=${entry.value} is not a port or range`,
        `invalid port format '${entry.value.trim()}'`,
        "Write a port or range, such as `ExposeHostPort=8080` or `ExposeHostPort=9000-9010/udp`",
      );
    }
  }
}

function checkService(unit: UnitFile, add: Add): void {
  const killMode = lookup(unit, "Service", "KillMode");
  if (killMode !== undefined && !KILL_MODES.includes(killMode.value)) {
    add(
      killMode.entry,
      `[Service] KillMode=${killMode.value} is not allowed`,
      `invalid KillMode '${killMode.value}'`,
      "Use `KillMode=mixed` (the default) or `KillMode=control-group`, or remove the line",
    );
  }
  const type = lookup(unit, "Service", "Type");
  if (type !== undefined && !SERVICE_TYPES.includes(type.value)) {
    add(
      type.entry,
      `[Service] Type=${type.value} is not allowed`,
      `invalid service Type '${type.value}'`,
      "Use `Type=notify` (the default) or `Type=oneshot`, or remove the line",
    );
  }
}

function checkUserMappings(unit: UnitFile, kind: QuadletKind, add: Add): void {
  const section = kindSection(kind);
  const explicit = lookupSet(unit, section, "UserNS") ??
    lookupSet(unit, section, "SubUIDMap") ??
    lookupSet(unit, section, "SubGIDMap") ??
    firstEntry(unit, section, "UIDMap") ??
    firstEntry(unit, section, "GIDMap");
  const remapUsers = lookupLast(unit, section, "RemapUsers");
  const remapUid = lookupStrv(unit, section, "RemapUid");
  const remapGid = lookupStrv(unit, section, "RemapGid");
  const deprecated = remapUsers ?? lookupLast(unit, section, "RemapUid") ??
    lookupLast(unit, section, "RemapGid");
  if (explicit !== undefined) {
    if (deprecated !== undefined) {
      add(
        "entry" in explicit ? explicit.entry : explicit,
        "the deprecated RemapUsers=/RemapUid=/RemapGid= are set together with explicit mappings",
        "deprecated Remap keys are set along with explicit mapping keys",
        "Remove the Remap… keys and keep UserNS=, UIDMap=, GIDMap=, SubUIDMap= and SubGIDMap=",
      );
    }
    return;
  }
  const mode = remapUsers?.value ?? "";
  const at = remapUsers ?? lookupLast(unit, section, "RemapUid") ??
    lookupLast(unit, section, "RemapGid");
  if (at === undefined) return;
  const remedy =
    "Use `UserNS=` (such as `UserNS=keep-id` or `UserNS=auto`) instead of the deprecated Remap… keys";
  if (mode === "") {
    if (remapUid.length > 0) {
      add(
        at,
        "RemapUid= is set without RemapUsers=",
        "UidMap set without RemapUsers",
        remedy,
      );
    } else if (remapGid.length > 0) {
      add(
        at,
        "RemapGid= is set without RemapUsers=",
        "GidMap set without RemapUsers",
        remedy,
      );
    }
  } else if (mode === "manual") {
    if (kind === "kube") {
      add(
        at,
        "RemapUsers=manual is not supported in .kube units",
        "RemapUsers=manual is not supported",
        remedy,
      );
    }
  } else if (mode === "keep-id") {
    if (remapUid.length > 1) {
      add(
        at,
        "RemapUsers=keep-id takes one RemapUid= value",
        "RemapUsers=keep-id supports only a single value for UID mapping",
        remedy,
      );
    } else if (remapGid.length > 1) {
      add(
        at,
        "RemapUsers=keep-id takes one RemapGid= value",
        "RemapUsers=keep-id supports only a single value for GID mapping",
        remedy,
      );
    }
  } else if (mode !== "auto") {
    add(
      at,
      `RemapUsers=${mode} is not a known mode`,
      `unsupported RemapUsers option '${mode}'`,
      remedy,
    );
  }
}

function checkWorkingDirectory(
  unit: UnitFile,
  kind: "kube" | "build",
  add: Add,
): void {
  const found = lookupSet(
    unit,
    kind === "kube" ? "Kube" : "Build",
    "SetWorkingDirectory",
  );
  if (found === undefined) return;
  const value = found.value;
  const mode = value.toLowerCase();
  if (kind === "build") {
    if (mode === "yaml") {
      add(
        found.entry,
        "SetWorkingDirectory=yaml only works in .kube units",
        `SetWorkingDirectory=${value} is only supported in .kube files`,
        "Use `SetWorkingDirectory=unit` or `SetWorkingDirectory=file`",
      );
    }
    return;
  }
  if (mode === "file") {
    add(
      found.entry,
      "SetWorkingDirectory=file only works in .build units",
      `SetWorkingDirectory=${value} is only supported in .build files`,
      "Use `SetWorkingDirectory=yaml` or `SetWorkingDirectory=unit`",
    );
  } else if (mode === "yaml") {
    const yamls = lookupStrv(unit, "Kube", "Yaml").length;
    if (yamls > 1) {
      add(
        found.entry,
        "SetWorkingDirectory=yaml needs exactly one Yaml=",
        "SetWorkingDirectory=yaml is only supported when a single Yaml key is provided",
        "Use `SetWorkingDirectory=unit`, or keep a single Yaml=",
      );
    }
  } else if (mode !== "unit") {
    add(
      found.entry,
      `SetWorkingDirectory=${value} is not yaml or unit`,
      `unsupported value for WorkingDirectory: ${value} `,
      "Use `SetWorkingDirectory=yaml` or `SetWorkingDirectory=unit`",
    );
  }
}

function checkSubnets(unit: UnitFile, add: Add): void {
  const subnets = lookupAll(unit, "Network", "Subnet");
  const gateways = lookupAll(unit, "Network", "Gateway");
  const ranges = lookupAll(unit, "Network", "IPRange");
  const remedy =
    "Give one Subnet= for each Gateway= and IPRange=, in the same order";
  if (subnets.length === 0) {
    const first = [...gateways, ...ranges].sort((a, b) => a.line - b.line)[0];
    if (first !== undefined) {
      add(
        first,
        `${first.key}= is set without Subnet=`,
        "cannot set gateway or range without subnet",
        remedy,
      );
    }
    return;
  }
  if (gateways.length > subnets.length) {
    add(
      gateways[subnets.length],
      "there are more Gateway= than Subnet= lines",
      "cannot set more gateways than subnets",
      remedy,
    );
  }
  if (ranges.length > subnets.length) {
    add(
      ranges[subnets.length],
      "there are more IPRange= than Subnet= lines",
      "cannot set more ranges than subnets",
      remedy,
    );
  }
}

function checkDevice(unit: UnitFile, add: Add): void {
  if (lookup(unit, "Volume", "Driver")?.value === "image") return;
  const type = lookupSet(unit, "Volume", "Type");
  if (type !== undefined && lookupSet(unit, "Volume", "Device") === undefined) {
    add(
      type.entry,
      "Type= is set without Device=",
      "key Type can't be used without Device",
      "Add `Device=` with the device or path to mount, or remove Type=",
    );
  }
}

function firstEntry(
  unit: UnitFile,
  section: string,
  key: string,
): UnitEntry | undefined {
  return lookupStrv(unit, section, key).length > 0
    ? lookupAll(unit, section, key)[0]
    : undefined;
}
