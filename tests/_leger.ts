/**
 * Runs the `leger` CLI as a subprocess with exactly the permission flags of
 * deno.json's `leger` task — the flags the compiled binary is built with — so
 * that tests see what users see.
 *
 * @module
 */
import { permissionFlags } from "../tools/permission_flags.ts";
import { spawnCaptured } from "./_spawn.ts";

/** The project root, as an absolute path. */
export const ROOT = new URL("../", import.meta.url).pathname.replace(/\/$/, "");

/**
 * The shared folder beside the project (specification, the e2e host script).
 * Only the e2e tests use it: every other test reads its fixtures from
 * {@linkcode TESTDATA}, so that a fresh clone passes `deno task test`.
 */
export const SHARED = `${ROOT}/../shared`;

/** The test fixtures inside the repository (`tests/testdata`). */
export const TESTDATA = `${ROOT}/tests/testdata`;

/**
 * The `deno run` flags of deno.json's `leger` or `legerd` task: its
 * permissions, the unstable APIs it enables (`--unstable-net`) and V8's
 * flags, as `tools/permission_flags.ts` reads them for `deno task compile`.
 * The tests run the programs with exactly these.
 */
export { permissionFlags };

/** Where Deno keeps its cache: a test's HOME is often a temporary folder. */
export const DENO_DIR = Deno.env.get("DENO_DIR") ??
  `${Deno.env.get("XDG_CACHE_HOME") ?? `${Deno.env.get("HOME")}/.cache`}/deno`;

/** What a finished `leger` process left behind. */
export interface LegerResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options for {@linkcode runLeger}. */
export interface RunLegerOptions {
  /** Environment variables; the process gets only these plus PATH and HOME. */
  env?: Record<string, string>;
  cwd?: string;
  stdin?: string;
}

/** Runs `leger ARGS…` as the shipped binary would run and captures its output. */
export async function runLeger(
  args: readonly string[],
  options: RunLegerOptions = {},
): Promise<LegerResult> {
  const { env = {}, cwd = ROOT, stdin } = options;
  const childEnv: Record<string, string> = {
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    HOME: Deno.env.get("HOME") ?? "/root",
    NO_COLOR: "1",
    // A test's HOME is often a temporary folder: keep Deno's own cache where it is.
    DENO_DIR: DENO_DIR,
    ...env,
  };
  return await spawnCaptured(Deno.execPath(), [
    "run",
    "--quiet",
    ...permissionFlags("leger"),
    `${ROOT}/cli/main.ts`,
    ...args,
  ], { cwd, clearEnv: true, env: childEnv, stdin });
}
