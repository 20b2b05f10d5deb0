import { CommandError } from "./command_error.ts";
import type { Runner, RunOptions, RunResult } from "./run.ts";

/** One call a {@linkcode fakeRunner} expects, and what it answers. */
export interface FakeCall {
  /** The program, exactly as the code under test passes it. */
  bin: string;
  /** The arguments, exactly. */
  args: readonly string[];
  /**
   * The canned result. A non-zero `code` that the call does not allow throws
   * {@linkcode CommandError}, as {@linkcode Runner | run} does.
   *
   * @default {{ code: 0, stdout: "", stderr: "" }}
   */
  result?: Partial<RunResult>;
  /** An error to throw instead of answering (`LegerError` for a missing program…). */
  error?: Error;
  /** When set, the stdin the call must receive. */
  stdin?: string;
  /**
   * How many times the call is expected.
   *
   * @default {1}
   */
  times?: number;
}

/** A {@linkcode Runner} that answers from a list, and what it saw. */
export interface FakeRunner extends Runner {
  /** Every call made, in order. */
  readonly calls: { bin: string; args: string[]; options: RunOptions }[];
  /**
   * Throws if an expected call was not made (as often as expected).
   *
   * @throws {Error} Naming the calls still expected.
   */
  assertAllCalled(): void;
}

/**
 * Makes a fake {@linkcode Runner} for unit tests, in the manner of gh's
 * `run.Stub()`: each call is matched against the expected calls by program and
 * exact arguments, answered with its canned result, and any call nobody
 * expected throws, so a test never starts a process by accident.
 *
 * @param expectations The calls expected, in any order.
 * @returns The fake runner; call `assertAllCalled()` at the end of the test.
 *
 * @example Usage
 * ```ts
 * import { fakeRunner } from "./fake_runner.ts";
 * import { strictEqual, rejects } from "node:assert/strict";
 *
 * const runner = fakeRunner([
 *   { bin: "podman", args: ["--version"], result: { stdout: "podman version 5.8.6\n" } },
 * ]);
 * strictEqual((await runner("podman", ["--version"])).stdout, "podman version 5.8.6\n");
 * await rejects(runner("podman", ["ps"]), /Unexpected call: podman ps/);
 * runner.assertAllCalled();
 * ```
 */
export function fakeRunner(expectations: readonly FakeCall[]): FakeRunner {
  const remaining = expectations.map((call) => ({
    call,
    left: call.times ?? 1,
  }));
  const calls: FakeRunner["calls"] = [];
  const runner = (
    bin: string,
    args: readonly string[],
    options: RunOptions = {},
  ): Promise<RunResult> => {
    calls.push({ bin, args: [...args], options });
    const entry = remaining.find(({ call, left }) =>
      left > 0 && call.bin === bin && sameArgs(call.args, args)
    );
    if (entry === undefined) {
      return Promise.reject(
        new Error(`Unexpected call: ${[bin, ...args].join(" ")}`),
      );
    }
    entry.left--;
    const { call } = entry;
    if (call.stdin !== undefined && call.stdin !== options.stdin) {
      return Promise.reject(
        new Error(`Unexpected stdin for: ${[bin, ...args].join(" ")}`),
      );
    }
    if (call.error !== undefined) return Promise.reject(call.error);
    const result = { code: 0, stdout: "", stderr: "", ...call.result };
    if (
      result.code !== 0 &&
      !(options.allowedExitCodes ?? []).includes(result.code)
    ) {
      return Promise.reject(
        new CommandError(bin, args, result.code, result.stderr),
      );
    }
    return Promise.resolve(result);
  };
  return Object.assign(runner, {
    calls,
    assertAllCalled() {
      const missing = remaining.filter(({ left }) => left > 0);
      if (missing.length > 0) {
        const list = missing.map(({ call }) =>
          [call.bin, ...call.args].join(" ")
        );
        throw new Error(`Expected calls not made: ${list.join("; ")}`);
      }
    },
  });
}

function sameArgs(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}
