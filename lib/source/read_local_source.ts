import { basename, resolve } from "node:path";
import { fromSystemError } from "../errors/from_system_error.ts";
import { LegerError } from "../errors/mod.ts";
import { checkDeploymentName } from "../manifest/check_deployment_name.ts";
import { discoverManifest } from "../manifest/discover_manifest.ts";
import { parseLegerYaml } from "../manifest/parse_leger_yaml.ts";
import { parseManifestJson } from "../manifest/parse_manifest_json.ts";
import { verifyChecksums } from "../manifest/verify_checksums.ts";
import { QUADLET_KINDS } from "../quadlet/types.ts";
import { firstInvalidUtf8 } from "./_first_invalid_utf8.ts";
import { isUnitTextFile } from "./_is_unit_text_file.ts";
import { mapConcurrent } from "./_map_concurrent.ts";
import { type SourceEntry, walkSourceFolder } from "./_walk_source_folder.ts";
import { expandPath } from "./expand_path.ts";
import { sha256Hex } from "./sha256_hex.ts";
import type { DeploymentFile, LoadedDeployment, Manifest } from "./types.ts";

const MANIFEST_JSON = "manifest.json";
const LEGER_YAML = ".leger.yaml";
const MIB = 1024 * 1024;

/** Options for {@linkcode readLocalSource}. */
export interface ReadLocalSourceOptions {
  /**
   * The home folder that `~` and `~/…` expand to. Without it such a path is
   * refused (lib/ does not read the environment; the CLI passes `$HOME`).
   *
   * @default {undefined}
   */
  home?: string;
  /**
   * The folder a relative path is resolved against.
   *
   * @default {Deno.cwd()}
   */
  cwd?: string;
  /**
   * Largest file accepted, in bytes.
   *
   * @default {1048576}
   */
  maxFileSize?: number;
  /**
   * Largest total of all files accepted, in bytes.
   *
   * @default {67108864}
   */
  maxTotalSize?: number;
  /**
   * Most files accepted.
   *
   * @default {10000}
   */
  maxFiles?: number;
  /**
   * Most files stat'ed or read at once.
   *
   * @default {8}
   */
  concurrency?: number;
  /**
   * The deployment's name, given by the caller (`leger deploy install NAME
   * --source …`): the manifest's and the folder's are then not used.
   *
   * @default {undefined}
   */
  name?: string;
}

/**
 * Reads a deployment from a local folder, checking it for safety before any
 * content is read.
 *
 * In order: the path (`~` expanded with `options.home`, relative paths against
 * `options.cwd`) must be an existing folder; its entries are walked
 * recursively (drop-in folders such as `web.container.d/` and `container.d/`,
 * config subfolders), `.git` skipped at every level, each entry stat'ed once;
 * a link must resolve inside the folder; a name must hold no control
 * character; no file may exceed `maxFileSize` (1 MiB), nor all of them
 * `maxTotalSize`. Then `manifest.json` and `.leger.yaml` (at the top only) are
 * read and parsed, so that unsafe file names in them are refused before the
 * other files are read, a few at a time. Unit files (quadlet extensions, `.conf`
 * drop-ins in `*.d/` folders) must be valid UTF-8.
 *
 * Manifest: `manifest.json` (either form) decides the files and checksums
 * when present, and every file it lists must exist and match; a `.leger.yaml`
 * beside it only fills in what it lacks (name, description, version,
 * requires, ports). With `.leger.yaml` alone, services and unit files are the
 * discovered ones. With neither, the manifest is the discovered one. In every
 * case `manifest.units` lists the unit files found at the top of the folder,
 * and there must be at least one.
 *
 * The deployment's name is the manifest's `name`, else the base name of the
 * folder as given (`~/dev/my-app` is `my-app`, even through a link); either
 * must pass `checkDeploymentName` (no spaces, no leading `-`…). The
 * manifest files themselves are not part of `files`: they describe the
 * deployment and are not installed with it (their content lives on in
 * `manifest`). `source.location` is the folder's real absolute path.
 *
 * Requires `--allow-read` on the folder.
 *
 * @param path The folder, absolute, relative or `~/…`.
 * @param options Options for reading.
 * @returns The deployment, with files sorted by path.
 * @throws {LegerError} `ERR_SOURCE_NOT_FOUND` when the folder does not exist,
 * is a file, or a link in it points to nothing.
 * @throws {LegerError} `ERR_UNSAFE_PATH` for a link leaving the folder, a bad
 * name, a special file, or an unsafe name in a manifest.
 * @throws {LegerError} `ERR_FILE_TOO_LARGE` for a file or folder over the limits.
 * @throws {LegerError} `ERR_NOT_UTF8` for a unit file that is not UTF-8.
 * @throws {LegerError} `ERR_MANIFEST_INVALID` for a manifest that cannot be read.
 * @throws {LegerError} `ERR_CHECKSUM_MISMATCH` for a file that does not match `manifest.json`.
 * @throws {LegerError} `ERR_NO_UNITS` when there is no quadlet unit at the top.
 * @throws {LegerError} `ERR_DEPLOYMENT_NAME_INVALID` when the name the
 * deployment would take (the manifest's or the folder's) is not one leger can
 * use.
 *
 * @example Usage
 * ```ts ignore
 * import { readLocalSource } from "./read_local_source.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const deployment = await readLocalSource("~/dev/my-app", { home: "/home/alice" });
 * strictEqual(deployment.name, "my-app");
 * strictEqual(deployment.source.type, "local");
 * ```
 */
export async function readLocalSource(
  path: string,
  options: ReadLocalSourceOptions = {},
): Promise<LoadedDeployment> {
  const {
    home,
    cwd = Deno.cwd(),
    maxFileSize = MIB,
    maxTotalSize = 64 * MIB,
    maxFiles = 10_000,
    concurrency = 8,
  } = options;
  const given = expandPath(path, home, cwd);
  const root = await realFolder(given, path);
  const entries = await walkSourceFolder(root, {
    maxFileSize,
    maxFiles,
    concurrency,
  });
  const total = entries.reduce((sum, entry) => sum + entry.size, 0);
  if (total > maxTotalSize) {
    throw new LegerError(
      "ERR_FILE_TOO_LARGE",
      `Cannot read source folder "${root}": its files total ${total} bytes, more than the limit of ${maxTotalSize} bytes`,
      {
        remedy:
          "Keep large data out of the deployment folder and mount it with Volume= instead",
      },
    );
  }

  const manifestEntries = entries.filter((e) =>
    e.path === MANIFEST_JSON || e.path === LEGER_YAML
  );
  const manifestFiles = await mapConcurrent(
    manifestEntries,
    concurrency,
    readEntry,
  );
  const json = manifestFiles.find((f) => f.path === MANIFEST_JSON);
  const yaml = manifestFiles.find((f) => f.path === LEGER_YAML);
  const fromJson = json &&
    parseManifestJson(decodeManifest(json), { file: MANIFEST_JSON });
  const fromYaml = yaml &&
    parseLegerYaml(decodeManifest(yaml), { file: LEGER_YAML });

  const otherFiles = await mapConcurrent(
    entries.filter((e) => !manifestEntries.includes(e)),
    concurrency,
    readEntry,
  );
  const files = otherFiles.sort((a, b) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : 0
  );
  const discovered = discoverManifest(files.map((f) => f.path));
  if (fromJson !== undefined) {
    verifyChecksums(files, fromJson, {
      location: root,
      manifestFile: MANIFEST_JSON,
      remedy:
        `Update the checksum in ${root}/${MANIFEST_JSON} if the file was changed on purpose`,
    });
  }
  const manifest = combine(fromJson, fromYaml, discovered);
  if (discovered.files.length === 0) throw noUnits(root, files);

  return {
    name: options.name ?? manifest.name ?? folderName(given, root),
    // A folder has no version of its own; its manifest's, when it gives one, names it.
    source: {
      type: "local",
      location: root,
      ...(manifest.version === undefined
        ? {}
        : { version: String(manifest.version) }),
    },
    files,
    manifest,
  };
}

async function realFolder(given: string, path: string): Promise<string> {
  const shown = given === path ? `"${path}"` : `"${path}" (${given})`;
  let real: string;
  try {
    real = await Deno.realPath(given);
  } catch (err) {
    if (
      !(err instanceof Deno.errors.NotFound ||
        err instanceof Deno.errors.NotADirectory)
    ) {
      throw err;
    }
    throw new LegerError(
      "ERR_SOURCE_NOT_FOUND",
      `Cannot read deployment folder ${shown}: it does not exist`,
      {
        cause: err,
        remedy:
          "Check the path passed to --source: a folder holding quadlet units such as web.container",
      },
    );
  }
  if (!(await Deno.stat(real)).isDirectory) {
    throw new LegerError(
      "ERR_SOURCE_NOT_FOUND",
      `Cannot read deployment folder ${shown}: it is a file, not a folder`,
      {
        remedy: `Pass the folder that holds it: --source ${
          resolve(given, "..")
        }`,
      },
    );
  }
  return real;
}

async function readEntry(entry: SourceEntry): Promise<DeploymentFile> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(entry.absolute);
  } catch (error) {
    // Deno's message names no file: name it.
    throw fromSystemError(error, { action: "read", path: entry.absolute }) ??
      error;
  }
  if (isUnitTextFile(entry.path)) {
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch (err) {
      if (!(err instanceof TypeError)) throw err;
      const offset = firstInvalidUtf8(bytes);
      const line = bytes.subarray(0, Math.max(offset, 0)).filter((b) =>
        b === 10
      ).length + 1;
      throw new LegerError(
        "ERR_NOT_UTF8",
        `Cannot read ${
          JSON.stringify(entry.path)
        }: it is not valid UTF-8 text (byte ${offset} at line ${line})`,
        {
          file: entry.path,
          line,
          cause: err,
          remedy:
            `Convert it to UTF-8, for example: iconv -f latin1 -t utf-8 ${entry.path}`,
        },
      );
    }
  }
  return { path: entry.path, bytes, sha256: await sha256Hex(bytes) };
}

function decodeManifest(file: DeploymentFile): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(file.bytes);
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    const offset = firstInvalidUtf8(file.bytes);
    const line = file.bytes.subarray(0, Math.max(offset, 0)).filter((b) =>
      b === 10
    ).length + 1;
    throw new LegerError(
      "ERR_MANIFEST_INVALID",
      `Cannot read ${file.path}: it is not valid UTF-8 text (byte ${offset} at line ${line})`,
      {
        file: file.path,
        line,
        cause: err,
        remedy:
          `Save ${file.path} as UTF-8, for example: iconv -f latin1 -t utf-8 ${file.path}`,
      },
    );
  }
}

/** `manifest.json` decides; `.leger.yaml` fills gaps; discovery gives units. */
function combine(
  fromJson: Manifest | undefined,
  fromYaml: Manifest | undefined,
  discovered: Manifest,
): Manifest {
  let manifest: Manifest;
  if (fromJson !== undefined) {
    manifest = { ...fromJson };
    if (fromYaml !== undefined) {
      manifest.name ??= fromYaml.name;
      manifest.description ??= fromYaml.description;
      manifest.version ??= fromYaml.version;
      manifest.ports ??= fromYaml.ports;
      manifest.health ??= fromYaml.health;
      if (manifest.requires.length === 0) manifest.requires = fromYaml.requires;
      for (
        const key of [
          "name",
          "description",
          "version",
          "ports",
          "health",
        ] as const
      ) {
        if (manifest[key] === undefined) delete manifest[key];
      }
    }
  } else if (fromYaml !== undefined) {
    manifest = {
      ...fromYaml,
      services: discovered.services,
      files: discovered.files,
    };
  } else {
    manifest = { ...discovered };
  }
  manifest.units = discovered.units;
  return manifest;
}

function noUnits(root: string, files: readonly DeploymentFile[]): LegerError {
  const nested = files.filter((f) =>
    f.path.includes("/") && isUnitTextFile(f.path) && !f.path.endsWith(".conf")
  );
  return new LegerError(
    "ERR_NO_UNITS",
    `Cannot use "${root}" as a deployment: it holds no quadlet unit`,
    {
      details: nested.length === 0
        ? []
        : [`units in subfolders are not deployed: ${
          nested.map((f) => f.path).join(", ")
        }`],
      remedy: `Put at least one ${
        QUADLET_KINDS.map((k) => `.${k}`).join(", ")
      } file at the top of the folder`,
    },
  );
}

function folderName(given: string, root: string): string {
  const name = basename(given) || basename(root);
  if (name === "") {
    throw new LegerError(
      "ERR_UNSAFE_PATH",
      `Cannot name the deployment in "${root}": the folder has no name`,
      { remedy: `Add "name: my-app" to ${LEGER_YAML}` },
    );
  }
  return checkDeploymentName(name, {
    where: `the folder ${JSON.stringify(given)}`,
    fix:
      `Rename the folder, or set "name:" in a ${LEGER_YAML} beside its units, to`,
  });
}
