import { LegerError } from "../errors/leger_error.ts";
import type { SourceInfo } from "../source/types.ts";

/** A JSON or YAML document's value, as the checks see it. */
type Fields = Record<string, unknown>;

/**
 * Checks the fields of one of leger's state files (`deployments.yaml`,
 * `manifest.json`, `kept-volumes.json`, a `.leger-deployment.json`) and
 * throws `ERR_STATE_INVALID` naming the file, the entry (its index and
 * name) and the field, with the file's remedy, at the first one that is
 * missing or of the wrong type. leger writes these files itself, so a wrong
 * field means the file was edited or damaged: a reader that trusted it
 * would fail later with an error that names nothing.
 *
 * Paths read like `deployments[2] ("web").services[0]`.
 *
 * @example Usage
 * ```ts
 * import { StateFields } from "./_state_fields.ts";
 * import { throws } from "node:assert/strict";
 *
 * const fields = new StateFields("/s/deployments.yaml", "Restore it from a backup");
 * throws(() => fields.string({ name: 5 }, "name", 'deployments[0]'), {
 *   code: "ERR_STATE_INVALID",
 *   message: 'Cannot read /s/deployments.yaml: deployments[0].name must be a non-empty string, not 5',
 * });
 * ```
 */
export class StateFields {
  /** The file, as an absolute path. */
  readonly path: string;
  /** What to do about a wrong field of this file. */
  readonly remedy: string;

  constructor(path: string, remedy: string) {
    this.path = path;
    this.remedy = remedy;
  }

  /** The error for a wrong value at `at` (a field path, or `""` for the document). */
  invalid(at: string, problem: string, cause?: unknown): LegerError {
    return new LegerError(
      "ERR_STATE_INVALID",
      `Cannot read ${this.path}: ${at === "" ? "the document" : at} ${problem}`,
      { file: this.path, remedy: this.remedy, cause },
    );
  }

  /** A mapping (not a list, not `null`). */
  record(value: unknown, at: string): Fields {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw this.invalid(at, `must be a mapping, not ${describe(value)}`);
    }
    return value as Fields;
  }

  /** A list. */
  list(value: unknown, at: string): unknown[] {
    if (!Array.isArray(value)) {
      throw this.invalid(at, `must be a list, not ${describe(value)}`);
    }
    return value;
  }

  /** A required list field. */
  listField(object: Fields, key: string, at: string): unknown[] {
    const path = join(at, key);
    if (object[key] === undefined) throw this.invalid(path, "is missing");
    return this.list(object[key], path);
  }

  /** A required non-empty string field. */
  string(object: Fields, key: string, at: string): string {
    const value = object[key];
    if (typeof value !== "string" || value === "") {
      throw this.invalid(
        join(at, key),
        value === undefined
          ? "is missing"
          : `must be a non-empty string, not ${describe(value)}`,
      );
    }
    return value;
  }

  /** A required string field, which may be empty. */
  text(object: Fields, key: string, at: string): string {
    const value = object[key];
    if (typeof value !== "string") {
      throw this.invalid(
        join(at, key),
        value === undefined
          ? "is missing"
          : `must be a string, not ${describe(value)}`,
      );
    }
    return value;
  }

  /** An optional string field: absent or a non-empty string. */
  optionalString(object: Fields, key: string, at: string): string | undefined {
    return object[key] === undefined ? undefined : this.string(object, key, at);
  }

  /** A required field holding one of `values`. */
  oneOf<T extends string>(
    object: Fields,
    key: string,
    at: string,
    values: readonly T[],
  ): T {
    const value = object[key];
    if (!values.includes(value as T)) {
      throw this.invalid(
        join(at, key),
        value === undefined
          ? "is missing"
          : `must be ${
            values.map((v) => JSON.stringify(v)).join(" or ")
          }, not ${describe(value)}`,
      );
    }
    return value as T;
  }

  /** A required date field (RFC 3339 text). */
  date(object: Fields, key: string, at: string): string {
    const value = this.string(object, key, at);
    if (Number.isNaN(Date.parse(value))) {
      throw this.invalid(
        join(at, key),
        `must be a date such as "2025-10-16T12:00:00.000Z", not ${
          describe(value)
        }`,
      );
    }
    return value;
  }

  /** A required list of non-empty strings. */
  strings(object: Fields, key: string, at: string): string[] {
    return this.stringList(this.listField(object, key, at), join(at, key));
  }

  /** A value that must be a list of non-empty strings. */
  stringList(value: unknown, at: string): string[] {
    return this.list(value, at).map((item, i) => {
      if (typeof item !== "string" || item === "") {
        throw this.invalid(
          `${at}[${i}]`,
          `must be a non-empty string, not ${describe(item)}`,
        );
      }
      return item;
    });
  }

  /** An optional list of non-empty strings. */
  optionalStrings(
    object: Fields,
    key: string,
    at: string,
  ): string[] | undefined {
    return object[key] === undefined
      ? undefined
      : this.strings(object, key, at);
  }

  /** A required lower-case hex SHA-256. */
  sha256(object: Fields, key: string, at: string): string {
    const value = this.string(object, key, at);
    if (!/^[0-9a-f]{64}$/.test(value)) {
      throw this.invalid(
        join(at, key),
        `must be 64 lower-case hex digits (a SHA-256), not ${describe(value)}`,
      );
    }
    return value;
  }

  /** A required `source` mapping: where a deployment's files came from. */
  source(object: Fields, key: string, at: string): SourceInfo {
    const path = join(at, key);
    if (object[key] === undefined) throw this.invalid(path, "is missing");
    const source = this.record(object[key], path);
    const info: SourceInfo = {
      type: this.oneOf(source, "type", path, ["local", "git", "leger.run"]),
      location: this.string(source, "location", path),
    };
    for (const optional of ["ref", "commit", "version"] as const) {
      const value = this.optionalString(source, optional, path);
      if (value !== undefined) info[optional] = value;
    }
    return info;
  }

  /**
   * A relative path inside a folder (`web.container`,
   * `web.container.d/10-limits.conf`): leger reads and removes files by it,
   * so it must not climb out.
   */
  relativePath(object: Fields, key: string, at: string): string {
    const value = this.string(object, key, at);
    const parts = value.split("/");
    if (
      value.includes("\0") ||
      parts.some((part) => part === "" || part === "." || part === "..")
    ) {
      throw this.invalid(
        join(at, key),
        `must be a path inside the deployment's folder, not ${describe(value)}`,
      );
    }
    return value;
  }
}

/** `at` + `.key`, or `key` at the top. */
function join(at: string, key: string): string {
  return at === "" ? key : `${at}.${key}`;
}

/** A value as the error shows it: its text for a scalar, its kind otherwise. */
function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") {
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  }
  return String(value);
}
