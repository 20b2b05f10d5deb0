import { lookupAll } from "../unit/lookup.ts";
import type { UnitEntry, UnitFile } from "../unit/types.ts";
import { fileRef } from "./_file_ref.ts";
import { lookupValue } from "./_lookup_value.ts";
import { lookupWords } from "./_lookup_words.ts";
import { kindSection } from "./kind_section.ts";
import type { FileRef, QuadletKind } from "./types.ts";

// Podman's isURL: "^((https?)|(git)://)|(github\.com/).+$", precedence included.
const URL_REGEXP = /^((https?)|(git):\/\/)|(github\.com\/).+$/;
const WORKING_DIRECTORY_KEYWORDS = new Set(["unit", "yaml", "file"]);

/**
 * Lists the files a unit's keys name, other than `Volume=`/`Mount=`
 * sources (which come with the volumes): `EnvironmentFile=`,
 * `ContainersConfModule=`, `SeccompProfile=`, a kube's `Yaml=` and
 * `ConfigMap=`, a build's `File=`, `SetWorkingDirectory=` path,
 * `IgnoreFile=` and secret sources, an image's or artifact's `AuthFile=`,
 * `CertDir=` and `DecryptionKey=`, and `[Service] EnvironmentFile=`. URLs are
 * left out. Each is marked relative only when Podman resolves it against the
 * unit's folder.
 *
 * @param unit The unit.
 * @param kind Its kind.
 * @param unitDir The absolute folder of the unit, when known.
 * @returns The file references.
 * @throws {LegerError} `ERR_UNIT_INVALID_VALUE` when a list key cannot be split.
 *
 * @example Usage
 * ```ts
 * import { collectFiles } from "./_collect_files.ts";
 * import { parseUnit } from "../unit/parse_unit.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const unit = parseUnit("[Kube]\nYaml=app.yml\n", { file: "app.kube" });
 * deepStrictEqual(collectFiles(unit, "kube", "/srv/app").map((f) => f.resolvedPath), ["/srv/app/app.yml"]);
 * ```
 */
export function collectFiles(
  unit: UnitFile,
  kind: QuadletKind,
  unitDir?: string,
): FileRef[] {
  const section = kindSection(kind);
  const files: FileRef[] = [];
  const add = (path: string, entry: UnitEntry, resolves: boolean) => {
    if (path !== "" && !URL_REGEXP.test(path)) {
      files.push(fileRef(path, entry, unitDir, resolves));
    }
  };
  const addValue = (
    key: string,
    resolves: boolean,
    pick = (value: string) => value,
  ) => {
    const found = lookupValue(unit, section, key);
    if (found !== undefined) add(pick(found.value), found.entry, resolves);
  };
  const addWords = (key: string, mode: "args" | "strv") => {
    for (const { word, entry } of lookupWords(unit, section, key, mode)) {
      add(word, entry, true);
    }
  };
  switch (kind) {
    case "container":
      addWords("EnvironmentFile", "args");
      addValue(
        "SeccompProfile",
        false,
        (value) => value === "unconfined" ? "" : value,
      );
      break;
    case "kube":
      addWords("Yaml", "strv");
      addWords("ConfigMap", "strv");
      break;
    case "build":
      addValue("File", true);
      addValue(
        "SetWorkingDirectory",
        true,
        (value) =>
          WORKING_DIRECTORY_KEYWORDS.has(value.toLowerCase()) ? "" : value,
      );
      addValue("IgnoreFile", true);
      addValue("AuthFile", false);
      for (
        const { word, entry } of lookupWords(unit, section, "Secret", "args")
      ) {
        add(buildSecretSource(word), entry, true);
      }
      break;
    case "image":
    case "artifact":
      addValue("AuthFile", false);
      addValue("CertDir", false);
      addValue("DecryptionKey", false, (value) => value.split(":")[0]);
      break;
  }
  for (const entry of lookupAll(unit, section, "ContainersConfModule")) {
    add(entry.value, entry, false);
  }
  for (const entry of lookupAll(unit, "Service", "EnvironmentFile")) {
    add(
      entry.value.startsWith("-") ? entry.value.slice(1) : entry.value,
      entry,
      false,
    );
  }
  return files;
}

/** The host file of a build secret (`src=`), or `""` for an environment secret. */
function buildSecretSource(spec: string): string {
  let source = "";
  for (const option of spec.split(",")) {
    if (option.startsWith("src=")) source = option.slice(4);
    else if (option.startsWith("source=")) source = option.slice(7);
    else if (option.startsWith("env=") || option === "type=env") return "";
  }
  return source;
}
