/**
 * `legerd`, the daemon that keeps the Podman secrets of installed units in
 * sync with leger.run. Its reconcile loop and control socket are not built
 * yet (see the project's issues): until then it says so and exits, rather
 * than run as a service that does nothing.
 *
 * @module
 */
import { VERSION } from "../cli/version.ts";
import { writeAll } from "../cli/write_all.ts";

/**
 * Runs `legerd` with the given arguments and returns the exit code.
 *
 * @example Usage
 * ```ts ignore
 * import { main } from "./main.ts";
 * Deno.exit(main(["--version"]));
 * ```
 */
export function main(args: readonly string[]): number {
  if (args.includes("--version") || args.includes("-V")) {
    writeAll(Deno.stdout, `legerd ${VERSION}\n`);
    return 0;
  }
  if (args.includes("--help") || args.includes("-h")) {
    writeAll(
      Deno.stdout,
      `legerd ${VERSION}: keeps the Podman secrets of installed quadlet units current\n\n` +
        "Usage:\n  legerd [--version] [--help]\n",
    );
    return 0;
  }
  writeAll(
    Deno.stderr,
    "Error: Cannot start legerd: this version of leger does not include the daemon yet\n" +
      "Secrets sync arrives with a later version; install units with `leger deploy install` meanwhile\n" +
      "[ERR_LEGERD_NOT_RUNNING]\n",
  );
  return 1;
}

if (import.meta.main) {
  Deno.exit(main(Deno.args));
}
