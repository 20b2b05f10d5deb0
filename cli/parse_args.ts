import {
  type CommandSpec,
  GLOBAL_OPTIONS,
  GROUPS,
  type OptionSpec,
  TOP_COMMANDS,
} from "./spec.ts";

/** A command line, parsed against the command table. */
export interface ParsedArgs {
  command: CommandSpec;
  /** `deploy install`, for messages. */
  path: string;
  /** The positional arguments, in order. */
  args: string[];
  /**
   * The options by camelCase name: `--dry-run` → `dryRun`, `--no-start` →
   * `start: false`, `--source x` → `source: "x"`.
   */
  options: Record<string, string | boolean>;
}

/** A command line that does not fit the table: the message, and the command words that did. */
export class UsageError extends Error {
  override name = "UsageError";
  /** The words that named a group or command before the problem (for its help). */
  readonly words: string[];

  constructor(message: string, words: string[]) {
    super(message);
    this.words = words;
  }
}

interface Flag {
  spec: OptionSpec;
  key: string;
  /** `<value>` after the flag. */
  takesValue: boolean;
  /** `--no-x`: sets `x` to false. */
  negated: boolean;
}

const FLAG_REGEXP = /^(?:-(\w), )?--([\w-]+)(?: <[\w-]+>)?$/;

/**
 * Parses a command line the way the command table (spec.ts) describes it:
 * the group and verb, then `--long`, `--long=value`, `--long value`, `-s
 * value`, `--no-x` negations and positional arguments in any order (`--`
 * ends the options), checking choices and the number of arguments.
 *
 * @throws {UsageError} For an unknown command or option, a missing value or
 * argument, a value outside the choices, or too many arguments.
 *
 * @example Usage
 * ```ts
 * import { parseArgs } from "./parse_args.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const parsed = parseArgs(["deploy", "install", "--source", "./app", "--dry-run"]);
 * deepStrictEqual([parsed.path, parsed.options], ["deploy install", { source: "./app", dryRun: true }]);
 * ```
 */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const rest = [...argv];
  const { command, path, words } = findCommand(rest);
  const flags = flagsOf([...(command.options ?? []), ...GLOBAL_OPTIONS]);
  const options: Record<string, string | boolean> = {};
  const args: string[] = [];
  while (rest.length > 0) {
    const word = rest.shift()!;
    if (word === "--") {
      args.push(...rest.splice(0));
      break;
    }
    if (!word.startsWith("-") || word === "-") {
      args.push(word);
      continue;
    }
    const equals = word.indexOf("=");
    const name = equals === -1 ? word : word.slice(0, equals);
    const flag = flags.get(name);
    if (flag === undefined) {
      throw new UsageError(`unknown option '${name}'`, words);
    }
    if (!flag.takesValue) {
      if (equals !== -1) {
        throw new UsageError(`option '${name}' takes no value`, words);
      }
      options[flag.key] = !flag.negated;
      continue;
    }
    const value = equals === -1 ? rest.shift() : word.slice(equals + 1);
    if (value === undefined) {
      throw new UsageError(`option '${flag.spec.flags}' needs a value`, words);
    }
    const choices = flag.spec.choices;
    if (choices !== undefined && !choices.includes(value)) {
      throw new UsageError(
        `option '${flag.spec.flags}' cannot be "${value}": choose one of ${
          choices.join(", ")
        }`,
        words,
      );
    }
    options[flag.key] = value;
  }
  checkArgumentCount(command, args, words);
  return { command, path, args, options };
}

function findCommand(
  rest: string[],
): { command: CommandSpec; path: string; words: string[] } {
  const first = rest.shift();
  if (first === undefined) throw new UsageError("no command given", []);
  const top = TOP_COMMANDS.find((c) => c.name === first);
  if (top !== undefined) {
    return { command: top, path: top.name, words: [first] };
  }
  const group = GROUPS.find((g) => g.name === first);
  if (group === undefined) {
    throw new UsageError(`unknown command '${first}'`, []);
  }
  const verb = rest.shift();
  if (verb === undefined || verb.startsWith("-")) {
    throw new UsageError(`'${first}' needs a subcommand`, [first]);
  }
  const command = group.commands.find((c) => c.name === verb);
  if (command === undefined) {
    throw new UsageError(`unknown command '${first} ${verb}'`, [first]);
  }
  return { command, path: `${first} ${verb}`, words: [first, verb] };
}

function flagsOf(specs: readonly OptionSpec[]): Map<string, Flag> {
  const flags = new Map<string, Flag>();
  for (const spec of specs) {
    const match = FLAG_REGEXP.exec(spec.flags);
    if (match === null) {
      throw new TypeError(
        `Cannot read the flags "${spec.flags}" of the command table`,
      );
    }
    const [, short, long] = match;
    const negated = long.startsWith("no-");
    const key = camelCase(negated ? long.slice(3) : long);
    const flag = { spec, key, takesValue: spec.flags.includes("<"), negated };
    flags.set(`--${long}`, flag);
    if (short !== undefined) flags.set(`-${short}`, flag);
  }
  return flags;
}

function checkArgumentCount(
  command: CommandSpec,
  args: readonly string[],
  words: string[],
): void {
  const declared = command.args ?? [];
  const required = declared.filter((arg) => arg.startsWith("<"));
  if (args.length < required.length) {
    throw new UsageError(
      `missing required argument ${required[args.length]}`,
      words,
    );
  }
  if (args.length > declared.length) {
    throw new UsageError(
      `too many arguments: expected at most ${declared.length}, got ${args.length} (${
        args.join(" ")
      })`,
      words,
    );
  }
}

function camelCase(name: string): string {
  return name.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase());
}
