/**
 * The `leger` command. `--version` and the plain help requests (`leger
 * --help`, `leger help deploy`, `leger service stop web --help`) are answered
 * from static data before anything else loads; every other command line goes
 * to program.ts, which loads the argument parser and then only the module of
 * the command it names.
 *
 * @module
 */
import { findPlainHelp, renderHelp } from "./help.ts";
import { VERSION } from "./version.ts";
import { writeAll } from "./write_all.ts";

/**
 * Runs `leger` with the given arguments and returns the exit code.
 *
 * `-h`/`--help` never runs a command: help.ts's `findPlainHelp` answers the
 * command lines made of plain words and a final help flag without lexing
 * them, and the parser (parse_args.ts) answers every other place before `--`
 * by throwing `HelpRequested` before any command module is loaded.
 *
 * @param args The command-line words after `leger`.
 * @returns The exit code: 0 success, 1 failure, 2 usage, 4 login needed.
 *
 * @example Usage
 * ```ts ignore
 * import { main } from "./main.ts";
 * Deno.exit(await main(["--version"]));
 * ```
 */
export async function main(args: readonly string[]): Promise<number> {
  if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
    writeStdout(`leger ${VERSION}\n`);
    return 0;
  }
  // The completion scripts run `leger __complete` on every TAB: straight to
  // its module, without the parser and the other commands' dependencies.
  if (args[0] === "__complete") {
    const { completeWords }: typeof import("./commands/complete.ts") =
      await import(new URL("./commands/complete.ts", import.meta.url).href);
    return await completeWords(args.slice(1));
  }
  // `leger status` waits mostly for `podman ps`: start it now, while the
  // parser and the command's modules load.
  const prefetched = args[0] === "status"
    ? (await import(
      new URL("./prefetch.ts", import.meta.url).href
    ) as typeof import("./prefetch.ts")).prefetchFor(args)
    : null;
  // Lexing would cost node:util's first use (~5 ms, more than leger's own
  // start-up): the common help requests need none.
  const help = findPlainHelp(args);
  if (help !== null) {
    writeStdout(renderHelp(help, VERSION));
    return 0;
  }
  // A computed URL: Deno does not load the parser's graph at start-up for --version.
  const { runProgram }: typeof import("./program.ts") = await import(
    new URL("./program.ts", import.meta.url).href
  );
  return await runProgram(args, undefined, prefetched ? [prefetched] : []);
}

function writeStdout(text: string): void {
  writeAll(Deno.stdout, text);
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
