/**
 * Typed calls to `podman volume` that copy a volume's data in and out
 * (`export`, `import`) and remove and re-create a volume as it was
 * (`ls`, `rm`, `create`): what backups and restores need.
 *
 * Requires `--allow-run=podman`.
 *
 * @module
 */
import { run, type Runner } from "./run.ts";

/** A Podman volume as `podman volume inspect` describes it. */
export interface VolumeInfo {
  /** The volume's name. */
  name: string;
  /** Its driver (`local` unless a plugin's). */
  driver: string;
  /** Where its data lives on the host (empty for some drivers). */
  mountpoint: string;
  /** Its labels (Quadlet's `Label=`, `io.podman…`). */
  labels: Record<string, string>;
  /** The driver's options (`type`, `device`, `o` of a `.volume` unit). */
  options: Record<string, string>;
}

/** Options of the volume calls that copy data. */
export interface VolumeCopyOptions {
  /**
   * Runs the command.
   *
   * @default {run}
   */
  runner?: Runner;
  /**
   * Stops Podman (SIGTERM) when aborted.
   *
   * @default {undefined}
   */
  signal?: AbortSignal;
}

/**
 * Writes a volume's data to a tar file with `podman volume export VOLUME
 * --output FILE`: Podman streams it to the file, nothing passes through
 * leger.
 *
 * @param name The volume.
 * @param file The tar file to write (created or truncated).
 * @param options The runner and the signal that stops the export.
 * @throws {CommandError} When Podman fails (no such volume, disk full).
 *
 * @example Usage
 * ```ts
 * import { exportVolume } from "./podman_volumes.ts";
 * import { fakeRunner } from "./fake_runner.ts";
 *
 * const runner = fakeRunner([{
 *   bin: "podman",
 *   args: ["volume", "export", "--output", "/b/data.tar", "--", "systemd-data"],
 * }]);
 * await exportVolume("systemd-data", "/b/data.tar", { runner });
 * runner.assertAllCalled();
 * ```
 */
export async function exportVolume(
  name: string,
  file: string,
  options: VolumeCopyOptions = {},
): Promise<void> {
  const { runner = run, signal } = options;
  await runner("podman", ["volume", "export", "--output", file, "--", name], {
    signal,
  });
}

/**
 * Reads a tar file into an existing volume with `podman volume import VOLUME
 * FILE` (Podman adds the files to what the volume holds).
 *
 * @param name The volume, which must exist.
 * @param file The tar file.
 * @param options The runner and the signal that stops the import.
 * @throws {CommandError} When Podman fails (no such volume, not a tar file).
 *
 * @example Usage
 * ```ts
 * import { importVolume } from "./podman_volumes.ts";
 * import { fakeRunner } from "./fake_runner.ts";
 *
 * const runner = fakeRunner([{
 *   bin: "podman",
 *   args: ["volume", "import", "--", "systemd-data", "/b/data.tar"],
 * }]);
 * await importVolume("systemd-data", "/b/data.tar", { runner });
 * runner.assertAllCalled();
 * ```
 */
export async function importVolume(
  name: string,
  file: string,
  options: VolumeCopyOptions = {},
): Promise<void> {
  const { runner = run, signal } = options;
  await runner("podman", ["volume", "import", "--", name, file], { signal });
}

/**
 * Lists every Podman volume with its driver, mountpoint, labels and options,
 * with one `podman volume ls --format json` (which prints what `podman
 * volume inspect` does, for all volumes at once).
 *
 * @param runner Runs the command.
 * @returns One description per volume, in Podman's order.
 * @throws {CommandError} When Podman fails.
 * @throws {SyntaxError} When Podman's output is not what it prints.
 *
 * @example Usage
 * ```ts
 * import { listVolumeInfos } from "./podman_volumes.ts";
 * import { fakeRunner } from "./fake_runner.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const runner = fakeRunner([{
 *   bin: "podman",
 *   args: ["volume", "ls", "--format", "json"],
 *   result: {
 *     stdout: JSON.stringify([{
 *       Name: "systemd-data", Driver: "local", Mountpoint: "/v/systemd-data/_data",
 *       Labels: { app: "web" }, Options: { o: "uid=1000", UID: "1000" }, UID: 1000,
 *     }]),
 *   },
 * }]);
 * deepStrictEqual(await listVolumeInfos(runner), [{
 *   name: "systemd-data", driver: "local", mountpoint: "/v/systemd-data/_data",
 *   labels: { app: "web" }, options: { o: "uid=1000", UID: "1000" },
 * }]);
 * ```
 */
export async function listVolumeInfos(
  runner: Runner = run,
): Promise<VolumeInfo[]> {
  const args = ["volume", "ls", "--format", "json"];
  const { stdout } = await runner("podman", args);
  // Some Podman versions print nothing, or `null`, for an empty list.
  if (stdout.trim() === "" || stdout.trim() === "null") return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch (error) {
    throw new SyntaxError(
      `Cannot read the output of "podman ${args.join(" ")}": it is not JSON`,
      { cause: error },
    );
  }
  if (!Array.isArray(parsed)) {
    throw new SyntaxError(
      `Cannot read the output of "podman ${
        args.join(" ")
      }": expected a JSON list`,
    );
  }
  return parsed.map((item) => {
    if (typeof item !== "object" || item === null || Array.isArray(item)) {
      throw new SyntaxError(
        `Cannot read the output of "podman ${
          args.join(" ")
        }": an entry is not an object`,
      );
    }
    const entry = item as Record<string, unknown>;
    if (typeof entry.Name !== "string") {
      throw new SyntaxError(
        `Cannot read the output of "podman ${
          args.join(" ")
        }": an entry has no "Name" string`,
      );
    }
    return {
      name: entry.Name,
      driver: typeof entry.Driver === "string" ? entry.Driver : "local",
      mountpoint: typeof entry.Mountpoint === "string" ? entry.Mountpoint : "",
      labels: stringMap(entry.Labels),
      options: stringMap(entry.Options),
    };
  });
}

/**
 * Creates a volume with `podman volume create`, with the driver, options and
 * labels given: how a volume removed to be emptied is made again as it was.
 *
 * @param volume The volume's name, driver, options and labels (its
 * mountpoint is Podman's to choose).
 * @param runner Runs the command.
 * @throws {CommandError} When Podman fails (the name is taken).
 *
 * @example Usage
 * ```ts
 * import { createVolume } from "./podman_volumes.ts";
 * import { fakeRunner } from "./fake_runner.ts";
 *
 * const runner = fakeRunner([{
 *   bin: "podman",
 *   args: ["volume", "create", "--driver", "local", "--opt", "o=uid=1000", "--label", "app=web", "--", "systemd-data"],
 * }]);
 * await createVolume({
 *   name: "systemd-data", driver: "local", options: { o: "uid=1000" }, labels: { app: "web" },
 * }, runner);
 * runner.assertAllCalled();
 * ```
 */
export async function createVolume(
  volume: Omit<VolumeInfo, "mountpoint">,
  runner: Runner = run,
): Promise<void> {
  await runner("podman", [
    "volume",
    "create",
    "--driver",
    volume.driver,
    ...Object.entries(volume.options).flatMap((
      [k, v],
    ) => ["--opt", `${k}=${v}`]),
    ...Object.entries(volume.labels).flatMap((
      [k, v],
    ) => ["--label", `${k}=${v}`]),
    "--",
    volume.name,
  ]);
}

/**
 * Removes one volume with `podman volume rm` — without `--force`, so that a
 * volume a container still uses is refused rather than that container
 * removed.
 *
 * @param name The volume.
 * @param runner Runs the command.
 * @throws {CommandError} When the volume does not exist or is in use.
 *
 * @example Usage
 * ```ts
 * import { removeVolume } from "./podman_volumes.ts";
 * import { fakeRunner } from "./fake_runner.ts";
 *
 * const runner = fakeRunner([{ bin: "podman", args: ["volume", "rm", "--", "systemd-data"] }]);
 * await removeVolume("systemd-data", runner);
 * runner.assertAllCalled();
 * ```
 */
export async function removeVolume(
  name: string,
  runner: Runner = run,
): Promise<void> {
  await runner("podman", ["volume", "rm", "--", name]);
}

function stringMap(value: unknown): Record<string, string> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return {};
  }
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => typeof v === "string"),
  ) as Record<string, string>;
}
