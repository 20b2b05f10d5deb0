/**
 * Typed calls to `podman` that read the host's state. Each runs one command
 * through a {@linkcode Runner} (the real `run` by default, a fake in tests)
 * and parses its output here, so that callers get plain values.
 *
 * Requires `--allow-run=podman`.
 *
 * @module
 */
import { run, type Runner } from "./run.ts";

/** Podman's version, as `podman --version` reports it. */
export interface PodmanVersion {
  /** As printed: `5.8.6`, `4.3.1`, `5.6.0-rc1`. */
  text: string;
  /** The major version: `5` of `5.8.6`. */
  major: number;
  /** The minor version: `8` of `5.8.6`. */
  minor: number;
  /** The patch version, without any suffix: `0` of `5.6.0-rc1`. */
  patch: number;
}

const VERSION_REGEXP =
  /^podman(?:-remote)? version (\d+)\.(\d+)\.(\d+)(\S*)\s*$/;

/**
 * Asks Podman for its version.
 *
 * @param runner Runs the command.
 * @returns The version.
 * @throws {SyntaxError} If the output is not `podman version X.Y.Z`.
 * @throws {CommandError} If `podman` fails.
 * @throws {LegerError} `ERR_COMMAND_NOT_FOUND` if Podman is not installed.
 *
 * @example Usage
 * ```ts
 * import { podmanVersion } from "./podman.ts";
 * import { fakeRunner } from "./fake_runner.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const runner = fakeRunner([
 *   { bin: "podman", args: ["--version"], result: { stdout: "podman version 5.8.6\n" } },
 * ]);
 * strictEqual((await podmanVersion(runner)).minor, 8);
 * ```
 */
export async function podmanVersion(
  runner: Runner = run,
): Promise<PodmanVersion> {
  const { stdout } = await runner("podman", ["--version"]);
  const match = VERSION_REGEXP.exec(stdout.trim());
  if (match === null) {
    throw new SyntaxError(
      `Cannot read the output of "podman --version": expected "podman version X.Y.Z", got "${stdout.trim()}"`,
    );
  }
  const [, major, minor, patch, suffix] = match;
  return {
    text: `${major}.${minor}.${patch}${suffix}`,
    major: Number(major),
    minor: Number(minor),
    patch: Number(patch),
  };
}

/**
 * Lists the names of the existing Podman volumes (`podman volume ls --format json`).
 *
 * @param runner Runs the command.
 * @returns The volume names, as Podman orders them.
 * @throws {SyntaxError} If the output is not Podman's JSON list.
 * @throws {CommandError} If `podman` fails.
 *
 * @example Usage
 * ```ts
 * import { listVolumes } from "./podman.ts";
 * import { fakeRunner } from "./fake_runner.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const runner = fakeRunner([{
 *   bin: "podman", args: ["volume", "ls", "--format", "json"],
 *   result: { stdout: '[{"Name":"systemd-data","Driver":"local"}]' },
 * }]);
 * deepStrictEqual(await listVolumes(runner), ["systemd-data"]);
 * ```
 */
export async function listVolumes(runner: Runner = run): Promise<string[]> {
  const args = ["volume", "ls", "--format", "json"];
  const items = await listJson(runner, args);
  return items.map((item) => stringField(item, "Name", args));
}

/**
 * Lists the names of every Podman container, stopped ones included
 * (`podman ps --all --format json`): a stopped container still holds its name.
 *
 * @param runner Runs the command.
 * @returns The container names.
 * @throws {SyntaxError} If the output is not Podman's JSON list.
 * @throws {CommandError} If `podman` fails.
 *
 * @example Usage
 * ```ts
 * import { listContainers } from "./podman.ts";
 * import { fakeRunner } from "./fake_runner.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const runner = fakeRunner([{
 *   bin: "podman", args: ["ps", "--all", "--format", "json"],
 *   result: { stdout: '[{"Id":"4f1c","Names":["systemd-web"],"State":"running"}]' },
 * }]);
 * deepStrictEqual(await listContainers(runner), ["systemd-web"]);
 * ```
 */
export async function listContainers(runner: Runner = run): Promise<string[]> {
  const args = ["ps", "--all", "--format", "json"];
  const items = await listJson(runner, args);
  return items.flatMap((item) => {
    const names = item.Names;
    if (!Array.isArray(names) || !names.every((n) => typeof n === "string")) {
      throw new SyntaxError(
        `Cannot read the output of "podman ${
          args.join(" ")
        }": a container has no "Names" list`,
      );
    }
    return names as string[];
  });
}

/**
 * Lists the names of the Podman networks (`podman network ls --format json`;
 * Podman 4 and later name the field `name`).
 *
 * @param runner Runs the command.
 * @returns The network names, `podman` (the default network) included.
 * @throws {SyntaxError} If the output is not Podman's JSON list.
 * @throws {CommandError} If `podman` fails.
 *
 * @example Usage
 * ```ts
 * import { listNetworks } from "./podman.ts";
 * import { fakeRunner } from "./fake_runner.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const runner = fakeRunner([{
 *   bin: "podman", args: ["network", "ls", "--format", "json"],
 *   result: { stdout: '[{"name":"podman","driver":"bridge"},{"name":"llm","driver":"bridge"}]' },
 * }]);
 * deepStrictEqual(await listNetworks(runner), ["podman", "llm"]);
 * ```
 */
export async function listNetworks(runner: Runner = run): Promise<string[]> {
  const args = ["network", "ls", "--format", "json"];
  const items = await listJson(runner, args);
  return items.map((item) => stringField(item, "name", args));
}

async function listJson(
  runner: Runner,
  args: string[],
): Promise<Record<string, unknown>[]> {
  const { stdout } = await runner("podman", args);
  // Some Podman versions print nothing, or `null`, for an empty list.
  if (stdout.trim() === "" || stdout.trim() === "null") return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch (err) {
    throw new SyntaxError(
      `Cannot read the output of "podman ${args.join(" ")}": it is not JSON`,
      { cause: err },
    );
  }
  if (
    !Array.isArray(parsed) ||
    !parsed.every((i) => typeof i === "object" && i !== null)
  ) {
    throw new SyntaxError(
      `Cannot read the output of "podman ${
        args.join(" ")
      }": expected a JSON list of objects`,
    );
  }
  return parsed;
}

function stringField(
  item: Record<string, unknown>,
  field: string,
  args: string[],
): string {
  const value = item[field];
  if (typeof value !== "string") {
    throw new SyntaxError(
      `Cannot read the output of "podman ${
        args.join(" ")
      }": an entry has no "${field}" string`,
    );
  }
  return value;
}
