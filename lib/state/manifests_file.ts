import type { Manifest } from "../manifest/types.ts";
import { readStateFile } from "./_read_state_file.ts";
import { writeFileAtomic } from "./write_file_atomic.ts";
import { StateFields } from "./_state_fields.ts";

const FILE = "manifest.json";
const FORMS = ["cli", "file-list", "leger.yaml", "discovered"] as const;

/**
 * Reads `manifest.json` from leger's state folder: the manifest of each
 * installed deployment, by deployment name (`{"deployments": {NAME:
 * MANIFEST}}`); empty when there is none. Every field of every manifest is
 * checked against {@linkcode Manifest}.
 *
 * Requires `--allow-read` for the state folder.
 *
 * @param stateDir leger's state folder of the scope.
 * @returns The manifests, by deployment name.
 * @throws {LegerError} `ERR_STATE_INVALID` naming the file, the entry and
 * the field when the file is not JSON or a field is missing or of the wrong
 * type; the codes of `fromSystemError()` when it cannot be read.
 *
 * @example Usage
 * ```ts
 * import { readManifests } from "./manifests_file.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * deepStrictEqual(await readManifests("/nonexistent"), {});
 * ```
 */
export async function readManifests(
  stateDir: string,
): Promise<Record<string, Manifest>> {
  const path = `${stateDir}/${FILE}`;
  const text = await readStateFile(path);
  if (text === null) return {};
  const fields = new StateFields(
    path,
    "Correct the entry by hand, or delete the file: leger writes each deployment's manifest there again when it installs it, and reads it for nothing else",
  );
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    throw fields.invalid("", `is not JSON: ${error.message}`, error);
  }
  const root = fields.record(parsed, "");
  if (root.deployments === undefined) return {};
  const entries = fields.record(root.deployments, "deployments");
  const manifests: Record<string, Manifest> = {};
  for (const [name, value] of Object.entries(entries)) {
    manifests[name] = readManifest(
      fields,
      value,
      `deployments[${JSON.stringify(name)}]`,
    );
  }
  return manifests;
}

function readManifest(
  fields: StateFields,
  value: unknown,
  at: string,
): Manifest {
  const record = fields.record(value, at);
  const manifest: Manifest = {
    form: fields.oneOf(record, "form", at, FORMS),
    services: fields.listField(record, "services", at).map((item, i) => {
      const itemAt = `${at}.services[${i}]`;
      const service = fields.record(item, itemAt);
      return withOptional(
        {
          name: fields.string(service, "name", itemAt),
          quadletFile: fields.string(service, "quadletFile", itemAt),
        },
        {
          image: fields.optionalString(service, "image", itemAt),
          ports: fields.optionalStrings(service, "ports", itemAt),
          secretsRequired: fields.optionalStrings(
            service,
            "secretsRequired",
            itemAt,
          ),
        },
      );
    }),
    volumes: fields.listField(record, "volumes", at).map((item, i) => {
      const itemAt = `${at}.volumes[${i}]`;
      const volume = fields.record(item, itemAt);
      return withOptional({ name: fields.string(volume, "name", itemAt) }, {
        mountPath: fields.optionalString(volume, "mountPath", itemAt),
      });
    }),
    files: fields.listField(record, "files", at).map((item, i) => {
      const itemAt = `${at}.files[${i}]`;
      const file = fields.record(item, itemAt);
      return withOptional({ name: fields.string(file, "name", itemAt) }, {
        type: fields.optionalString(file, "type", itemAt),
        sha256: file.sha256 === undefined
          ? undefined
          : fields.sha256(file, "sha256", itemAt),
        size: size(fields, file, `${itemAt}.size`),
      });
    }),
    secretsRequired: fields.strings(record, "secretsRequired", at),
    requires: fields.strings(record, "requires", at),
  };
  for (
    const key of [
      "name",
      "description",
      "version",
      "userUuid",
      "createdAt",
      "releaseId",
    ] as const
  ) {
    const text = fields.optionalString(record, key, at);
    if (text !== undefined) manifest[key] = text;
  }
  const ports = fields.optionalStrings(record, "ports", at);
  if (ports !== undefined) manifest.ports = ports;
  if (record.health !== undefined) {
    const health = fields.record(record.health, `${at}.health`);
    manifest.health = Object.fromEntries(
      Object.keys(health).map((key) => [
        key,
        fields.string(health, key, `${at}.health`),
      ]),
    );
  }
  if (record.units !== undefined) {
    const units = fields.record(record.units, `${at}.units`);
    manifest.units = Object.fromEntries(
      Object.keys(units).map((kind) => [
        kind,
        fields.strings(units, kind, `${at}.units`),
      ]),
    );
  }
  return manifest;
}

function size(
  fields: StateFields,
  file: Record<string, unknown>,
  at: string,
): number | undefined {
  const value = file.size;
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw fields.invalid(
      at,
      `must be a whole number of bytes, not ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** `base` with each field of `optional` that is not `undefined`. */
function withOptional<T extends object, O extends object>(
  base: T,
  optional: O,
): T & Partial<O> {
  const result = { ...base } as Record<string, unknown>;
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) result[key] = value;
  }
  return result as T & Partial<O>;
}

/**
 * Sets (or, with `null`, removes) one deployment's manifest in
 * `manifest.json`, written atomically; nothing is written when removing one
 * that is not there.
 *
 * Requires `--allow-read` and `--allow-write` for the state folder.
 *
 * @param stateDir leger's state folder of the scope.
 * @param name The deployment.
 * @param manifest Its manifest, or `null` to forget it.
 * @throws {LegerError} `ERR_STATE_INVALID` when the file cannot be read as
 * `manifest.json`; `ERR_STATE_UNWRITABLE` when it cannot be written.
 *
 * @example Usage
 * ```ts
 * import { readManifests, setManifest } from "./manifests_file.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await setManifest(dir, "web", null);
 * deepStrictEqual(await readManifests(dir), {});
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function setManifest(
  stateDir: string,
  name: string,
  manifest: Manifest | null,
): Promise<void> {
  const manifests = await readManifests(stateDir);
  if (manifest === null) {
    if (manifests[name] === undefined) return;
    delete manifests[name];
  } else {
    manifests[name] = manifest;
  }
  await writeFileAtomic(
    `${stateDir}/${FILE}`,
    new TextEncoder().encode(
      JSON.stringify({ deployments: manifests }, null, 2) + "\n",
    ),
  );
}
