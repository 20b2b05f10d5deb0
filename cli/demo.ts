/**
 * `deno task demo`: leger's main job on the built-in example (examples/reader).
 * Where Podman ≥ 4.4 and systemd run, it installs the example for real under
 * the name `leger-demo-reader`; elsewhere it prints the plan and says why.
 *
 * @module
 */
import { detectQuadletSupport } from "../lib/adapters/quadlet_support.ts";
import { LegerError } from "../lib/errors/mod.ts";
import { main } from "./main.ts";
import { writeAll } from "./write_all.ts";

const EXAMPLE = new URL("../examples/reader", import.meta.url).pathname;
const NAME = "leger-demo-reader";

/**
 * Runs the demo and returns the exit code. `extra` flags go to the install
 * (`deno task demo --no-pull`, `--scope user`).
 */
export async function demo(extra: readonly string[] = []): Promise<number> {
  try {
    await detectQuadletSupport({ forceFallback: false });
  } catch (error) {
    if (!(error instanceof LegerError)) throw error;
    writeAll(
      Deno.stderr,
      `This host cannot run quadlet services (${error.message}), so the demo plans the install instead:\n\n`,
    );
    return await main([
      "deploy",
      "install",
      "--source",
      EXAMPLE,
      "--dry-run",
      ...extra,
    ]);
  }
  writeAll(
    Deno.stderr,
    `Installing the built-in example as "${NAME}". Remove it with: leger deploy remove ${NAME} --remove-volumes --yes\n\n`,
  );
  return await main([
    "deploy",
    "install",
    "--source",
    EXAMPLE,
    "--yes",
    ...extra,
  ]);
}

if (import.meta.main) {
  Deno.exit(await demo(Deno.args));
}
