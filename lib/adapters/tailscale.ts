/**
 * Reads the local Tailscale status: from `tailscale status --json`, or, when
 * the `tailscale` binary is missing, from tailscaled's LocalAPI socket, which
 * answers the same document.
 *
 * Requires `--allow-run=tailscale`; for the LocalAPI, read/write access to the
 * socket and `--allow-net=local-tailscaled.sock,unix:<socket>`.
 *
 * @module
 */
import { LegerError } from "../errors/leger_error.ts";
import {
  parseTailscaleStatus,
  type TailscaleStatus,
} from "../tailscale/parse_tailscale_status.ts";
import { CommandError } from "./command_error.ts";
import { run, type Runner } from "./run.ts";
import {
  DEFAULT_TAILSCALED_SOCKET,
  localApiGet,
} from "./tailscale_local_api.ts";

/** Where a status came from. */
export type TailscaleStatusSource = "cli" | "localapi";

/** A status, and where it came from. */
export interface TailscaleStatusReading {
  /** The parts of the status document leger uses, parsed by `parseTailscaleStatus()`. */
  status: TailscaleStatus;
  /**
   * `cli` when `tailscale status --json` answered; `localapi` when the binary
   * is missing and tailscaled's `/localapi/v0/status` answered instead.
   */
  source: TailscaleStatusSource;
}

/** Options for {@linkcode readTailscaleStatus}. */
export interface ReadTailscaleStatusOptions {
  /**
   * Runs `tailscale`.
   *
   * @default {run}
   */
  runner?: Runner;
  /**
   * tailscaled's LocalAPI socket, asked when the binary is missing.
   *
   * @default {"/run/tailscale/tailscaled.sock"}
   */
  socketPath?: string;
  /**
   * Sends a LocalAPI request.
   *
   * @default {localApiGet}
   */
  localApiGet?: typeof localApiGet;
  /**
   * What leger was doing, for the first line of errors ("Cannot log in to leger.run: …").
   *
   * @default {"read the Tailscale identity"}
   */
  action?: string;
  /**
   * Ask `tailscale status --json` first; `false` asks only the LocalAPI
   * socket (legerd, which runs no `tailscale`).
   *
   * @default {true}
   */
  cli?: boolean;
}

const STATUS_ARGS = ["status", "--json"] as const;
const NOT_CONNECTED = "failed to connect to local tailscaled";
const INSTALL_REMEDY =
  "Install it with `curl -fsSL https://tailscale.com/install.sh | sh` (see https://tailscale.com/download/linux), then run `sudo tailscale up`";
const START_REMEDY =
  "Run `sudo systemctl start tailscaled`, then `sudo tailscale up`";

/**
 * Reads the local Tailscale status, in whatever backend state it is.
 *
 * @param options The runner, the LocalAPI socket and the action for errors.
 * @returns The parsed status and its source.
 * @throws {LegerError} `ERR_TAILSCALE_NOT_INSTALLED` when there is neither a
 * `tailscale` binary nor a tailscaled socket; `ERR_TAILSCALE_NOT_RUNNING` when
 * tailscaled does not answer; `ERR_NETWORK_NOT_ALLOWED` when leger's net
 * permission does not cover the socket; `ERR_TAILSCALE_STATUS_UNREADABLE`
 * when the answer is not a status.
 *
 * @example Usage
 * ```ts
 * import { readTailscaleStatus } from "./tailscale.ts";
 * import { fakeRunner } from "./fake_runner.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const runner = fakeRunner([{
 *   bin: "tailscale",
 *   args: ["status", "--json"],
 *   result: { stdout: '{"BackendState":"NeedsLogin","Self":null}' },
 * }]);
 * const { status, source } = await readTailscaleStatus({ runner });
 * strictEqual(status.backendState, "NeedsLogin");
 * strictEqual(source, "cli");
 * ```
 */
export async function readTailscaleStatus(
  options: ReadTailscaleStatusOptions = {},
): Promise<TailscaleStatusReading> {
  const {
    runner = run,
    socketPath = DEFAULT_TAILSCALED_SOCKET,
    localApiGet: get = localApiGet,
    action = "read the Tailscale identity",
    cli = true,
  } = options;
  if (!cli) return await readFromLocalApi(socketPath, get, action);
  let stdout: string;
  try {
    ({ stdout } = await runner("tailscale", STATUS_ARGS));
  } catch (error) {
    if (error instanceof LegerError && error.code === "ERR_COMMAND_NOT_FOUND") {
      return await readFromLocalApi(socketPath, get, action);
    }
    if (error instanceof CommandError) throw commandFailure(error, action);
    throw error;
  }
  return {
    status: parse(stdout, "`tailscale status --json`", action),
    source: "cli",
  };
}

async function readFromLocalApi(
  socketPath: string,
  get: typeof localApiGet,
  action: string,
): Promise<TailscaleStatusReading> {
  if (!await exists(socketPath)) {
    throw new LegerError(
      "ERR_TAILSCALE_NOT_INSTALLED",
      `Cannot ${action}: Tailscale is not installed (no "tailscale" in PATH and no tailscaled socket at ${socketPath})`,
      { remedy: INSTALL_REMEDY },
    );
  }
  let answer;
  try {
    answer = await get(socketPath, "/localapi/v0/status");
  } catch (error) {
    if (error instanceof Deno.errors.NotCapable) {
      throw new LegerError(
        "ERR_NETWORK_NOT_ALLOWED",
        `Cannot ${action}: leger's network permission does not cover tailscaled's socket at ${socketPath}`,
        {
          cause: error,
          remedy:
            `Install the \`tailscale\` CLI, or run leger with \`--allow-net=local-tailscaled.sock,unix:${socketPath}\` added to its flags`,
        },
      );
    }
    if (error instanceof TypeError || error instanceof DOMException) {
      throw new LegerError(
        "ERR_TAILSCALE_NOT_RUNNING",
        `Cannot ${action}: tailscaled does not answer on ${socketPath}`,
        { cause: error, remedy: START_REMEDY },
      );
    }
    throw error;
  }
  if (answer.status !== 200) {
    throw new LegerError(
      "ERR_TAILSCALE_STATUS_UNREADABLE",
      `Cannot ${action}: tailscaled's LocalAPI answered HTTP ${answer.status}: ${
        firstLine(answer.body)
      }`,
      {
        remedy:
          "Run `tailscale status` to check tailscaled, or install the `tailscale` CLI",
      },
    );
  }
  return {
    status: parse(answer.body, `tailscaled's LocalAPI (${socketPath})`, action),
    source: "localapi",
  };
}

function commandFailure(error: CommandError, action: string): LegerError {
  if (error.stderrTail.includes(NOT_CONNECTED)) {
    return new LegerError(
      "ERR_TAILSCALE_NOT_RUNNING",
      `Cannot ${action}: tailscaled is not running`,
      { remedy: START_REMEDY },
    );
  }
  return new LegerError(
    "ERR_TAILSCALE_STATUS_UNREADABLE",
    `Cannot ${action}: \`tailscale status --json\` exited with code ${error.code}${
      error.stderrTail === "" ? "" : `: ${error.stderrTail.split("\n").at(-1)}`
    }`,
    { remedy: "Run `tailscale status` to see what is wrong" },
  );
}

function parse(text: string, from: string, action: string): TailscaleStatus {
  try {
    return parseTailscaleStatus(text);
  } catch (error) {
    if (
      error instanceof SyntaxError || error instanceof TypeError ||
      error instanceof RangeError
    ) {
      throw new LegerError(
        "ERR_TAILSCALE_STATUS_UNREADABLE",
        `Cannot ${action}: ${from} did not give a Tailscale status document`,
        {
          details: [error.message],
          remedy: "Run `tailscale status --json` to see what it prints",
        },
      );
    }
    throw error;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

function firstLine(text: string): string {
  const line = text.trim().split("\n")[0] ?? "";
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
