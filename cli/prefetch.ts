/**
 * Starts, before the argument parser and the command's modules load, the
 * one slow process a command is known to need, and hands its result to the
 * command's runner when the command asks for it.
 *
 * `leger status` waits mostly for `podman ps` (~50 ms with 30 containers on
 * the e2e host, against ~20 ms for Deno to start): started from main.ts's
 * first line instead of from the status module, it runs while the parser
 * and the command's modules load (measured: ~12 ms sooner).
 *
 * @module
 */
import { PODMAN_PS_ARGS } from "../lib/adapters/podman_ps.ts";
import { run, type Runner, type RunOptions } from "../lib/adapters/run.ts";

/** A process started ahead of the command that will ask for it. */
export interface Prefetched {
  /** The program. */
  bin: string;
  /** Its arguments. */
  args: readonly string[];
  /** Its result, as `run` gives it (or its error). */
  result: ReturnType<Runner>;
}

/**
 * What to start ahead for a command line: `podman ps` for `leger status`
 * in the default scope (whose containers Podman lists for the invoking
 * user); nothing for any other command line, `--scope`, or help.
 *
 * @param args The command-line words after `leger`.
 * @param runner Starts the process.
 * @returns The process started, or `null`.
 *
 * @example Usage
 * ```ts
 * import { prefetchFor } from "./prefetch.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const runner = () => Promise.resolve({ code: 0, stdout: "[]", stderr: "" });
 * strictEqual(prefetchFor(["status", "--json"], runner)?.bin, "podman");
 * strictEqual(prefetchFor(["status", "--scope", "user"], runner), null);
 * strictEqual(prefetchFor(["deploy", "list"], runner), null);
 * ```
 */
export function prefetchFor(
  args: readonly string[],
  runner: Runner = run,
): Prefetched | null {
  const words = args.slice(0, Math.max(args.indexOf("--"), 0) || undefined);
  if (words[0] !== "status") return null;
  if (
    words.some((word) =>
      word === "--scope" || word.startsWith("--scope=") || word === "-h" ||
      word === "--help"
    )
  ) {
    return null;
  }
  const result = runner("podman", PODMAN_PS_ARGS);
  // Awaited by the command, or never (a usage error): no unhandled rejection.
  result.catch(() => {});
  return { bin: "podman", args: PODMAN_PS_ARGS, result };
}

/**
 * A runner that answers the first call for a prefetched process with its
 * result, and runs everything else (and any later call for it) with
 * `runner`.
 *
 * @param runner Runs the processes not started ahead.
 * @param prefetched What was started ahead.
 * @returns The runner.
 *
 * @example Usage
 * ```ts
 * import { withPrefetched } from "./prefetch.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * let runs = 0;
 * const runner = () => Promise.resolve({ code: 0, stdout: `${++runs}`, stderr: "" });
 * const early = { bin: "podman", args: ["ps"], result: runner() };
 * const prefetching = withPrefetched(runner, [early]);
 * strictEqual((await prefetching("podman", ["ps"])).stdout, "1");
 * strictEqual((await prefetching("podman", ["ps"])).stdout, "2");
 * ```
 */
export function withPrefetched(
  runner: Runner,
  prefetched: readonly Prefetched[],
): Runner {
  const waiting = [...prefetched];
  return (bin: string, args: readonly string[], options?: RunOptions) => {
    const index = options === undefined || Object.keys(options).length === 0
      ? waiting.findIndex((p) =>
        p.bin === bin && p.args.length === args.length &&
        p.args.every((arg, i) => arg === args[i])
      )
      : -1;
    if (index === -1) return runner(bin, args, options);
    const [{ result }] = waiting.splice(index, 1);
    return result;
  };
}
