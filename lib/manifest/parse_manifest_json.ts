import { parseEvents, YAMLException } from "js-yaml";
import { LegerError } from "../errors/mod.ts";
import type { Manifest } from "./types.ts";
import { findJsonSyntaxProblem } from "./_find_json_syntax_problem.ts";
import { lineColumnAt, lineIndex } from "./_line_column.ts";
import { type LocateField, ManifestFields } from "./_manifest_fields.ts";
import { parseCliManifest } from "./_parse_cli_manifest.ts";
import { parseFileListManifest } from "./_parse_file_list_manifest.ts";
import { yamlPathSpans } from "./_yaml_path_spans.ts";

/** Options for {@linkcode parseManifestJson}. */
export interface ParseManifestJsonOptions {
  /**
   * The manifest's name as the user knows it, used in every error message
   * (a relative path or a URL).
   *
   * @default {"manifest.json"}
   */
  file?: string;
}

/**
 * Parses a `manifest.json` in either of the forms leger.run produces, and
 * normalises it.
 *
 * The form is detected from the top-level keys: a document with `files` is the
 * file-list form (it lists every file, so it wins when a document has both),
 * one with `services` is the CLI form. Unknown fields are ignored. Every file
 * name the document gives is checked to be a bare name before anything uses
 * it; checksums are normalised to lower-case bare hex.
 *
 * @param text The manifest's text.
 * @param options Options for parsing.
 * @returns The normalised manifest (`form` is `"cli"` or `"file-list"`).
 * @throws {LegerError} `ERR_MANIFEST_INVALID` when the text is not JSON (with
 * line and column) or a field has the wrong type or shape (naming the field
 * path, such as `manifest.json: services[2].quadlet_file`, and its line).
 * @throws {LegerError} `ERR_UNSAFE_PATH` when a file name is not a bare name.
 *
 * @example Usage
 * ```ts
 * import { parseManifestJson } from "./parse_manifest_json.ts";
 * import { deepStrictEqual, strictEqual } from "node:assert/strict";
 *
 * const manifest = parseManifestJson(JSON.stringify({
 *   version: 1,
 *   services: [{
 *     name: "web",
 *     quadlet_file: "web.container",
 *     checksum: `sha256:${"AB".repeat(32)}`,
 *     ports: ["8080:80"],
 *   }],
 *   volumes: [{ name: "web-data", mount_path: "/data" }],
 * }));
 * strictEqual(manifest.form, "cli");
 * strictEqual(manifest.version, "1");
 * deepStrictEqual(manifest.files, [
 *   { name: "web.container", type: "container", sha256: "ab".repeat(32) },
 *   { name: "web-data.volume", type: "volume" },
 * ]);
 * ```
 */
export function parseManifestJson(
  text: string,
  options: ParseManifestJsonOptions = {},
): Manifest {
  const { file = "manifest.json" } = options;
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    const problem = findJsonSyntaxProblem(text) ??
      { offset: 0, reason: err.message };
    const { line, column } = lineColumnAt(text, problem.offset);
    throw new LegerError(
      "ERR_MANIFEST_INVALID",
      `Cannot parse ${file} as JSON at line ${line}, column ${column}: ${problem.reason}`,
      {
        file,
        line,
        cause: err,
        remedy:
          `Correct the JSON at line ${line}, column ${column} of ${file}, then run \`leger validate\` again`,
      },
    );
  }
  // JSON keeps no raw text of a number: `1.10` is read as 1.1 either way.
  const fields = new ManifestFields(file, locateInJson(text), { raw: false });
  const root = fields.record(document, "");
  if ("files" in root) return parseFileListManifest(root, fields);
  if ("services" in root) return parseCliManifest(root, fields);
  throw fields.invalid(
    "",
    'has neither "services" (the leger.run CLI form) nor "files" (the file-list form)',
  );
}

/**
 * Locates fields in JSON text through the YAML event parser (JSON is YAML),
 * parsing only once and only when an error needs a line.
 */
function locateInJson(text: string): LocateField {
  let lines: Map<string, number> | undefined;
  return (path) => {
    if (lines === undefined) {
      lines = new Map();
      try {
        const locate = lineIndex(text);
        for (const [key, span] of yamlPathSpans(text, parseEvents(text, {}))) {
          lines.set(key, locate(span.offset).line);
        }
      } catch (err) {
        // A JSON text YAML cannot read (rare: tabs in odd places) only costs the line number.
        if (!(err instanceof YAMLException)) throw err;
      }
    }
    const line = lines.get(path);
    return line === undefined ? undefined : { line };
  };
}
