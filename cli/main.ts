/**
 * The `leger` command. `--version` and `--help` are answered from static data
 * before anything else loads; every other command loads the argument parser and
 * then only its own module.
 *
 * @module
 */
import { findHelpTarget, renderHelp } from "./help.ts";
import { VERSION } from "./version.ts";
import { writeAll } from "./write_all.ts";

const HELP_FLAGS = new Set(["-h", "--help"]);

/**
 * Runs `leger` with the given arguments and returns the exit code.
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
  const help = helpRequest(args);
  if (help !== null) {
    writeStdout(help);
    return 0;
  }
  // A computed URL: Deno does not load the parser's graph at start-up for --version.
  const { runProgram }: typeof import("./program.ts") = await import(
    new URL("./program.ts", import.meta.url).href
  );
  return await runProgram(args);
}

/** The help text `args` ask for, or `null` when they ask for none we know. */
function helpRequest(args: readonly string[]): string | null {
  const words = args.filter((arg) => !arg.startsWith("-"));
  const asked = args.length === 0 || args.some((arg) => HELP_FLAGS.has(arg)) ||
    words[0] === "help";
  if (!asked) return null;
  const target = findHelpTarget(words[0] === "help" ? words.slice(1) : words);
  return target === null ? null : renderHelp(target, VERSION);
}

function writeStdout(text: string): void {
  writeAll(Deno.stdout, text);
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
