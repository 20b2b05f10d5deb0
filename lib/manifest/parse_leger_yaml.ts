import {
  constructFromEvents,
  type Event,
  EVENT_ID,
  parseEvents,
  YAMLException,
} from "js-yaml";
import { LegerError } from "../errors/mod.ts";
import { redactUrl } from "../errors/redact_url.ts";
import { healthUrlProblem } from "../quadlet/health_url.ts";
import type { Manifest } from "./types.ts";
import { lineIndex } from "./_line_column.ts";
import { ManifestFields } from "./_manifest_fields.ts";
import { yamlPathSpans } from "./_yaml_path_spans.ts";

/** Options for {@linkcode parseLegerYaml}. */
export interface ParseLegerYamlOptions {
  /**
   * The file's name as the user knows it, used in every error message.
   *
   * @default {".leger.yaml"}
   */
  file?: string;
}

/**
 * Parses a `.leger.yaml` metadata file (specification §6) into a normalised
 * manifest with `form: "leger.yaml"`.
 *
 * Known keys: `name` (the deployment name, checked with
 * `checkDeploymentName`), `description`, `version` (a number is kept as
 * written, so `1.10` stays `"1.10"`), `requires` (a list of names), `ports`
 * (strings or numbers), `volumes`, each either `NAME`,
 * `NAME:/mount/path[:options]` or `{name, mount_path}`, and `health`, an
 * http(s) URL by unit base name (`health: {web: http://127.0.0.1:8080/health}`
 * checks `web.container`'s service). Unknown keys are
 * ignored; an empty file is an empty manifest. Services, files and secrets
 * are left empty: the units themselves say what they are.
 *
 * @param text The file's text.
 * @param options Options for parsing.
 * @returns The normalised manifest.
 * @throws {LegerError} `ERR_MANIFEST_INVALID` when the text is not YAML, holds
 * more than one document, or a key has the wrong type (naming the field path
 * and its line).
 * @throws {LegerError} `ERR_DEPLOYMENT_NAME_INVALID` when `name` cannot name a
 * deployment (`--help`, `a/b`, `my app`), naming the file and the line.
 *
 * @example Usage
 * ```ts
 * import { parseLegerYaml } from "./parse_leger_yaml.ts";
 * import { deepStrictEqual, strictEqual } from "node:assert/strict";
 *
 * const manifest = parseLegerYaml([
 *   "name: openwebui",
 *   "version: 1.0.0",
 *   "requires: [redis]",
 *   "ports:",
 *   "  - 3000:8080",
 *   "volumes:",
 *   "  - openwebui-data:/app/data",
 * ].join("\n"));
 * strictEqual(manifest.name, "openwebui");
 * deepStrictEqual(manifest.ports, ["3000:8080"]);
 * deepStrictEqual(manifest.volumes, [{ name: "openwebui-data", mountPath: "/app/data" }]);
 *
 * const checked = parseLegerYaml("health:\n  web: http://127.0.0.1:8080/health\n");
 * deepStrictEqual(checked.health, { web: "http://127.0.0.1:8080/health" });
 * ```
 */
export function parseLegerYaml(
  text: string,
  options: ParseLegerYamlOptions = {},
): Manifest {
  const { file = ".leger.yaml" } = options;
  const { document, events } = loadYaml(text, file);
  const spans = yamlPathSpans(text, events);
  let locate: ReturnType<typeof lineIndex> | undefined;
  const fields = new ManifestFields(file, (path) => {
    const span = spans.get(path);
    if (span === undefined) return undefined;
    // Indexed on first use: most manifests never need a line.
    const { line } = (locate ??= lineIndex(text))(span.offset);
    return span.raw === undefined ? { line } : { line, raw: span.raw };
  });
  const root = document === null ? {} : fields.record(document, "");

  const manifest: Manifest = {
    form: "leger.yaml",
    services: [],
    volumes: (fields.array(root, "volumes", "") ?? []).map((value, i) =>
      readVolume(value, ManifestFields.join("volumes", i), fields)
    ),
    files: [],
    secretsRequired: [],
    requires: fields.stringList(root, "requires", "") ?? [],
  };
  const name = fields.string(root, "name", "");
  if (name !== undefined) manifest.name = fields.deploymentName(name, "name");
  const description = fields.string(root, "description", "");
  if (description !== undefined) manifest.description = description;
  const version = fields.version(root, "version", "");
  if (version !== undefined) manifest.version = version;
  const ports = fields.stringList(root, "ports", "", { numbers: true });
  if (ports !== undefined) manifest.ports = ports;
  if (root.health !== undefined && root.health !== null) {
    manifest.health = readHealth(root.health, fields);
  }
  return manifest;
}

/**
 * `health:`: an http(s) URL by unit (base name, file name or service; the
 * units are checked against the keys by `leger validate`, which knows them).
 * The value shown in an error has its credentials removed.
 */
function readHealth(
  value: unknown,
  fields: ManifestFields,
): Record<string, string> {
  if (typeof value !== "object" || Array.isArray(value)) {
    throw fields.invalid(
      "health",
      "must be a map of unit names to URLs, such as {web: http://127.0.0.1:8080/health}: current value is " +
        (Array.isArray(value) ? "an array" : JSON.stringify(value)),
    );
  }
  const health: Record<string, string> = {};
  const entries = value as Record<string, unknown>;
  for (const key of Object.keys(entries)) {
    const url = fields.string(entries, key, "health");
    if (url === undefined) continue;
    const path = ManifestFields.join("health", key);
    if (healthUrlProblem(url)?.kind === "port") {
      throw fields.invalid(
        path,
        `must have a port in 1-65535, such as http://127.0.0.1:8080/health: current value is ${
          JSON.stringify(redactUrl(url))
        }`,
      );
    }
    if (!/^https?:\/\/[^/\s]+/i.test(url) || !URL.canParse(url)) {
      throw fields.invalid(
        path,
        `must be an http(s) URL such as http://127.0.0.1:8080/health: current value is ${
          JSON.stringify(redactUrl(url))
        }`,
      );
    }
    health[key] = url;
  }
  return health;
}

function loadYaml(
  text: string,
  file: string,
): { document: unknown; events: Event[] } {
  try {
    const events = parseEvents(text, { filename: file });
    const starts = events.filter((e) => e.type === EVENT_ID.DOCUMENT).length;
    if (starts > 1) {
      throw new LegerError(
        "ERR_MANIFEST_INVALID",
        `Cannot read ${file}: it holds ${starts} YAML documents, expected one`,
        { file, remedy: 'Remove the "---" lines that start further documents' },
      );
    }
    const document = events.length === 0
      ? null
      : constructFromEvents(events, { source: text, filename: file })[0];
    return { document: document ?? null, events };
  } catch (err) {
    if (!(err instanceof YAMLException)) throw err;
    const where = err.mark === undefined
      ? ""
      : ` at line ${err.mark.line + 1}, column ${err.mark.column + 1}`;
    throw new LegerError(
      "ERR_MANIFEST_INVALID",
      `Cannot parse ${file} as YAML${where}: ${err.reason}`,
      {
        file,
        line: err.mark === undefined ? undefined : err.mark.line + 1,
        cause: err,
        remedy: `Correct the YAML${
          err.mark === undefined ? "" : ` at line ${err.mark.line + 1}`
        } of ${file} (indentation, a missing ":" or an unclosed quote), then run \`leger validate\` again`,
      },
    );
  }
}

function readVolume(
  value: unknown,
  path: string,
  fields: ManifestFields,
): Manifest["volumes"][number] {
  if (typeof value === "string" && value !== "") {
    const [name, mountPath] = value.split(":");
    if (name === "") {
      throw fields.invalid(
        path,
        `must start with a volume name: current value is ${
          JSON.stringify(value)
        }`,
      );
    }
    return mountPath === undefined || mountPath === ""
      ? { name }
      : { name, mountPath };
  }
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const item = value as Record<string, unknown>;
    const name = fields.requiredString(item, "name", path);
    const mountPath = fields.string(item, "mount_path", path);
    return mountPath === undefined ? { name } : { name, mountPath };
  }
  throw fields.invalid(
    path,
    'must be "NAME:/mount/path" or an object with "name": current value is ' +
      (value === null
        ? "null"
        : Array.isArray(value)
        ? "an array"
        : JSON.stringify(value)),
  );
}
