import { CommandError } from "../adapters/command_error.ts";
import { imageExists, pullImage } from "../adapters/podman_images.ts";
import { LegerError } from "../errors/leger_error.ts";
import type { DeployContext } from "./context.ts";
import type { ImageToPull } from "./images_to_pull.ts";

/** Options for {@linkcode pullImages}. */
export interface PullImagesOptions {
  /**
   * Aborted on Ctrl-C (or any reason to stop): the pulls in flight are
   * stopped and {@linkcode pullImages} throws `ERR_INTERRUPTED`.
   *
   * @default {undefined}
   */
  signal?: AbortSignal;
  /**
   * Where progress lines go.
   *
   * @default {context.progress}
   */
  progress?: (line: string) => void;
  /**
   * Whether a person watches stderr: then every pull gets a "Pulling" and a
   * "Pulled" line; otherwise only a pull slower than `slowAfter` is reported.
   *
   * @default {false}
   */
  terminal?: boolean;
  /**
   * The clock that times each pull, in milliseconds.
   *
   * @default {() => context.now().getTime()}
   */
  now?: () => number;
  /**
   * How many images are checked and pulled at once.
   *
   * @default {4}
   */
  concurrency?: number;
  /**
   * After how many milliseconds a pull is reported when not on a terminal.
   *
   * @default {5000}
   */
  slowAfter?: number;
  /**
   * Starts a timer and returns the function that clears it (tests pass a fake
   * one to fire it at will).
   *
   * @default {setTimeout, cleared with clearTimeout}
   */
  setTimer?: (callback: () => void, ms: number) => () => void;
  /**
   * What the pulls are for, for the remedies: `"install"` (`then install
   * again`) or `"update"` (`then update again`); both commands take
   * `--no-pull`.
   *
   * @default {"install"}
   */
  action?: "install" | "update";
}

/** What {@linkcode pullImages} found and did. */
export interface PullImagesResult {
  /** The images pulled, in the order they were given. */
  pulled: string[];
  /** The images already in local storage (and not pulled), in the order given. */
  present: string[];
}

/**
 * Stage 6 of an install: makes sure every image the deployment needs is in
 * Podman's local storage before the first change to the host, so that a wrong
 * name, a missing tag or a registry login shows as what it is, and the
 * services' start (limited to 90 s by default) does not wait for a download
 * after the previous version was stopped.
 *
 * For each image (see `imagesToPull`) it runs `podman image exists`, then
 * `podman pull` when the image is missing (policy `always`: pulls without
 * asking; policy `local`: never pulls, fails when missing). Up to
 * `concurrency` images go at once. On a terminal each pull gets a line when it
 * starts (`Pulling docker.io/library/caddy:2…`) and when it ends (`Pulled
 * docker.io/library/caddy:2 (1.2 s)`); elsewhere it stays quiet unless a pull
 * takes longer than `slowAfter` (`Still pulling …`, then `Pulled …`).
 *
 * On the first failure the other pulls are stopped (through the runner's
 * abort signal) and waited for, then the failure is thrown.
 *
 * Requires `--allow-run=podman`.
 *
 * @param images The images, as `imagesToPull` lists them.
 * @param context The runner, the progress sink and the clock.
 * @param options Abort signal, progress, terminal, clock, concurrency, timer.
 * @returns The images pulled and those already present.
 * @throws {LegerError} `ERR_IMAGE_PULL_FAILED` naming the image, the unit
 * and Podman's reason (or saying that a local image is missing);
 * `ERR_INTERRUPTED` when `signal` is aborted; `ERR_COMMAND_NOT_FOUND` when
 * Podman is not installed.
 * @throws {RangeError} If `concurrency` is not a whole number of 1 or more.
 *
 * @example Usage
 * ```ts
 * import { pullImages } from "./pull_images.ts";
 * import { deployContext } from "./context.ts";
 * import { fakeRunner } from "../adapters/fake_runner.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const runner = fakeRunner([
 *   { bin: "podman", args: ["image", "exists", "docker.io/library/caddy:2"], result: { code: 1 } },
 *   { bin: "podman", args: ["pull", "--quiet", "docker.io/library/caddy:2"] },
 * ]);
 * const lines: string[] = [];
 * const context = deployContext({
 *   scope: "user", home: "/home/a", cwd: "/", env: () => undefined,
 *   runner, progress: (line) => lines.push(line),
 * });
 * const result = await pullImages([{
 *   image: "docker.io/library/caddy:2", unit: "web.container",
 *   file: "web.container", line: 2, policy: "missing",
 * }], context, { terminal: true, now: () => 0 });
 * deepStrictEqual(result, { pulled: ["docker.io/library/caddy:2"], present: [] });
 * deepStrictEqual(lines, [
 *   "Pulling docker.io/library/caddy:2…",
 *   "Pulled docker.io/library/caddy:2 (0.0 s)",
 * ]);
 * ```
 */
export async function pullImages(
  images: readonly ImageToPull[],
  context: DeployContext,
  options: PullImagesOptions = {},
): Promise<PullImagesResult> {
  const {
    signal,
    progress = context.progress,
    terminal = false,
    now = () => context.now().getTime(),
    concurrency = 4,
    slowAfter = 5000,
    setTimer = startTimer,
    action = "install",
  } = options;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(
      `Cannot pull images ${concurrency} at a time: expected a whole number of 1 or more`,
    );
  }
  if (signal?.aborted) throw interrupted(signal.reason, action);
  // One controller stops every pull in flight, whether the caller aborted or
  // a pull failed: a failed install should not wait for unrelated downloads.
  const controller = new AbortController();
  const stopAll = () => controller.abort(signal?.reason);
  signal?.addEventListener("abort", stopAll, { once: true });
  const queue = [...images];
  const pulled = new Set<string>();
  let failure: unknown;
  const pull = {
    context,
    signal: controller.signal,
    progress,
    terminal,
    now,
    slowAfter,
    setTimer,
    action,
  };
  const worker = async () => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      if (controller.signal.aborted) return;
      try {
        if (await pullOne(next, pull)) pulled.add(next.image);
      } catch (error) {
        // Once aborted, the other pulls end with the abort's reason: only the
        // first failure says what went wrong.
        if (controller.signal.aborted) return;
        failure = asPullError(error, next, action);
        controller.abort(failure);
      }
    }
  };
  try {
    await Promise.all(
      Array.from({ length: Math.min(concurrency, images.length) }, worker),
    );
  } finally {
    signal?.removeEventListener("abort", stopAll);
  }
  if (failure !== undefined) throw failure;
  if (signal?.aborted) throw interrupted(signal.reason, action);
  return {
    pulled: images.filter((i) => pulled.has(i.image)).map((i) => i.image),
    present: images.filter((i) => !pulled.has(i.image)).map((i) => i.image),
  };
}

interface PullOneOptions {
  context: DeployContext;
  signal: AbortSignal;
  progress: (line: string) => void;
  terminal: boolean;
  now: () => number;
  slowAfter: number;
  setTimer: (callback: () => void, ms: number) => () => void;
  action: "install" | "update";
}

/** Checks one image and pulls it when needed; `true` when it was pulled. */
async function pullOne(
  image: ImageToPull,
  options: PullOneOptions,
): Promise<boolean> {
  const { context: { runner }, signal, progress, terminal, now } = options;
  if (image.policy !== "always") {
    if (await imageExists(image.image, { runner, signal })) return false;
    if (image.policy === "local") throw notOnHost(image, options.action);
  }
  const started = now();
  let reported = terminal;
  if (terminal) progress(`Pulling ${image.image}…`);
  const clear = terminal ? () => {} : options.setTimer(() => {
    reported = true;
    progress(`Still pulling ${image.image}…`);
  }, options.slowAfter);
  try {
    await pullImage(image.image, { runner, signal });
  } finally {
    clear();
  }
  if (reported) {
    const seconds = ((now() - started) / 1000).toFixed(1);
    progress(`Pulled ${image.image} (${seconds} s)`);
  }
  return true;
}

function asPullError(
  error: unknown,
  image: ImageToPull,
  action: "install" | "update",
): unknown {
  if (!(error instanceof CommandError)) return error;
  const last = (error.stderrTail.split("\n").at(-1) ?? "").replace(
    /^Error: /,
    "",
  );
  const reason = last === "" ? `podman exited with code ${error.code}` : last;
  return new LegerError(
    "ERR_IMAGE_PULL_FAILED",
    `Cannot pull "${image.image}" for ${image.unit}: ${reason}`,
    {
      file: image.file,
      line: image.line,
      cause: error,
      remedy: `Check the image name and tag in ${image.file}, ` +
        `your network and registry login (\`podman login\`), then ${action} again; ` +
        "or pass --no-pull to let systemd pull at start",
    },
  );
}

function notOnHost(
  image: ImageToPull,
  action: "install" | "update",
): LegerError {
  const where = { file: image.file, line: image.line };
  if (image.image.startsWith("localhost/")) {
    return new LegerError(
      "ERR_IMAGE_PULL_FAILED",
      `Cannot pull "${image.image}" for ${image.unit}: it is a local image, and it is not on this host`,
      {
        ...where,
        remedy:
          `Build it (\`podman build -t ${image.image} …\`) or load it (\`podman load -i …\`) first, then ${action} again`,
      },
    );
  }
  const key = image.unit.endsWith(".image") ? "Policy" : "Pull";
  return new LegerError(
    "ERR_IMAGE_PULL_FAILED",
    `Cannot pull "${image.image}" for ${image.unit}: it is not on this host, and ${key}=never forbids pulling it`,
    {
      ...where,
      remedy:
        `Pull it first (\`podman pull ${image.image}\`), or remove ${key}=never from ${image.unit}, then ${action} again`,
    },
  );
}

function interrupted(
  reason: unknown,
  action: "install" | "update",
): LegerError {
  return new LegerError(
    "ERR_INTERRUPTED",
    "Cannot pull the images: it was interrupted",
    {
      cause: reason,
      remedy: action === "install"
        ? "Nothing was installed; run the command again to install"
        : "Nothing was changed; run the command again to update",
    },
  );
}

function startTimer(callback: () => void, ms: number): () => void {
  const id = setTimeout(callback, ms);
  return () => clearTimeout(id);
}
