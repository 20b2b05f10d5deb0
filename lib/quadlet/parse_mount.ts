import type { UnitFile } from "../unit/types.ts";
import { readCsv } from "./_read_csv.ts";
import { writeCsv } from "./_write_csv.ts";
import { resolveStorageSource } from "./resolve_storage_source.ts";
import type { VolumeRef } from "./types.ts";

/** Options for {@linkcode parseMount}. */
export interface ParseMountOptions {
  /**
   * The file the value comes from, copied into the result.
   *
   * @default {""}
   */
  file?: string;
  /**
   * The line the value comes from, copied into the result.
   *
   * @default {0}
   */
  line?: number;
  /**
   * The absolute folder of the unit, against which `./…` sources resolve.
   * Without it they stay as written.
   *
   * @default {undefined}
   */
  unitDir?: string;
  /**
   * The other units of the deployment by file name (drop-ins merged), to
   * resolve `x.volume`, `x.image` and `x.artifact` sources.
   *
   * @default {new Map()}
   */
  siblings?: ReadonlyMap<string, UnitFile>;
}

/** The mount types whose source Podman resolves (`resolveContainerMountParams`). */
const RESOLVED_TYPES = new Set(["volume", "bind", "glob", "image", "artifact"]);
const SOURCELESS_TYPES = new Set(["tmpfs", "ramfs", "devpts"]);

/**
 * Parses one `Mount=` word and gives the `--mount` argument Podman's
 * generator makes of it (`resolveContainerMountParams`).
 *
 * The word is read as one CSV record; `type=` defaults to `volume`. For the
 * types `volume`, `bind`, `glob`, `image` and `artifact` the `source=`/`src=`
 * is resolved like a `Volume=` source (`x.volume`, `x.image` and
 * `x.artifact` name quadlet units), written back as `source=`, `type=` moved
 * to the front, and the record written again as CSV. Other types (`tmpfs`,
 * `devpts`, …) pass unchanged. When a referenced quadlet unit cannot be
 * resolved, `spec` keeps the source as written.
 *
 * @param value One word of `Mount=`, such as `type=bind,src=./conf,dst=/etc/app`.
 * @param options Where the value comes from, the unit's folder and siblings.
 * @returns The volume reference, with `flag` `--mount`.
 * @throws {SyntaxError} When the word is not one CSV record, a `source` has
 * no value, or a `bind`, `glob`, `image` or `artifact` mount has no source.
 *
 * @example Usage
 * ```ts
 * import { parseMount } from "./parse_mount.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(
 *   parseMount("type=volume,source=data.volume,destination=/data").spec,
 *   "type=volume,source=systemd-data,destination=/data",
 * );
 * ```
 */
export function parseMount(
  value: string,
  options: ParseMountOptions = {},
): VolumeRef {
  const { file = "", line = 0, unitDir, siblings } = options;
  const records = readCsv(value);
  if (records.length !== 1) {
    throw new SyntaxError(
      `Cannot parse mount "${value}": it must be one line of comma-separated options`,
    );
  }
  let type: string | undefined;
  const tokens: string[] = [];
  for (const field of records[0]) {
    const parts = field.split("=");
    if (type === undefined && parts.length === 2 && parts[0] === "type") {
      type = parts[1];
    } else tokens.push(field);
  }
  type ??= "volume";
  const base = { flag: "--mount" as const, line, file };
  if (!RESOLVED_TYPES.has(type)) {
    const sourceKind = SOURCELESS_TYPES.has(type) ? "none" : "other";
    return {
      ...base,
      sourceKind,
      source: null,
      resolvedSource: null,
      unit: null,
      spec: value,
    };
  }
  let sourceIndex = -1;
  let source = "";
  for (let i = 0; i < tokens.length; i++) {
    const eq = tokens[i].indexOf("=");
    const key = eq === -1 ? tokens[i] : tokens[i].slice(0, eq);
    if (key !== "source" && key !== "src") continue;
    if (eq === -1) {
      throw new SyntaxError(
        `Cannot parse mount "${value}": "${key}" has no value`,
      );
    }
    sourceIndex = i;
    source = tokens[i].slice(eq + 1);
  }
  if (source === "") {
    if (type !== "volume") {
      throw new SyntaxError(
        `Cannot parse mount "${value}": a mount of type ${type} needs a source`,
      );
    }
    const spec = writeCsv([`type=${type}`, ...tokens]);
    return {
      ...base,
      sourceKind: "none",
      source: null,
      resolvedSource: null,
      unit: null,
      spec,
    };
  }
  const resolved = resolveStorageSource(source, {
    unitDir,
    siblings,
    checkImage: true,
  });
  tokens[sourceIndex] = `source=${resolved.resolved ?? source}`;
  let sourceKind: VolumeRef["sourceKind"] = resolved.sourceKind;
  if (sourceKind !== "quadlet") {
    if (type === "bind" || type === "glob") sourceKind = "host";
    else if (type !== "volume") sourceKind = "other";
  }
  return {
    ...base,
    sourceKind,
    source,
    resolvedSource: resolved.resolved,
    unit: resolved.unit,
    spec: writeCsv([`type=${type}`, ...tokens]),
  };
}
