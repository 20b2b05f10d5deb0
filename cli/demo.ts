/**
 * `deno task demo`: leger's main job on the built-in example (examples/reader).
 * Where Podman ≥ 4.4 and systemd run, it installs the example for real under
 * the name `leger-demo-reader`; elsewhere it prints the plan and says why.
 * Either way it ends with what to do next, as `deno task leger` commands
 * (leger is not on the PATH of a checkout).
 *
 * @module
 */
import { detectQuadletSupport } from "../lib/adapters/quadlet_support.ts";
import { LegerError } from "../lib/errors/mod.ts";
import { type CommandDeps, processDeps } from "./deps.ts";
import { runProgram } from "./program.ts";

const EXAMPLE = new URL("../examples/reader", import.meta.url).pathname;
/** The example's name (its `.leger.yaml`). */
const NAME = "leger-demo-reader";
/** How leger runs from a checkout, in the commands the demo suggests. */
const PROGRAM = "deno task leger";
/** Where Caddy publishes Miniflux (caddy.container's `PublishPort=`). */
const URL_OF_THE_DEMO = "http://127.0.0.1:8480/";

/** Options for {@linkcode demo}: what touches the host, for tests. */
export interface DemoOptions {
  /**
   * What the install runs with.
   *
   * @default {processDeps()}
   */
  deps?: CommandDeps;
  /**
   * Throws a `LegerError` saying why when this host cannot run quadlet
   * services.
   *
   * @default {detectQuadletSupport()}
   */
  detect?: () => Promise<unknown>;
}

/**
 * Runs the demo and returns the exit code. `extra` flags go to the install
 * (`deno task demo --no-pull`, `--scope user`).
 *
 * @param extra Flags for `leger deploy install`.
 * @param options The install's dependencies and the host check, for tests.
 * @returns The install's exit code.
 *
 * @example Usage
 * ```ts ignore
 * import { demo } from "./demo.ts";
 * Deno.exit(await demo(["--no-pull"]));
 * ```
 */
export async function demo(
  extra: readonly string[] = [],
  options: DemoOptions = {},
): Promise<number> {
  const given = options.deps ??
    processDeps({ debug: extra.includes("--debug") });
  const deps = { ...given, context: { ...given.context, program: PROGRAM } };
  const {
    detect = () =>
      detectQuadletSupport({ forceFallback: false, runner: deps.runner }),
  } = options;
  const err = (text: string) => deps.context.err(text);
  const install = ["deploy", "install", "--source", EXAMPLE];
  try {
    await detect();
  } catch (error) {
    if (!(error instanceof LegerError)) throw error;
    err(
      `This host cannot run quadlet services (${error.message}), so the demo plans the install instead:\n\n`,
    );
    const code = await runProgram([...install, "--dry-run", ...extra], deps);
    if (code === 0) {
      err(
        `\nOn a host with Podman ≥ 4.4 and systemd, that command (or \`deno task demo\`) installs "${NAME}" and starts it.\n`,
      );
    }
    return code;
  }
  err(
    `Installing the built-in example as "${NAME}" (in this folder, leger runs as \`${PROGRAM}\`).\n\n`,
  );
  const code = await runProgram([...install, "--yes", ...extra], deps);
  if (code === 0) {
    err(
      `\nOnce its services run, Miniflux answers at ${URL_OF_THE_DEMO} (user admin, its password the secret reader_admin_password).\n` +
        `Remove the demo and its data: ${PROGRAM} deploy remove ${NAME} --remove-volumes --yes\n`,
    );
  }
  return code;
}

if (import.meta.main) {
  Deno.exit(await demo(Deno.args));
}
