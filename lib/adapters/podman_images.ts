/**
 * Typed calls to `podman` about images: whether one is in local storage, and
 * pulling one. Each runs one command through a {@linkcode Runner} (the real
 * `run` by default, a fake in tests).
 *
 * Requires `--allow-run=podman`.
 *
 * @module
 */
import { run, type Runner } from "./run.ts";

/** Options for {@linkcode imageExists}. */
export interface ImageExistsOptions {
  /**
   * Runs the command.
   *
   * @default {run}
   */
  runner?: Runner;
  /**
   * Stops the command when aborted; the call then rejects with the signal's
   * reason.
   *
   * @default {undefined}
   */
  signal?: AbortSignal;
}

/**
 * Says whether an image is in Podman's local storage
 * (`podman image exists REF`, podman-image-exists(1): exit 0 when it is, 1
 * when it is not). Podman resolves the reference as `podman run` does, so
 * `caddy:2` finds `docker.io/library/caddy:2`.
 *
 * Requires `--allow-run=podman`.
 *
 * @param ref The image reference, such as `docker.io/library/caddy:2`.
 * @param options The runner and abort signal.
 * @returns `true` when the image is in local storage.
 * @throws {CommandError} If Podman fails otherwise (exit 125, for instance
 * for a reference it cannot parse).
 * @throws {LegerError} `ERR_COMMAND_NOT_FOUND` if Podman is not installed.
 *
 * @example Usage
 * ```ts
 * import { imageExists } from "./podman_images.ts";
 * import { fakeRunner } from "./fake_runner.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const runner = fakeRunner([
 *   { bin: "podman", args: ["image", "exists", "caddy:2"] },
 *   { bin: "podman", args: ["image", "exists", "caddy:3"], result: { code: 1 } },
 * ]);
 * strictEqual(await imageExists("caddy:2", { runner }), true);
 * strictEqual(await imageExists("caddy:3", { runner }), false);
 * ```
 */
export async function imageExists(
  ref: string,
  options: ImageExistsOptions = {},
): Promise<boolean> {
  const { runner = run, signal } = options;
  const { code } = await runner("podman", ["image", "exists", ref], {
    allowedExitCodes: [1],
    signal,
  });
  return code === 0;
}

/** Options for {@linkcode pullImage}. */
export interface PullImageOptions {
  /**
   * Runs the command.
   *
   * @default {run}
   */
  runner?: Runner;
  /**
   * Stops the pull (SIGTERM to Podman) when aborted; the call then rejects
   * with the signal's reason.
   *
   * @default {undefined}
   */
  signal?: AbortSignal;
}

/**
 * Pulls an image into Podman's local storage (`podman pull --quiet REF`).
 *
 * `--quiet` drops Podman's progress bars (podman-pull(1)), so that stdout
 * carries only the image ID and stderr only Podman's warnings and errors:
 * on failure, the {@linkcode CommandError}'s `stderrTail` is Podman's reason
 * (`Error: initializing source docker://…: manifest unknown`). stdin is
 * empty, so a short name Podman would ask about fails instead of waiting,
 * as it does under systemd.
 *
 * Requires `--allow-run=podman`.
 *
 * @param ref The image reference, such as `docker.io/library/caddy:2`.
 * @param options The runner and abort signal.
 * @returns The ID of the image pulled, as Podman prints it.
 * @throws {CommandError} If Podman cannot pull it (unknown image or tag,
 * no network, login needed…).
 * @throws {LegerError} `ERR_COMMAND_NOT_FOUND` if Podman is not installed.
 *
 * @example Usage
 * ```ts
 * import { pullImage } from "./podman_images.ts";
 * import { fakeRunner } from "./fake_runner.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const runner = fakeRunner([{
 *   bin: "podman",
 *   args: ["pull", "--quiet", "docker.io/library/caddy:2"],
 *   result: { stdout: "5c1b0d1e8a3f\n" },
 * }]);
 * strictEqual(await pullImage("docker.io/library/caddy:2", { runner }), "5c1b0d1e8a3f");
 * ```
 */
export async function pullImage(
  ref: string,
  options: PullImageOptions = {},
): Promise<string> {
  const { runner = run, signal } = options;
  const { stdout } = await runner("podman", ["pull", "--quiet", ref], {
    signal,
  });
  return stdout.trim();
}
