import type { Manifest, ManifestService } from "./types.ts";
import { ManifestFields } from "./_manifest_fields.ts";
import { quadletKindOf } from "../quadlet/kind.ts";

/**
 * Reads the leger.run CLI form of `manifest.json` (`services` and `volumes`)
 * into a normalised manifest.
 *
 * `files` lists every file the document implies: each service's
 * `quadlet_file` with its checksum, and the file `X.volume` of each volume
 * `X` (no checksum; `openwebui.volume` gives `openwebui.volume.volume`, as the
 * deployed service stores it). Two entries naming the same file are an error.
 *
 * @param root The parsed JSON object.
 * @param fields The reader that names the file in errors.
 * @returns The manifest, with `form: "cli"`.
 *
 * @example Usage
 * ```ts
 * import { parseCliManifest } from "./_parse_cli_manifest.ts";
 * import { ManifestFields } from "./_manifest_fields.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const manifest = parseCliManifest({
 *   services: [{ name: "web", quadlet_file: "web.container", checksum: `sha256:${"a".repeat(64)}` }],
 *   volumes: [{ name: "data" }],
 * }, new ManifestFields("manifest.json"));
 * deepStrictEqual(manifest.files.map((f) => f.name), ["web.container", "data.volume"]);
 * ```
 */
export function parseCliManifest(
  root: Record<string, unknown>,
  fields: ManifestFields,
): Manifest {
  const files: Manifest["files"] = [];
  const seen = new Map<string, string>();
  function addFile(entry: Manifest["files"][number], path: string): void {
    const earlier = seen.get(entry.name);
    if (earlier !== undefined) {
      throw fields.invalid(
        path,
        `names ${JSON.stringify(entry.name)} again (see ${earlier})`,
      );
    }
    seen.set(entry.name, path);
    files.push(entry);
  }

  const secretsRequired = new Set<string>();
  const services = fields.requiredArray(root, "services", "").map(
    (value, i) => {
      const path = ManifestFields.join("services", i);
      const item = fields.record(value, path);
      const filePath = ManifestFields.join(path, "quadlet_file");
      const quadletFile = fields.fileName(
        fields.requiredString(item, "quadlet_file", path),
        filePath,
      );
      const service: ManifestService = {
        name: fields.requiredString(item, "name", path),
        quadletFile,
      };
      const sha256 = fields.sha256(item, "checksum", path);
      const image = fields.string(item, "image", path);
      const ports = fields.stringList(item, "ports", path, { numbers: true });
      const secrets = fields.stringList(item, "secrets_required", path);
      if (image !== undefined) service.image = image;
      if (ports !== undefined) service.ports = ports;
      if (secrets !== undefined) service.secretsRequired = secrets;
      secrets?.forEach((secret) => secretsRequired.add(secret));
      addFile({
        name: quadletFile,
        type: quadletKindOf(quadletFile) ?? undefined,
        sha256,
      }, filePath);
      return service;
    },
  );

  const volumes = (fields.array(root, "volumes", "") ?? []).map((value, i) => {
    const path = ManifestFields.join("volumes", i);
    const item = fields.record(value, path);
    const namePath = ManifestFields.join(path, "name");
    const name = fields.fileName(
      fields.requiredString(item, "name", path),
      namePath,
    );
    fields.fileName(`${name}.volume`, namePath);
    addFile({ name: `${name}.volume`, type: "volume" }, namePath);
    const mountPath = fields.string(item, "mount_path", path);
    return mountPath === undefined ? { name } : { name, mountPath };
  });

  return withDefined({
    form: "cli",
    version: fields.version(root, "version", ""),
    createdAt: fields.string(root, "created_at", ""),
    userUuid: fields.string(root, "user_uuid", ""),
    services,
    volumes,
    files: files.map(withDefined),
    secretsRequired: [...secretsRequired],
    requires: [],
  });
}

/** Drops the keys whose value is `undefined`, for exact `deepEqual` tests. */
function withDefined<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined),
  ) as T;
}
