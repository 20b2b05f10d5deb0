import { LegerError } from "../errors/mod.ts";
import { checkBareFileName } from "./check_bare_file_name.ts";
import { checkDeploymentName } from "./check_deployment_name.ts";
import { normalizeSha256 } from "./_normalize_sha256.ts";

/** Where a field of a manifest is, when the parser can tell. */
export interface FieldLocation {
  /** 1-based line of the field. */
  line: number;
  /** Source text of a plain scalar (YAML), to keep `1.10` as written. */
  raw?: string;
}

/** Finds a field path (`services[2].quadlet_file`) in the manifest's text. */
export type LocateField = (path: string) => FieldLocation | undefined;

const MUST_BE_REGEXP = /^must be (.*?)(?:: current value is .*)?$/s;
const MUST_REGEXP = /^must (.*?)(?:: current value is .*)?$/s;

/**
 * What to change for a field's problem, where: "is missing" becomes "Add
 * services[0].name at line 3 of manifest.json", "must be an array: current
 * value is …" becomes "Make files an array, at line 2 of manifest.json".
 *
 * @param subject The field's path, or "the document".
 * @param problem The problem, as the error's message ends.
 * @param where The manifest's name and the field's line, when known.
 * @returns The remedy.
 *
 * @example Usage
 * ```ts
 * import { fieldRemedy } from "./_manifest_fields.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(
 *   fieldRemedy("files[0].size", "must be a whole number of bytes: current value is -5", {
 *     file: "manifest.json",
 *     line: 7,
 *   }),
 *   "Make files[0].size a whole number of bytes, at line 7 of manifest.json",
 * );
 * ```
 */
export function fieldRemedy(
  subject: string,
  problem: string,
  where: { file: string; line?: number },
): string {
  const at = where.line === undefined
    ? `in ${where.file}`
    : `at line ${where.line} of ${where.file}`;
  if (problem === "is missing") return `Add ${subject} ${at}`;
  if (problem === "must not be empty") return `Give ${subject} a value, ${at}`;
  const be = MUST_BE_REGEXP.exec(problem);
  if (be !== null) return `Make ${subject} ${be[1]}, ${at}`;
  const must = MUST_REGEXP.exec(problem);
  if (must !== null) return `Change ${subject} so that it ${must[1]}, ${at}`;
  return `Correct ${subject} ${at}: it ${problem}`;
}

const LAST_SEGMENT_REGEXP = /(?:\.[^.[\]]*|\[\d+\])$/;

/**
 * Reads typed fields out of a parsed manifest document, and throws a
 * `LegerError` that names the manifest file, the field path and (when known)
 * the line for every field of the wrong type or shape. Unknown fields are
 * never looked at, so they are tolerated.
 *
 * `null` counts as absent, so `"image": null` is the same as no `image`.
 *
 * @example Usage
 * ```ts
 * import { ManifestFields } from "./_manifest_fields.ts";
 * import { strictEqual, throws } from "node:assert/strict";
 *
 * const fields = new ManifestFields("manifest.json");
 * const service = fields.record({ name: "web", ports: [80] }, "services[0]");
 * strictEqual(fields.requiredString(service, "name", "services[0]"), "web");
 * throws(() => fields.requiredString(service, "quadlet_file", "services[0]"), {
 *   message: "Cannot read manifest.json: services[0].quadlet_file is missing",
 * });
 * ```
 */
export class ManifestFields {
  /** The manifest's name as the user knows it (`manifest.json`, a URL). */
  readonly file: string;
  #locate: LocateField;
  #raw: boolean;

  /**
   * @param file The manifest's name as the user knows it.
   * @param locate Finds a field's line (and raw text) in the manifest.
   * @param options `raw: false` when `locate` never gives the raw text of a
   * number (JSON), so that reading `version` does not locate it.
   */
  constructor(
    file: string,
    locate: LocateField = () => undefined,
    options: { raw?: boolean } = {},
  ) {
    const { raw = true } = options;
    this.file = file;
    this.#locate = locate;
    this.#raw = raw;
  }

  /** The path of `key` inside `parent` (`services[2]` + `name`). */
  static join(parent: string, key: string | number): string {
    if (typeof key === "number") return `${parent}[${key}]`;
    return parent === "" ? key : `${parent}.${key}`;
  }

  /**
   * The error for a field of the wrong type or shape, with a remedy that
   * says what to change where (see {@linkcode fieldRemedy}).
   */
  invalid(path: string, problem: string): LegerError {
    const subject = path === "" ? "the document" : path;
    const line = this.lineOf(path);
    return new LegerError(
      "ERR_MANIFEST_INVALID",
      `Cannot read ${this.file}: ${subject} ${problem}`,
      {
        file: this.file,
        line,
        remedy: fieldRemedy(subject, problem, { file: this.file, line }),
      },
    );
  }

  /** The line of `path`, or of its nearest ancestor the text shows. */
  lineOf(path: string): number | undefined {
    let current = path;
    while (true) {
      const found = this.#locate(current);
      if (found !== undefined) return found.line;
      if (current === "") return undefined;
      const parent = current.replace(LAST_SEGMENT_REGEXP, "");
      // A top-level key has no segment to strip: its parent is the root.
      current = parent === current ? "" : parent;
    }
  }

  /** A JSON object (not an array, not `null`). */
  record(value: unknown, path: string): Record<string, unknown> {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw this.invalid(
        path,
        `must be an object: current value is ${describe(value)}`,
      );
    }
    return value as Record<string, unknown>;
  }

  /** An optional non-empty string. */
  string(
    object: Record<string, unknown>,
    key: string,
    parent: string,
  ): string | undefined {
    const value = object[key];
    if (value === undefined || value === null) return undefined;
    return this.#nonEmptyString(value, ManifestFields.join(parent, key));
  }

  /** A required non-empty string. */
  requiredString(
    object: Record<string, unknown>,
    key: string,
    parent: string,
  ): string {
    const value = this.string(object, key, parent);
    if (value === undefined) {
      throw this.invalid(ManifestFields.join(parent, key), "is missing");
    }
    return value;
  }

  /** A version given as a string or a number, as text. */
  version(
    object: Record<string, unknown>,
    key: string,
    parent: string,
  ): string | undefined {
    const value = object[key];
    const path = ManifestFields.join(parent, key);
    if (value === undefined || value === null) return undefined;
    if (typeof value === "number" && Number.isFinite(value)) {
      return (this.#raw ? this.#locate(path)?.raw : undefined) ??
        String(value);
    }
    if (typeof value === "string" && value !== "") return value;
    throw this.invalid(
      path,
      `must be a string or a number: current value is ${describe(value)}`,
    );
  }

  /** An optional array. */
  array(
    object: Record<string, unknown>,
    key: string,
    parent: string,
  ): unknown[] | undefined {
    const value = object[key];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) {
      throw this.invalid(
        ManifestFields.join(parent, key),
        `must be an array: current value is ${describe(value)}`,
      );
    }
    return value;
  }

  /** A required array. */
  requiredArray(
    object: Record<string, unknown>,
    key: string,
    parent: string,
  ): unknown[] {
    const value = this.array(object, key, parent);
    if (value === undefined) {
      throw this.invalid(ManifestFields.join(parent, key), "is missing");
    }
    return value;
  }

  /**
   * An optional list of non-empty strings; with `numbers`, numbers are
   * accepted and turned into text (`ports: [80]`).
   */
  stringList(
    object: Record<string, unknown>,
    key: string,
    parent: string,
    options: { numbers?: boolean } = {},
  ): string[] | undefined {
    const { numbers = false } = options;
    const list = this.array(object, key, parent);
    if (list === undefined) return undefined;
    const path = ManifestFields.join(parent, key);
    return list.map((item, i) => {
      if (numbers && typeof item === "number" && Number.isFinite(item)) {
        return String(item);
      }
      return this.#nonEmptyString(item, ManifestFields.join(path, i));
    });
  }

  /** A SHA-256 checksum, `sha256:<hex>` or bare hex, as lower-case hex. */
  sha256(
    object: Record<string, unknown>,
    key: string,
    parent: string,
  ): string {
    const path = ManifestFields.join(parent, key);
    const text = this.requiredString(object, key, parent);
    const hex = normalizeSha256(text);
    if (hex === undefined) {
      throw this.invalid(
        path,
        `must be a SHA-256 checksum ("sha256:" and 64 hex digits, or the 64 digits alone): current value is ${
          JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text)
        }`,
      );
    }
    return hex;
  }

  /** An optional non-negative integer (a file size). */
  size(
    object: Record<string, unknown>,
    key: string,
    parent: string,
  ): number | undefined {
    const value = object[key];
    if (value === undefined || value === null) return undefined;
    if (
      typeof value !== "number" || !Number.isSafeInteger(value) || value < 0
    ) {
      throw this.invalid(
        ManifestFields.join(parent, key),
        `must be a whole number of bytes: current value is ${describe(value)}`,
      );
    }
    return value;
  }

  /** A file name that must be a bare name (see `checkBareFileName`). */
  fileName(name: string, path: string): string {
    const problem = checkBareFileName(name);
    if (problem !== undefined) {
      throw new LegerError(
        "ERR_UNSAFE_PATH",
        `Cannot accept ${this.file}: ${path} is not a bare file name: ${
          JSON.stringify(name)
        } ${problem}`,
        {
          file: this.file,
          line: this.lineOf(path),
          remedy:
            "A manifest may name only files in its own folder, such as web.container",
        },
      );
    }
    return name;
  }

  /** A deployment name (see `checkDeploymentName`), located in the manifest. */
  deploymentName(name: string, path: string): string {
    const line = this.lineOf(path);
    return checkDeploymentName(name, {
      where: line === undefined ? this.file : `${this.file} at line ${line}`,
      file: this.file,
      ...(line === undefined ? {} : { line }),
      fix: `Set ${path}: in ${this.file} to`,
    });
  }

  #nonEmptyString(value: unknown, path: string): string {
    if (typeof value !== "string") {
      throw this.invalid(
        path,
        `must be a string: current value is ${describe(value)}`,
      );
    }
    if (value === "") throw this.invalid(path, "must not be empty");
    return value;
  }
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
