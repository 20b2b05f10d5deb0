/**
 * Podman volumes with data, over a {@linkcode FakeHost}: `podman volume
 * export`, `import`, `create` and `rm` as Podman 5.8 answers
 * them, each volume's content kept as text (an "archive" is that text, so
 * that a test reads what a backup holds). Volumes exist where the fake host
 * says (`host.volumes`: a volume service started creates one, empty); the
 * other calls go to the fake host.
 *
 * `podman volume import` adds to what the volume holds, as Podman's (a tar
 * extracted over the volume's folder) does: a restore that did not empty the
 * volume first leaves the old content in front of the new.
 *
 * @module
 */
import { CommandError } from "../../lib/adapters/command_error.ts";
import type { RunOptions, RunResult } from "../../lib/adapters/run.ts";
import type { FakeHost } from "./fake_host.ts";

/** The volumes' data, and the runner that serves it. */
export interface FakeVolumes {
  /** The runner to put in a command's deps (in place of the host's). */
  runner(
    bin: string,
    args: readonly string[],
    options?: RunOptions,
  ): Promise<RunResult>;
  /** Each volume's content, by name (a volume without an entry is empty). */
  data: Map<string, string>;
  /** Labels and options volumes were created with, by name. */
  created: Map<string, string[]>;
}

/** Options for {@linkcode fakeVolumes}. */
export interface FakeVolumesOptions {
  /**
   * Called with each call (`podman volume export …`) before it is answered;
   * what it throws is the call's failure, and it may raise a signal.
   */
  beforeCall?: (line: string, args: readonly string[]) => void | Promise<void>;
}

/**
 * Serves volume data over a fake host's runner.
 *
 * @example Usage
 * ```ts ignore
 * const volumes = fakeVolumes(fixture.host);
 * fixture.deps.runner = volumes.runner;
 * volumes.data.set("systemd-web-data", "hello");
 * ```
 */
export function fakeVolumes(
  host: FakeHost,
  options: FakeVolumesOptions = {},
): FakeVolumes {
  const { beforeCall } = options;
  const volumes: FakeVolumes = {
    data: new Map(),
    created: new Map(),
    runner: async (bin, args, runOptions = {}) => {
      const line = [bin, ...args].join(" ");
      await beforeCall?.(line, args);
      if (bin !== "podman" || args[0] !== "volume") {
        return await host.runner(bin, args, runOptions);
      }
      const operands = args.slice(args.indexOf("--") + 1);
      const fail = (code: number, stderr: string): never => {
        host.calls.push(line);
        throw new CommandError(bin, args, code, stderr);
      };
      const missing = (name: string) =>
        fail(125, `Error: no such volume ${name}\n`);
      switch (args[1]) {
        case "export": {
          const [name] = operands;
          if (!host.volumes.has(name)) missing(name);
          const file = args[args.indexOf("--output") + 1];
          host.calls.push(line);
          await Deno.writeTextFile(file, volumes.data.get(name) ?? "");
          return ok();
        }
        case "import": {
          const [name, file] = operands;
          if (!host.volumes.has(name)) missing(name);
          host.calls.push(line);
          const text = await Deno.readTextFile(file);
          volumes.data.set(name, (volumes.data.get(name) ?? "") + text);
          return ok();
        }
        case "create": {
          const [name] = operands;
          if (host.volumes.has(name)) {
            fail(
              125,
              `Error: volume with name ${name} already exists: volume already exists\n`,
            );
          }
          host.calls.push(line);
          host.volumes.add(name);
          volumes.data.delete(name);
          volumes.created.set(name, args.slice(2, args.indexOf("--")));
          return ok(`${name}\n`);
        }
        case "rm": {
          const force = args.includes("--force") || args.includes("-f");
          if (!force) {
            const absent = operands.find((name) => !host.volumes.has(name));
            if (absent !== undefined) {
              fail(
                1,
                `Error: no volume with name "${absent}" found: no such volume\n`,
              );
            }
          }
          for (const name of operands) volumes.data.delete(name);
          return await host.runner(bin, args, runOptions);
        }
      }
      return await host.runner(bin, args, runOptions);
    },
  };
  return volumes;
}

function ok(stdout = ""): RunResult {
  return { code: 0, stdout, stderr: "" };
}
