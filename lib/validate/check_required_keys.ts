import type { QuadletKind } from "../quadlet/types.ts";
import type { UnitFile } from "../unit/types.ts";
import type { Finding } from "../errors/finding.ts";
import { kindSection } from "../quadlet/kind_section.ts";
import { lookup, lookupSet, lookupStrv } from "./_lookup.ts";

// Podman's `URL` regexp, quirks included: "http…" counts without "://".
const URL_REGEXP = /^((https?)|(git):\/\/)|(github\.com\/).+$/;

/**
 * Finds the keys a unit lacks that Podman's generator requires, with Podman's
 * own rules (`pkg/systemd/quadlet/quadlet.go`):
 *
 * - `.container`: `Image=` (a reference, or an `.image`/`.build` unit) or
 *   `Rootfs=`, not both;
 * - `.kube`: `Yaml=`; `.image`: `Image=`; `.artifact`: `Artifact=`;
 * - `.build`: `ImageTag=`; and `File=`, `SetWorkingDirectory=` or
 *   `[Service]` `WorkingDirectory=`, where a relative `File=` needs a working
 *   folder; `SetWorkingDirectory=file` needs `File=`;
 * - `.volume` with `Driver=image`: `Image=`.
 *
 * A key counts as set only with a non-empty value, as Podman reads it (the
 * last entry, unquoted). Missing keys are `ERR_UNIT_MISSING_KEY` at the
 * line of the section header (or without a line when the section is missing);
 * `Image=` with `Rootfs=` is `ERR_UNIT_INVALID_VALUE`.
 *
 * @param unit The unit, its drop-ins merged.
 * @param kind The unit's kind.
 * @returns The findings; empty when every required key is there.
 *
 * @example Usage
 * ```ts
 * import { checkRequiredKeys } from "./check_required_keys.ts";
 * import { parseUnit } from "../unit/parse_unit.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const unit = parseUnit("[Container]\nExec=sleep 1\n", { file: "web.container" });
 * deepStrictEqual(checkRequiredKeys(unit, "container").map((f) => f.code), [
 *   "ERR_UNIT_MISSING_KEY",
 * ]);
 * ```
 */
export function checkRequiredKeys(
  unit: UnitFile,
  kind: QuadletKind,
): Finding[] {
  switch (kind) {
    case "container":
      return checkContainer(unit);
    case "kube":
      return lookupStrv(unit, "Kube", "Yaml").length > 0 ? [] : [
        missing(
          unit,
          kind,
          "Yaml= is not set",
          "Add `Yaml=` with the path of the Kubernetes YAML file",
        ),
      ];
    case "image":
      return lookupSet(unit, "Image", "Image") !== undefined ? [] : [
        missing(
          unit,
          kind,
          "Image= is not set",
          "Add `Image=` with the image to pull",
        ),
      ];
    case "artifact":
      return lookupSet(unit, "Artifact", "Artifact") !== undefined ? [] : [
        missing(
          unit,
          kind,
          "Artifact= is not set",
          "Add `Artifact=` with the OCI artifact to pull",
        ),
      ];
    case "build":
      return checkBuild(unit);
    case "volume":
      return lookupSet(unit, "Volume", "Driver")?.value === "image" &&
          lookup(unit, "Volume", "Image") === undefined
        ? [
          missing(
            unit,
            kind,
            "Driver=image is set but Image= is not",
            "Add `Image=` with the image the volume is made from",
          ),
        ]
        : [];
    default:
      return [];
  }
}

function checkContainer(unit: UnitFile): Finding[] {
  const image = lookupSet(unit, "Container", "Image");
  const rootfs = lookupSet(unit, "Container", "Rootfs");
  if (image === undefined && rootfs === undefined) {
    return [missing(
      unit,
      "container",
      "neither Image= nor Rootfs= is set",
      "Add `Image=` with the image to run (a registry reference, or an .image or .build unit of the deployment)",
    )];
  }
  if (image !== undefined && rootfs !== undefined) {
    return [{
      code: "ERR_UNIT_INVALID_VALUE",
      message:
        `Cannot convert "${unit.file}": Image= and Rootfs= cannot both be set`,
      file: rootfs.entry.file,
      line: rootfs.entry.line,
      remedy: "Keep either Image= or Rootfs=",
    }];
  }
  return [];
}

function checkBuild(unit: UnitFile): Finding[] {
  const findings: Finding[] = [];
  if (firstImageTag(unit) === undefined) {
    findings.push(missing(
      unit,
      "build",
      "ImageTag= is not set",
      "Add `ImageTag=` with the name of the image to build (containers use it through `Image=` with this unit's name)",
    ));
  }
  const mode = lookupSet(unit, "Build", "SetWorkingDirectory")?.value
    .toLowerCase();
  const file = lookup(unit, "Build", "File");
  const filePath = file?.value ?? "";
  if (mode === "file" && file === undefined) {
    findings.push(missing(
      unit,
      "build",
      "SetWorkingDirectory=file is set but File= is not",
      "Add `File=` with the Containerfile, or use `SetWorkingDirectory=unit`",
    ));
    return findings;
  }
  // check_values reports yaml; any other value is a build context (a path or URL).
  if (mode !== undefined && mode !== "unit" && mode !== "file") return findings;
  const workingDirectory = mode === "unit" ||
    (mode === "file" && filePath !== "") ||
    lookupSet(unit, "Service", "WorkingDirectory") !== undefined;
  if (workingDirectory) return findings;
  if (filePath === "") {
    findings.push(missing(
      unit,
      "build",
      "neither File= nor SetWorkingDirectory= is set",
      "Add `SetWorkingDirectory=unit` to build in the unit's folder, or `File=` with the Containerfile",
    ));
  } else if (isRelative(filePath)) {
    findings.push({
      code: "ERR_UNIT_MISSING_KEY",
      message:
        `Cannot convert "${unit.file}": File=${filePath} is a relative path, and no SetWorkingDirectory= says what it is relative to`,
      file: file!.entry.file,
      line: file!.entry.line,
      remedy:
        "Add `SetWorkingDirectory=unit` to [Build] (for a Containerfile next to the unit), or make File= absolute",
    });
  }
  return findings;
}

/** Podman's `GetBuiltImageName`: the first whole value of `LookupAll(ImageTag)`. */
function firstImageTag(unit: UnitFile): string | undefined {
  const entries = unit.sections.find((s) => s.name === "Build")?.entries ?? [];
  let first: string | undefined;
  for (const entry of entries) {
    if (entry.key !== "ImageTag") continue;
    if (entry.value === "") first = undefined;
    else if (first === undefined) first = entry.value;
  }
  return first;
}

function isRelative(path: string): boolean {
  const specifier = path.startsWith("%") && !path.startsWith("%%");
  return !specifier && !path.startsWith("/") && !URL_REGEXP.test(path);
}

function missing(
  unit: UnitFile,
  kind: QuadletKind,
  what: string,
  remedy: string,
): Finding {
  const section = kindSection(kind);
  const header = unit.sections.find((s) => s.name === section);
  const where = header === undefined
    ? ` (the unit has no [${section}] section)`
    : ` in [${section}]`;
  return {
    code: "ERR_UNIT_MISSING_KEY",
    message: `Cannot convert "${unit.file}": ${what}${where}`,
    file: header?.file ?? unit.file,
    ...(header === undefined ? {} : { line: header.line }),
    remedy,
  };
}
