/**
 * A temporary HOME, a deployment folder and a fake host, for the in-process
 * command tests beside cli/commands/.
 *
 * @module
 */
import {
  fakeDeps,
  type FakeHost,
  fakeHost,
  type FakeHostOptions,
} from "./fake_host.ts";
import type { CommandDeps } from "../../cli/deps.ts";

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
  return {
    home,
    quadletDir,
    stateDir: `${home}/.local/share/leger`,
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
    clearOutput() {
      output.stdout = "";
      output.stderr = "";
    },
    [Symbol.asyncDispose]: () => Deno.remove(home, { recursive: true }),
  };
}
