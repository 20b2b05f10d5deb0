/**
 * What a command needs from the world, passed to its `run(options, deps)` so
 * that tests run commands in-process with fakes (the way gh's commands take
 * a factory and a `runF`): the process's streams and facts, every process it
 * starts, the clock, `fetch`, signals and the journal stream.
 *
 * @module
 */
import {
  streamJournal,
  type streamJournalEntries,
} from "../lib/adapters/journal.ts";
import type { QuadletSupport } from "../lib/adapters/quadlet_support.ts";
import { run, type Runner } from "../lib/adapters/run.ts";
import { type CliContext, processContext } from "./context.ts";
import type { LegerdFactory } from "./legerd.ts";
import { type Prefetched, withPrefetched } from "./prefetch.ts";
import type { SecretInput } from "./read_secret_value.ts";

/** The dependencies of every command. */
export interface CommandDeps {
  /** Output streams, terminal facts, environment, home, folder, uid. */
  context: CliContext;
  /** Runs every process a command starts (podman, systemctl, git, …). */
  runner: Runner;
  /** The clock. */
  now(): Date;
  /** Sends HTTP requests (leger.run, Tailscale's LocalAPI). */
  fetch: typeof fetch;
  /**
   * Calls `listener` when the process receives `signal`.
   *
   * @returns A function that removes the listener.
   */
  onSignal(signal: Deno.Signal, listener: () => void): () => void;
  /** Streams a service's journal to stdout (`leger service logs`). */
  streamJournal: typeof streamJournal;
  /**
   * Reads the journal of several services as entries (`leger service logs
   * DEPLOYMENT`); `streamJournalEntries()` of lib/adapters/journal.ts when
   * absent (tests pass one that hands over recorded entries).
   */
  streamJournalEntries?: typeof streamJournalEntries;
  /**
   * Whether this process may read the system journal (`leger service logs
   * --scope system` as a user other than root); `readsSystemJournal()` of
   * lib/adapters/journal.ts when absent.
   */
  readsSystemJournal?: () => Promise<boolean>;
  /**
   * How the host installs quadlets; detected from Podman and systemd when
   * absent (tests pass a fixed answer).
   */
  detectSupport?: () => Promise<QuadletSupport>;
  /** Podman's quadlet generator; looked up when absent. */
  findGenerator?: () => Promise<string | null>;
  /**
   * Waits between two checks that started services stay up; 250 ms when
   * absent (tests pass one that does not wait).
   */
  settlePause?: () => Promise<void>;
  /**
   * The legerd of a scope; a client of its control socket
   * (`legerdSocketPath()`) when absent (tests pass one of a fake legerd).
   */
  legerd?: LegerdFactory;
  /**
   * Where `leger secrets set` reads a value: keys at a hidden prompt, or
   * all of a pipe; `Deno.stdin` when absent.
   */
  stdin?: SecretInput;
}

/**
 * The dependencies of the running process.
 *
 * Requires `--allow-env` and `--allow-sys=uid`.
 *
 * @param options `--debug`, and the processes main.ts started ahead
 * (prefetch.ts), which the runner hands to the command that asks for them.
 * @returns The real streams, runner, clock, `fetch`, signals and journal.
 *
 * @example Usage
 * ```ts ignore
 * import { processDeps } from "./deps.ts";
 * const deps = processDeps({ debug: false });
 * deps.context.out("hello\n");
 * ```
 */
export function processDeps(
  options: { debug: boolean; prefetched?: readonly Prefetched[] },
): CommandDeps {
  const { prefetched = [] } = options;
  return {
    context: processContext(options),
    runner: prefetched.length === 0 ? run : withPrefetched(run, prefetched),
    now: () => new Date(),
    fetch: globalThis.fetch,
    onSignal(signal, listener) {
      Deno.addSignalListener(signal, listener);
      return () => Deno.removeSignalListener(signal, listener);
    },
    streamJournal,
  };
}
