/**
 * Manifests of a deployment: the two `manifest.json` forms leger.run produces
 * (CLI and file-list), `.leger.yaml`, and the ephemeral manifest discovered
 * from a folder's units, all normalised to one `Manifest`; plus the file-name
 * safety check, the deployment-name check and checksum verification every
 * source applies.
 *
 * ```ts
 * import { parseManifestJson, verifyChecksums } from "@leger/leger/manifest";
 * import { doesNotThrow, strictEqual } from "node:assert/strict";
 *
 * const sha256 = "c".repeat(64);
 * const manifest = parseManifestJson(JSON.stringify({
 *   files: [{ name: "web.container", type: "container", checksum: sha256, size: 0 }],
 *   required_secrets: ["api_key"],
 * }));
 * strictEqual(manifest.form, "file-list");
 * doesNotThrow(() =>
 *   verifyChecksums([{ path: "web.container", bytes: new Uint8Array(), sha256 }], manifest, {
 *     location: "https://static.leger.run/u/v1/",
 *   })
 * );
 * ```
 *
 * @module
 */
export * from "./check_bare_file_name.ts";
export * from "./check_deployment_name.ts";
export * from "./discover_manifest.ts";
export * from "./parse_leger_yaml.ts";
export * from "./parse_manifest_json.ts";
export * from "./types.ts";
export * from "./verify_checksums.ts";
