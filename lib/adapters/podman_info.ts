import { run, type Runner } from "./run.ts";

/** A range of ids of a user namespace, as `podman info` lists it. */
export interface IdMapping {
  /** The first id inside the namespace. */
  containerId: number;
  /** The first id on the host it maps to. */
  hostId: number;
  /** How many ids. */
  size: number;
}

/** What leger reads of `podman info --format json`. */
export interface PodmanInfo {
  /** Podman's version (`version.Version`): `5.8.6`. */
  version: string;
  /**
   * The user namespace Podman runs rootless containers in
   * (`host.idMappings.uidmap`): the user's own id, then the ranges of
   * `/etc/subuid`; empty as root.
   */
  uidMap: IdMapping[];
  /** Where Podman keeps images, containers and secrets (`store.graphRoot`). */
  graphRoot: string;
}

const ARGS = ["info", "--format", "json"] as const;

/**
 * Asks Podman how it runs on this host: its version, the user namespace of
 * rootless containers and its storage folder. One `podman info --format json`.
 *
 * Requires `--allow-run=podman`.
 *
 * @param options The runner.
 * @returns What leger reads of it.
 * @throws {SyntaxError} If the output is not Podman's JSON document.
 * @throws {CommandError} If `podman info` fails.
 * @throws {LegerError} `ERR_COMMAND_NOT_FOUND` if Podman is not installed.
 *
 * @example Usage
 * ```ts
 * import { readPodmanInfo } from "./podman_info.ts";
 * import { fakeRunner } from "./fake_runner.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const runner = fakeRunner([{
 *   bin: "podman", args: ["info", "--format", "json"],
 *   result: { stdout: JSON.stringify({
 *     host: { security: { rootless: true } },
 *     store: { graphRoot: "/home/a/.local/share/containers/storage" },
 *     version: { Version: "5.8.6" },
 *   }) },
 * }]);
 * const info = await readPodmanInfo({ runner });
 * strictEqual(info.version, "5.8.6");
 * ```
 */
export async function readPodmanInfo(
  options: { runner?: Runner } = {},
): Promise<PodmanInfo> {
  const { runner = run } = options;
  const { stdout } = await runner("podman", ARGS);
  return parsePodmanInfo(stdout);
}

/**
 * Parses the output of `podman info --format json` (Podman 4 and 5).
 *
 * @param stdout What Podman printed.
 * @returns What leger reads of it; a field Podman left out is empty.
 * @throws {SyntaxError} If it is not a JSON object with a `version.Version`.
 *
 * @example Usage
 * ```ts
 * import { parsePodmanInfo } from "./podman_info.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const info = parsePodmanInfo(JSON.stringify({
 *   host: {
 *     idMappings: {
 *       uidmap: [{ container_id: 0, host_id: 1000, size: 1 }, { container_id: 1, host_id: 100000, size: 65536 }],
 *     },
 *   },
 *   version: { Version: "5.8.6" },
 * }));
 * deepStrictEqual(info.uidMap[1], { containerId: 1, hostId: 100000, size: 65536 });
 * ```
 */
export function parsePodmanInfo(stdout: string): PodmanInfo {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch (error) {
    throw invalid("it is not JSON", error);
  }
  const root = record(parsed);
  const host = record(root.host);
  const version = record(root.version).Version;
  if (typeof version !== "string") throw invalid('it has no "version.Version"');
  const mappings = record(host.idMappings);
  return {
    version,
    uidMap: idMap(mappings.uidmap),
    graphRoot: typeof record(root.store).graphRoot === "string"
      ? record(root.store).graphRoot as string
      : "",
  };
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? value as Record<string, unknown>
    : {};
}

function idMap(value: unknown): IdMapping[] {
  if (!Array.isArray(value)) return [];
  return value.map((entry) => {
    const e = record(entry);
    const number = (v: unknown) => typeof v === "number" ? v : 0;
    return {
      containerId: number(e.container_id),
      hostId: number(e.host_id),
      size: number(e.size),
    };
  });
}

function invalid(problem: string, cause?: unknown): SyntaxError {
  return new SyntaxError(
    `Cannot read the output of "podman ${ARGS.join(" ")}": ${problem}`,
    { cause },
  );
}
