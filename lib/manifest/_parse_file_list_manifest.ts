import type { Manifest, ManifestService } from "./types.ts";
import { ManifestFields } from "./_manifest_fields.ts";
import { quadletKindOf } from "../quadlet/kind.ts";

/** The unit kinds that run something: each becomes a service. */
const SERVICE_KINDS = new Set(["container", "kube", "pod"]);

/**
 * Reads the file-list form of `manifest.json` (`files` and
 * `required_secrets`) into a normalised manifest.
 *
 * Services and volumes are derived from the file names: each `.container`,
 * `.kube` and `.pod` file is a service named by its stem, each `.volume` file a
 * volume named by its stem (`openwebui.volume.volume` is the volume
 * `openwebui.volume`, as in the CLI form). `generated_at` becomes `createdAt`.
 *
 * @param root The parsed JSON object.
 * @param fields The reader that names the file in errors.
 * @returns The manifest, with `form: "file-list"`.
 *
 * @example Usage
 * ```ts
 * import { parseFileListManifest } from "./_parse_file_list_manifest.ts";
 * import { ManifestFields } from "./_manifest_fields.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const manifest = parseFileListManifest({
 *   files: [{ name: "web.container", type: "container", checksum: "a".repeat(64), size: 10 }],
 * }, new ManifestFields("manifest.json"));
 * deepStrictEqual(manifest.services, [{ name: "web", quadletFile: "web.container" }]);
 * ```
 */
export function parseFileListManifest(
  root: Record<string, unknown>,
  fields: ManifestFields,
): Manifest {
  const seen = new Map<string, string>();
  const services: ManifestService[] = [];
  const volumes: Manifest["volumes"] = [];
  const files = fields.requiredArray(root, "files", "").map((value, i) => {
    const path = ManifestFields.join("files", i);
    const item = fields.record(value, path);
    const namePath = ManifestFields.join(path, "name");
    const name = fields.fileName(
      fields.requiredString(item, "name", path),
      namePath,
    );
    const earlier = seen.get(name);
    if (earlier !== undefined) {
      throw fields.invalid(
        namePath,
        `names ${JSON.stringify(name)} again (see ${earlier})`,
      );
    }
    seen.set(name, namePath);
    const entry: Manifest["files"][number] = { name };
    const type = fields.string(item, "type", path);
    if (type !== undefined) entry.type = type;
    entry.sha256 = fields.sha256(item, "checksum", path);
    const size = fields.size(item, "size", path);
    if (size !== undefined) entry.size = size;

    const kind = quadletKindOf(name);
    const stem = name.slice(0, name.lastIndexOf("."));
    if (kind !== null && SERVICE_KINDS.has(kind)) {
      services.push({ name: stem, quadletFile: name });
    }
    if (kind === "volume") volumes.push({ name: stem });
    return entry;
  });

  const manifest: Manifest = {
    form: "file-list",
    services,
    volumes,
    files,
    secretsRequired: fields.stringList(root, "required_secrets", "") ?? [],
    requires: [],
  };
  const version = fields.version(root, "version", "");
  const releaseId = fields.string(root, "release_id", "");
  const userUuid = fields.string(root, "user_uuid", "");
  const createdAt = fields.string(root, "generated_at", "");
  if (version !== undefined) manifest.version = version;
  if (releaseId !== undefined) manifest.releaseId = releaseId;
  if (userUuid !== undefined) manifest.userUuid = userUuid;
  if (createdAt !== undefined) manifest.createdAt = createdAt;
  return manifest;
}
