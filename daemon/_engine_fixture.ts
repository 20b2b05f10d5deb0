/**
 * An engine over a fake host and the loopback leger.run, for legerd's
 * in-process tests: real HTTP on 127.0.0.1, Podman secrets and systemd
 * services kept by `fakeHost`, units in a real temporary quadlet folder, a
 * clock the test moves.
 *
 * @module
 */
import { CommandError } from "../lib/adapters/command_error.ts";
import { saveAuthState } from "../lib/auth/save_auth_state.ts";
import type { DeployContext } from "../lib/deploy/context.ts";
import type { RestartPolicy } from "../lib/secrets/plan_reconcile.ts";
import { writeDeployments } from "../lib/state/deployments_file.ts";
import { legerPaths } from "../lib/state/paths.ts";
import {
  parseTailscaleStatus,
  type TailscaleStatus,
} from "../lib/tailscale/parse_tailscale_status.ts";
import {
  type FakeHost,
  fakeHost,
  type FakeHostOptions,
} from "../tests/fakes/fake_host.ts";
import {
  LegerRunServer,
  type LegerRunServerOptions,
} from "../tests/leger_run_server.ts";
import { SecretsEngine } from "./engine.ts";

/** The user of `tests/fakes/tailscale/running.json`. */
export const UUID = "f44a09fc-90d1-5f2b-bf2c-7380100ec435";
/** The fixture's clock starts here. */
export const START = Date.parse("2026-06-01T10:00:00Z");

const TAILSCALE = new URL("../tests/fakes/tailscale/", import.meta.url);

/** A recorded Tailscale status (`running`, `needs_login`, …). */
export function tailscaleStatus(name: string): TailscaleStatus {
  return parseTailscaleStatus(
    Deno.readTextFileSync(new URL(`${name}.json`, TAILSCALE)),
  );
}

/** A container unit that uses these secrets as environment variables. */
export function containerUsing(...secrets: string[]): string {
  return [
    "[Container]",
    "Image=localhost/bb:latest",
    ...secrets.map((name) =>
      `Secret=${name},type=env,target=${name.toUpperCase()}`
    ),
    "",
  ].join("\n");
}

/** Options for {@linkcode engineFixture}. */
export interface EngineFixtureOptions {
  /** Unit files of the quadlet folder, by name. */
  units?: Record<string, string>;
  /** Podman's secrets before the test (see {@linkcode FakeHostOptions}). */
  podmanSecrets?: FakeHostOptions["podmanSecrets"];
  /** Whether Podman knows `secret create --replace`. */
  secretReplace?: boolean;
  /** Services systemd runs before the test. */
  running?: string[];
  /** Services systemd has loaded but not started. */
  stopped?: string[];
  /** Services that fail to start. */
  failing?: string[];
  /** leger.run's secrets before the test, by name. */
  backend?: Record<string, string>;
  /** The restart policy. */
  restart?: RestartPolicy;
  /** `auth.json`: a valid login (default), one whose token leger.run refuses, an expired one, or none. */
  login?: "valid" | "refused" | "expired" | "none";
  /** What Tailscale says when legerd logs in again. */
  tailscale?: string;
  /**
   * tailscaled's LocalAPI socket (`LEGER_TAILSCALE_SOCKET`): when set, the
   * engine reads Tailscale with its own reader instead of `tailscale`.
   */
  tailscaleSocket?: string;
  /** Options of the loopback leger.run. */
  server?: LegerRunServerOptions;
  /** Deployments whose services wait for secrets. */
  waiting?: Record<string, string[]>;
  /** Secrets `podman secret create` refuses to write. */
  refuse?: string[];
}

/** The engine, its fake host and leger.run, and what they recorded. */
export interface EngineFixture extends AsyncDisposable {
  engine: SecretsEngine;
  host: FakeHost;
  server: LegerRunServer;
  /** The engine's log lines. */
  lines: string[];
  /** The test's home folder (every file of ours is under it). */
  home: string;
  quadletDir: string;
  stateDir: string;
  authFile: string;
  /** Every argument list the runner got (stdin is not an argument). */
  argv: string[][];
  /** When set, every request to leger.run fails as a refused connection. */
  down: { value: boolean };
  /**
   * When set, the first run whose `bin args…` line contains it throws
   * instead of running (legerd killed at that step), and `value` is reset.
   */
  crashAt: { value: string | null };
  /** Moves the clock of legerd and leger.run. */
  advance(ms: number): void;
  /** The clock, in milliseconds since the epoch. */
  now(): number;
  /** Makes a new engine over the same host, folders and leger.run (legerd restarted). */
  restartEngine(): SecretsEngine;
}

/**
 * Makes the fixture; dispose of it with `await using`.
 *
 * @example Usage
 * ```ts ignore
 * await using f = await engineFixture({ units: { "web.container": containerUsing("api_token") }, backend: { api_token: "v1" } });
 * await f.engine.sync({});
 * ```
 */
export async function engineFixture(
  options: EngineFixtureOptions = {},
): Promise<EngineFixture> {
  let clock = START;
  const home = await Deno.makeTempDir({ prefix: "leger_legerd_" });
  const env = (name: string) =>
    name === "LEGER_TAILSCALE_SOCKET" ? options.tailscaleSocket : undefined;
  const paths = legerPaths("user", { home, env });
  await Deno.mkdir(paths.quadletDir, { recursive: true });
  for (const [name, text] of Object.entries(options.units ?? {})) {
    await Deno.writeTextFile(`${paths.quadletDir}/${name}`, text);
  }
  const host = fakeHost({
    quadletDir: paths.quadletDir,
    podmanSecrets: options.podmanSecrets,
    secretReplace: options.secretReplace,
    failing: options.failing,
  });
  for (const service of options.running ?? []) {
    host.services.set(service, { activeState: "active", subState: "running" });
  }
  for (const service of options.stopped ?? []) {
    host.services.set(service, { activeState: "inactive", subState: "dead" });
  }
  const server = await LegerRunServer.start({
    now: () => clock,
    ...options.server,
  });
  for (const [name, value] of Object.entries(options.backend ?? {})) {
    server.putSecret(UUID, name, value);
  }
  const authFile = `${paths.stateDir}/auth.json`;
  const login = options.login ?? "valid";
  if (login !== "none") {
    const token = login === "refused"
      ? "eyJhbGciOiJIUzI1NiJ9.e30.bm90LXNpZ25lZA"
      : await server.issueToken({ user_uuid: UUID });
    await saveAuthState(authFile, {
      token,
      token_type: "Bearer",
      expires_at: new Date(
        login === "expired" ? clock - 1000 : clock + 86_400_000,
      ).toISOString(),
      user_uuid: UUID,
      login_name: "alice@github",
      tailnet: "alice@github",
      device_hostname: "workstation",
      api_url: server.apiUrl,
    });
  }
  if (options.waiting !== undefined) {
    await writeDeployments(
      paths.stateDir,
      Object.entries(options.waiting).map(([name, services]) => ({
        name,
        scope: "user",
        source: { type: "local", location: `${home}/src/${name}` },
        installed_at: new Date(clock).toISOString(),
        files: [],
        units: [],
        services,
        volumes: [],
        waiting_for_secrets: services,
      })),
    );
  }
  const lines: string[] = [];
  const argv: string[][] = [];
  const down = { value: false };
  const crashAt: { value: string | null } = { value: null };
  const context: DeployContext = {
    scope: "user",
    home,
    cwd: home,
    env,
    runner: (bin, args, runOptions) => {
      const line = [bin, ...args].join(" ");
      if (crashAt.value !== null && line.includes(crashAt.value)) {
        crashAt.value = null;
        return Promise.reject(new Error(`legerd killed before ${line}`));
      }
      argv.push([bin, ...args]);
      if (
        bin === "podman" && args[1] === "create" &&
        (options.refuse ?? []).includes(args.at(-2)!)
      ) {
        return Promise.reject(
          new CommandError(
            "podman",
            args,
            125,
            "Error: no space left on device\n",
          ),
        );
      }
      return host.runner(bin, args, runOptions);
    },
    now: () => new Date(clock),
    progress: (line) => lines.push(`progress: ${line}`),
    detectSupport: () => Promise.reject(new Error("Unexpected detectSupport")),
    findGenerator: () => Promise.resolve(null),
  };
  const tailscale = options.tailscale ?? "running";
  const make = () =>
    new SecretsEngine({
      scope: "user",
      context,
      restart: options.restart ?? "on-rotation",
      pollIntervalMs: 300_000,
      apiUrl: server.apiUrl,
      webUrl: server.webUrl,
      log: (line) => lines.push(line),
      fetch: (input, init) =>
        down.value
          ? Promise.reject(
            new TypeError("error sending request", {
              cause: new Error("Connection refused (os error 111)"),
            }),
          )
          : fetch(input, init),
      readTailscale: options.tailscaleSocket === undefined
        ? () => Promise.resolve(tailscaleStatus(tailscale))
        : undefined,
      version: "0.0.0-test",
      pid: 4242,
    });
  return {
    engine: make(),
    host,
    server,
    lines,
    home,
    quadletDir: paths.quadletDir,
    stateDir: paths.stateDir,
    authFile,
    argv,
    down,
    crashAt,
    advance: (ms) => void (clock += ms),
    now: () => clock,
    restartEngine: make,
    async [Symbol.asyncDispose]() {
      await server.close();
      await Deno.remove(home, { recursive: true });
    },
  };
}
