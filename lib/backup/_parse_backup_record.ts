import { LegerError } from "../errors/mod.ts";
import type { Normalisation, SourceInfo } from "../source/types.ts";
import type { BackupFile, BackupRecord, BackupVolume } from "./types.ts";

/** The name of a backup's record in its folder. */
export const RECORD_FILE = "backup.json";

/** The version of `backup.json`'s shape; a reader refuses others. */
export const BACKUP_FORMAT = 1;

type Fields = Record<string, unknown>;

const VOLUME_NAME_REGEXP = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const SHA256_REGEXP = /^[0-9a-f]{64}$/;

/**
 * Reads a backup's `backup.json`, checking every field, and that it is the
 * record of its folder: what a restore reads from it decides which files it
 * installs and which volumes it replaces, so nothing is taken on trust.
 *
 * @throws {LegerError} `ERR_BACKUP_CORRUPT` naming the file and the field.
 */
export function parseBackupRecord(text: string, dir: string): BackupRecord {
  const path = `${dir}/${RECORD_FILE}`;
  const fail = (at: string, problem: string, cause?: unknown) =>
    new LegerError(
      "ERR_BACKUP_CORRUPT",
      `Cannot read ${path}: ${at === "" ? "the document" : at} ${problem}`,
      { file: path, cause },
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw fail("", `is not JSON: ${(error as Error).message}`, error);
  }
  const record = (value: unknown, at: string): Fields => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw fail(at, "must be a mapping");
    }
    return value as Fields;
  };
  const list = (object: Fields, key: string): unknown[] => {
    if (!Array.isArray(object[key])) throw fail(key, "must be a list");
    return object[key] as unknown[];
  };
  const text_ = (object: Fields, key: string, at: string): string => {
    const value = object[key];
    if (typeof value !== "string" || value === "") {
      throw fail(join(at, key), "must be a non-empty string");
    }
    return value;
  };
  const count = (object: Fields, key: string, at: string): number => {
    const value = object[key];
    if (
      typeof value !== "number" || !Number.isSafeInteger(value) || value < 0
    ) {
      throw fail(join(at, key), "must be a whole number of bytes");
    }
    return value;
  };
  const sha256 = (object: Fields, key: string, at: string): string => {
    const value = text_(object, key, at);
    if (!SHA256_REGEXP.test(value)) {
      throw fail(join(at, key), "must be 64 lower-case hex digits");
    }
    return value;
  };
  const inside = (value: string, at: string): string => {
    const parts = value.split("/");
    if (
      value.includes("\0") ||
      parts.some((part) => part === "" || part === "." || part === "..")
    ) {
      throw fail(
        at,
        `must be a path inside the backup, not ${JSON.stringify(value)}`,
      );
    }
    return value;
  };
  const date = (object: Fields, key: string): string => {
    const value = text_(object, key, "");
    if (Number.isNaN(Date.parse(value))) throw fail(key, "must be a date");
    return value;
  };
  const root = record(parsed, "");
  if (root.format !== BACKUP_FORMAT) {
    throw fail(
      "format",
      `is ${
        JSON.stringify(root.format)
      }: this leger reads backups of format ${BACKUP_FORMAT}`,
    );
  }
  const id = text_(root, "id", "");
  const folder = dir.slice(dir.lastIndexOf("/") + 1);
  if (id !== folder && !folder.startsWith(".")) {
    throw fail(
      "id",
      `is ${JSON.stringify(id)}, not the folder's name ${
        JSON.stringify(folder)
      }`,
    );
  }
  const scope = root.scope;
  if (scope !== "user" && scope !== "system") {
    throw fail("scope", 'must be "user" or "system"');
  }
  const type = root.type;
  if (type !== "manual" && type !== "auto") {
    throw fail("type", 'must be "manual" or "auto"');
  }
  if (typeof root.live !== "boolean") {
    throw fail("live", "must be true or false");
  }
  const source = record(root.source, "source");
  const sourceType = source.type;
  if (
    sourceType !== "local" && sourceType !== "git" && sourceType !== "leger.run"
  ) {
    throw fail("source.type", 'must be "local", "git" or "leger.run"');
  }
  const info: SourceInfo = {
    type: sourceType,
    location: text_(source, "location", "source"),
  };
  for (const key of ["ref", "commit", "version"] as const) {
    if (source[key] !== undefined) info[key] = text_(source, key, "source");
  }
  const files: BackupFile[] = list(root, "files").map((value, i) => {
    const at = `files[${i}]`;
    const file = record(value, at);
    return {
      path: inside(text_(file, "path", at), `${at}.path`),
      sha256: sha256(file, "sha256", at),
      bytes: count(file, "bytes", at),
    };
  });
  const volumes: BackupVolume[] = list(root, "volumes").map((value, i) => {
    const at = `volumes[${i}]`;
    const volume = record(value, at);
    const name = text_(volume, "name", at);
    if (!VOLUME_NAME_REGEXP.test(name)) {
      throw fail(
        `${at}.name`,
        `is not a Podman volume name: ${JSON.stringify(name)}`,
      );
    }
    return {
      name,
      file: inside(text_(volume, "file", at), `${at}.file`),
      sha256: sha256(volume, "sha256", at),
      bytes: count(volume, "bytes", at),
    };
  });
  const stopped = list(root, "stopped_services").map((value, i) => {
    if (typeof value !== "string" || value === "") {
      throw fail(`stopped_services[${i}]`, "must be a non-empty string");
    }
    return value;
  });
  const normalisations: Normalisation[] = list(root, "normalisations").map(
    (value, i) => {
      const at = `normalisations[${i}]`;
      const item = record(value, at);
      const line = item.line;
      if (line !== null && !(Number.isSafeInteger(line) && Number(line) > 0)) {
        throw fail(`${at}.line`, "must be a line number or null");
      }
      const text = (key: string) => {
        if (typeof item[key] !== "string") {
          throw fail(`${at}.${key}`, "must be a string");
        }
        return item[key] as string;
      };
      return {
        file: text_(item, "file", at),
        line: line as number | null,
        before: text("before"),
        after: text("after"),
      };
    },
  );
  return {
    id,
    deployment: text_(root, "deployment", ""),
    scope,
    created_at: date(root, "created_at"),
    type,
    size_bytes: count(root, "size_bytes", ""),
    source: info,
    installed_at: date(root, "installed_at"),
    files,
    volumes,
    live: root.live,
    stopped_services: stopped,
    normalisations,
    manifest_sha256: root.manifest_sha256 === null
      ? null
      : sha256(root, "manifest_sha256", ""),
  };
}

function join(at: string, key: string): string {
  return at === "" ? key : `${at}.${key}`;
}
