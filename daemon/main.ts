/**
 * `legerd`, the daemon that keeps the Podman secrets of installed quadlet
 * units current with leger.run and restarts what a rotation affects. It
 * runs in the foreground, as systemd runs it (`systemd/user/legerd.service`,
 * `systemd/system/legerd.service`); `deno task legerd` runs it with exactly
 * the permissions of the shipped binary.
 *
 * Its permissions (deno.json's `legerd` task, compiled into the binary):
 * `podman` and `systemctl` as the only programs, `uid` and `hostname` as
 * the only system information, `--unstable-net` for sd_notify's datagram
 * socket, and the network (leger.run's API, tailscaled's LocalAPI socket to
 * log in again, its own sockets and systemd's notify socket) with no list:
 * Deno names unix sockets in `--allow-net` by exact path only, and a user's
 * are under `/run/user/UID`, which one binary for every user cannot name.
 * Which hosts legerd talks to is leger's own rule (`checkAllowedUrl()`,
 * `fetchAllowed()`).
 *
 * @module
 */
import { printError } from "../cli/print_error.ts";
import { VERSION } from "../cli/version.ts";
import { writeAll } from "../cli/write_all.ts";
import { LegerError } from "../lib/errors/mod.ts";
import { SecretsEngine } from "./engine.ts";
import { LegerdConfigError } from "./legerd_config_error.ts";
import { LEGERD_USAGE, parseLegerdArgs } from "./parse_legerd_args.ts";
import { type LegerdHost, runLegerd } from "./run_legerd.ts";

/**
 * The exit code of a configuration error at start (sysexits.h's
 * `EX_CONFIG`): the systemd units name it in `RestartPreventExitStatus=`,
 * so that systemd does not start a legerd again and again that cannot run
 * until its configuration (legerd.yaml, config.yaml, its environment) is
 * corrected.
 */
export const EX_CONFIG = 78;

/** What `legerd --help` prints. */
export const LEGERD_HELP =
  `legerd ${VERSION}: keeps the Podman secrets of installed quadlet units current with leger.run

Usage:
  ${LEGERD_USAGE}

Flags:
  --scope user|system  the scope to serve (default: system as root, user otherwise)
  --config PATH        the config file (default: ~/.config/leger/legerd.yaml, as root /etc/leger/legerd.yaml)
  -V, --version        print the version
  -h, --help           print this help

legerd.yaml:
  poll_interval: 5m     how often to ask leger.run (10s to 24h, ±10 % jitter)
  restart: on-rotation  restart the running services of a changed secret, or never
  scope: user           the scope; it must match the user legerd runs as

legerd runs in the foreground, as systemd runs it:
  systemctl --user enable --now legerd.service   (root: systemctl enable --now legerd.service)
SIGHUP reloads legerd.yaml (\`systemctl reload legerd\`); SIGTERM stops it after the sync in flight.
leger talks to it on $XDG_RUNTIME_DIR/leger/legerd.sock (root: /run/leger/legerd.sock):
  leger secrets list, leger secrets sync, leger auth status
`;

/** The process streams and host {@linkcode main} uses; tests pass their own. */
export interface MainDeps {
  /** Writes to stdout (help, version). */
  out(text: string): void;
  /** Writes to stderr (errors, the log). */
  err(text: string): void;
  /** The daemon's host (see {@linkcode LegerdHost}), built only when legerd runs. */
  host(): LegerdHost;
}

/**
 * Runs `legerd` with the given arguments and returns the exit code: 0 after
 * `--version`, `--help` or a clean stop (SIGTERM, SIGINT), 2 for a bad
 * command line, {@linkcode EX_CONFIG} (78) for a configuration it cannot
 * use (a `LegerdConfigError`: legerd.yaml, leger's config.yaml, the
 * `LEGER_*_URL` variables, such as a host leger may not reach, or
 * `XDG_RUNTIME_DIR` outside a login session), 1 (or the error's own code)
 * when it cannot start otherwise.
 *
 * @param args The words after `legerd`.
 * @param deps The streams and the host.
 * @returns The exit code.
 *
 * @example Usage
 * ```ts ignore
 * import { main } from "./main.ts";
 * Deno.exit(await main(["--version"]));
 * ```
 */
export async function main(
  args: readonly string[],
  deps: MainDeps = processDeps(),
): Promise<number> {
  let parsed;
  try {
    parsed = parseLegerdArgs(args);
  } catch (error) {
    if (!(error instanceof LegerError)) throw error;
    deps.err(
      [
        `Error: ${error.message}`,
        `  usage: ${LEGERD_USAGE}`,
        error.remedy,
        `[${error.code}]`,
        "",
      ].join("\n"),
    );
    return error.exitCode;
  }
  if (parsed.help) {
    deps.out(LEGERD_HELP);
    return 0;
  }
  if (parsed.version) {
    deps.out(`legerd ${VERSION}\n`);
    return 0;
  }
  try {
    await runLegerd(
      { scope: parsed.scope, config: parsed.config },
      deps.host(),
    );
    return 0;
  } catch (error) {
    const code = printError(error, { err: deps.err, debug: false });
    // Its configuration (files, environment) must be corrected first.
    return error instanceof LegerdConfigError ||
        (error instanceof LegerError && error.code === "ERR_CONFIG_INVALID")
      ? EX_CONFIG
      : code;
  }
}

/** The real process: its streams, environment, identity, signals and engine. */
function processDeps(): MainDeps {
  const err = (text: string) => writeAll(Deno.stderr, text);
  return {
    out: (text) => writeAll(Deno.stdout, text),
    err,
    host: () => {
      const uid = Deno.uid() ?? 0;
      return {
        env: (name) => Deno.env.get(name),
        // systemd sets no HOME for a system service: root's is /root, where
        // leger run with sudo reads config.yaml too.
        home: Deno.env.get("HOME") ?? (uid === 0 ? "/root" : "/"),
        uid,
        pid: Deno.pid,
        // One line per event: journald stamps each with the time and the unit.
        log: (line) => err(`${line.replace(/[\r\n]+/g, " ")}\n`),
        createEngine: (options) => new SecretsEngine(options),
        onSignal: (signal, handler) => {
          Deno.addSignalListener(signal, handler);
          return () => Deno.removeSignalListener(signal, handler);
        },
        netAllowed: (descriptor) =>
          Deno.permissions.querySync({ name: "net", host: descriptor })
            .state ===
            "granted",
      };
    },
  };
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
