/**
 * A temporary HOME, a deployment folder and a fake host, for the in-process
 * command tests beside cli/commands/.
 *
 * @module
 */
import { strictEqual } from "node:assert/strict";
import {
  fakeDeps,
  type FakeHost,
  fakeHost,
  type FakeHostOptions,
} from "./fake_host.ts";
import type { CommandDeps } from "../../cli/deps.ts";
import type { Scope } from "../../lib/adapters/scope.ts";
import { LegerdClient } from "../../lib/secrets/legerd_client.ts";
import {
  type FakeLegerd,
  type FakeLegerdEngine,
  startFakeLegerd,
} from "./fake_legerd.ts";
import { LegerRunServer } from "../leger_run_server.ts";
import { runProgram } from "../../cli/program.ts";

/** The leger.run user of {@linkcode CommandFixture.useLegerRun}. */
export const FIXTURE_USER_UUID = "f44a09fc-90d1-5f2b-bf2c-7380100ec435";

/** A deployment of two units and a config file: web (port 18080) and its volume. */
export const WEB_FILES: Record<string, string> = {
  "web.container": [
    "[Container]",
    "Image=localhost/bb:latest",
    "PublishPort=18080:8080",
    "Volume=web-data.volume:/data",
    "Volume=./web.conf:/etc/web.conf:ro",
    "",
    "[Install]",
    "WantedBy=default.target",
    "",
  ].join("\n"),
  "web-data.volume": "[Volume]\n",
  "web.conf": "greeting=hello\n",
};

/** What a command test works with. */
export interface CommandFixture extends AsyncDisposable {
  home: string;
  /** The user scope's quadlet folder. */
  quadletDir: string;
  /** leger's state folder of the user scope. */
  stateDir: string;
  /** leger's working folder (staged/, active/). */
  workDir: string;
  host: FakeHost;
  deps: CommandDeps;
  output: { stdout: string; stderr: string };
  /** Signal listeners the command registered, by signal. */
  signals: Map<string, () => void>;
  /** Writes a deployment folder under HOME and returns its path. */
  writeSource(name: string, files?: Record<string, string>): Promise<string>;
  /** The files in the quadlet folder, sorted. */
  quadletFiles(): Promise<string[]>;
  /** Clears the captured output. */
  clearOutput(): void;
  /**
   * Where the scope's legerd listens for the commands of this fixture (a
   * folder of its HOME, never the machine's own): start a fake legerd there
   * (tests/fakes/fake_legerd.ts) to have one running.
   */
  legerdSocket(scope?: Scope): string;
  /**
   * Starts a fake legerd of the scope (a real server on
   * {@linkcode CommandFixture.legerdSocket}), stopped when the fixture is
   * disposed.
   */
  startLegerd(engine: FakeLegerdEngine, scope?: Scope): Promise<FakeLegerd>;
  /**
   * Starts the loopback leger.run, logs the fixture's user in to it
   * (auth.json with a token it issued) and points the commands at it
   * (`LEGER_API_URL`, `LEGER_WEB_URL`, a real `fetch`); stopped when the
   * fixture is disposed.
   */
  useLegerRun(): Promise<LegerRunServer>;
  /** Runs `cleanup` when the fixture is disposed (before HOME is removed). */
  onDispose(cleanup: () => unknown): void;
}

/**
 * Makes a fixture; dispose of it with `await using`.
 *
 * @example Usage
 * ```ts ignore
 * await using fixture = await commandFixture();
 * ```
 */
export async function commandFixture(
  options: Omit<FakeHostOptions, "quadletDir"> = {},
): Promise<CommandFixture> {
  const home = await Deno.makeTempDir({ prefix: "leger_cmd_" });
  const quadletDir = `${home}/.config/containers/systemd`;
  await Deno.mkdir(quadletDir, { recursive: true });
  const host = fakeHost({ quadletDir, ...options });
  const signals = new Map<string, () => void>();
  const { deps, output } = fakeDeps({ home, host, signals });
  const legerdSocket = (scope: Scope = "user") =>
    `${home}/run/${scope}/leger/legerd.sock`;
  deps.legerd = (scope, options = {}) =>
    new LegerdClient(legerdSocket(scope), { scope, signal: options.signal });
  const cleanups: (() => unknown)[] = [];
  const stateDir = `${home}/.local/share/leger`;
  return {
    home,
    quadletDir,
    stateDir,
    workDir: `${home}/.local/share/bluebuild-quadlets`,
    host,
    deps,
    output,
    signals,
    async writeSource(name, files = WEB_FILES) {
      const dir = `${home}/src/${name}`;
      for (const [path, text] of Object.entries(files)) {
        await Deno.mkdir(`${dir}/${path}`.replace(/\/[^/]+$/, ""), {
          recursive: true,
        });
        await Deno.writeTextFile(`${dir}/${path}`, text);
      }
      return dir;
    },
    async quadletFiles() {
      const names: string[] = [];
      for await (const entry of Deno.readDir(quadletDir)) {
        names.push(entry.name);
      }
      return names.sort();
    },
    legerdSocket,
    async startLegerd(engine, scope = "user") {
      const legerd = await startFakeLegerd(legerdSocket(scope), { engine });
      cleanups.push(() => legerd.close());
      return legerd;
    },
    async useLegerRun() {
      const server = await LegerRunServer.start();
      cleanups.push(() => server.close());
      const token = await server.issueToken({
        user_uuid: FIXTURE_USER_UUID,
        user_id: "9007199254740993",
      });
      await Deno.mkdir(stateDir, { recursive: true });
      await Deno.writeTextFile(
        `${stateDir}/auth.json`,
        JSON.stringify({
          token,
          token_type: "Bearer",
          expires_at: "2099-01-01T00:00:00.000Z",
          user_uuid: FIXTURE_USER_UUID,
          login_name: "alice@github",
          tailnet: "alice@github",
          device_hostname: "workstation",
          api_url: server.apiUrl,
        }),
        { mode: 0o600 },
      );
      const urls: Record<string, string> = {
        LEGER_API_URL: server.apiUrl,
        LEGER_WEB_URL: server.webUrl,
      };
      const env = deps.context.env;
      deps.context = {
        ...deps.context,
        env: (name) => urls[name] ?? env(name),
      };
      deps.fetch = globalThis.fetch;
      return server;
    },
    onDispose(cleanup) {
      cleanups.push(cleanup);
    },
    clearOutput() {
      output.stdout = "";
      output.stderr = "";
    },
    async [Symbol.asyncDispose]() {
      for (const cleanup of cleanups.reverse()) await cleanup();
      await Deno.remove(home, { recursive: true });
    },
  };
}

/**
 * Installs a deployment as `leger deploy install --source <folder> --yes`,
 * from `files` written as the source folder `name` ({@linkcode WEB_FILES} by
 * default), and checks that the install exits 0.
 *
 * @example Usage
 * ```ts ignore
 * await using fixture = await commandFixture();
 * await installDeployment(fixture, "web");
 * ```
 */
export async function installDeployment(
  fixture: CommandFixture,
  name: string,
  files?: Record<string, string>,
): Promise<void> {
  const source = await fixture.writeSource(name, files);
  strictEqual(
    await runProgram(
      ["deploy", "install", "--source", source, "--yes"],
      fixture.deps,
    ),
    0,
    fixture.output.stderr,
  );
}
