/**
 * The argument parser of `leger`. The command table (spec.ts) says which
 * words are commands and which flags take a value; `node:util`'s `parseArgs`
 * in tokens mode splits the command line into options and positionals; this
 * module reads the tokens against the table.
 *
 * Why `node:util`: DESIGN.md says "do not hand-write a lexer". A lexer has
 * many corners (`--flag=value`, `-n5`, clustered `-fy`, `-fn5`, `--`, a lone
 * `-`) that `node:util` already handles and documents. It ships with Deno,
 * where commander, the design's first choice, cost ~65 ms to import. Its
 * first use still costs ~5 ms here, so `leger --version` and the plain
 * `leger … --help` are answered in main.ts without it.
 *
 * What the tokens do not do, this module does:
 *
 * - finds the group and command words among the positionals, after any
 *   flags that come first (`leger --debug deploy list`);
 * - refuses an option word where a value belongs: `node:util` takes
 *   `--source --dry-run` as the source `--dry-run`; leger says the value is
 *   missing. A value that starts with `-` goes in the same word:
 *   `--source=-x`, `-n-5`;
 * - answers `-h`/`--help` anywhere before `--`, even inside a cluster of
 *   flags (`-yh`), by throwing {@linkcode HelpRequested} before anything
 *   else is checked; after a letter that takes a value it is that value
 *   (`-nh` is `--lines h`). After `--`, every word is an argument;
 * - refuses unknown and repeated flags (unless declared `multiple`), values
 *   outside `choices`, and a wrong number of arguments, suggesting the
 *   closest name for a misspelt command, flag or choice.
 *
 * @module
 */
import { parseArgs as tokenize } from "node:util";
import { closestName } from "../lib/validate/closest_name.ts";
import {
  type CommandSpec,
  GLOBAL_OPTIONS,
  GROUPS,
  type GroupSpec,
  type OptionSpec,
  TOP_COMMANDS,
} from "./spec.ts";

/** A command line, parsed against the command table. */
export interface ParsedArgs {
  /** The command the words name. */
  command: CommandSpec;
  /** `deploy install`, for messages. */
  path: string;
  /** The positional arguments, in order (every word after `--` is one). */
  args: string[];
  /**
   * The options by camelCase name, global ones included: `--dry-run` →
   * `dryRun: true`, `--no-start` → `start: false`, `--source x` →
   * `source: "x"`, a `multiple` flag → `string[]`.
   */
  options: Record<string, string | boolean | string[]>;
}

/** Options for {@linkcode parseArgs}: the command table to parse against. */
export interface ParseArgsOptions {
  /**
   * The command groups.
   *
   * @default {GROUPS}
   */
  groups?: readonly GroupSpec[];
  /**
   * The commands without a group.
   *
   * @default {TOP_COMMANDS}
   */
  topCommands?: readonly CommandSpec[];
  /**
   * The options every command accepts; one of them must be `-h, --help`.
   *
   * @default {GLOBAL_OPTIONS}
   */
  globalOptions?: readonly OptionSpec[];
}

/**
 * A command line that does not fit the command table: the message, and the
 * command words that did fit (to point at the right help).
 *
 * @example Usage
 * ```ts
 * import { parseArgs, UsageError } from "./parse_args.ts";
 * import { throws } from "node:assert/strict";
 *
 * throws(() => parseArgs(["deplo"]), {
 *   name: "UsageError",
 *   message: "unknown command 'deplo' (did you mean 'deploy'?)",
 * });
 * throws(() => parseArgs(["deploy", "install", "--dryrun"]), UsageError);
 * ```
 */
export class UsageError extends Error {
  override name = "UsageError";
  /** The words that named a group or command before the problem (for its help). */
  readonly words: string[];

  /**
   * Makes a usage error.
   *
   * @param message What does not fit, in lower case (it follows "Cannot run leger: ").
   * @param words The group and command words that did fit.
   */
  constructor(message: string, words: string[]) {
    super(message);
    this.words = words;
  }
}

/**
 * Help was asked for (`-h`, `--help` before `--`, or `leger help …`): show
 * the help of {@linkcode HelpRequested.words} and run nothing. Like Go's
 * `flag.ErrHelp`, it is thrown so that no caller can run a command by
 * forgetting to check for it.
 *
 * @example Usage
 * ```ts
 * import { HelpRequested, parseArgs } from "./parse_args.ts";
 * import { throws } from "node:assert/strict";
 *
 * throws(() => parseArgs(["service", "stop", "web", "--help"]), {
 *   name: "HelpRequested",
 *   words: ["service", "stop"],
 * });
 * ```
 */
export class HelpRequested extends Error {
  override name = "HelpRequested";
  /** The group and command words whose help is wanted (none: the program's). */
  readonly words: string[];

  /**
   * Makes a help request.
   *
   * @param words The group and command words whose help is wanted.
   */
  constructor(words: string[]) {
    super(`help wanted for 'leger${words.map((w) => ` ${w}`).join("")}'`);
    this.words = words;
  }
}

/**
 * Parses a command line against the command table (spec.ts): the group and
 * command words, then flags and arguments in any order. Flags may also come
 * before the command words. `--long value`, `--long=value`, `-s value`,
 * `-svalue`, clustered `-fy`, `--no-x` negations and `--` (every later word
 * is an argument) all work.
 *
 * @param argv The command-line words after `leger`.
 * @param options The command table, for tests.
 * @returns The command, its arguments and its options.
 * @throws {HelpRequested} When `-h`/`--help` comes before `--` (also in a
 * cluster such as `-yh`), the first word is `help`, or there are no words;
 * unless the words name no command (then a {@linkcode UsageError}).
 * @throws {UsageError} For an unknown command or flag, an option word where
 * a value belongs, a missing value, a value outside the choices, a repeated
 * flag not declared `multiple`, or a wrong number of arguments.
 * @throws {TypeError} When the table gives one flag two meanings.
 *
 * @example Usage
 * ```ts
 * import { parseArgs } from "./parse_args.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const parsed = parseArgs(["--debug", "service", "logs", "web", "-fn5"]);
 * deepStrictEqual([parsed.path, parsed.args, parsed.options], [
 *   "service logs",
 *   ["web"],
 *   { debug: true, follow: true, lines: "5" },
 * ]);
 * ```
 */
export function parseArgs(
  argv: readonly string[],
  options: ParseArgsOptions = {},
): ParsedArgs {
  const {
    groups = GROUPS,
    topCommands = TOP_COMMANDS,
    globalOptions = GLOBAL_OPTIONS,
  } = options;
  const every = [...groups.flatMap((g) => g.commands), ...topCommands];
  const tokens = lex(
    argv,
    lexerConfig([...every.flatMap((c) => c.options ?? []), ...globalOptions]),
  );
  const found = findCommand(tokens, { groups, topCommands });
  if (found.help) throw new HelpRequested(found.words);
  if (found.command === undefined) {
    // `leger -x` or `leger --jsno`: an option no command knows is the mistake
    // to report, not the missing command.
    if (found.words.length === 0) {
      readOptions(tokens, { flags: globalOptions.map(flagOf), words: [] });
    }
    throw new UsageError(found.missing, found.words);
  }
  const { command, words } = found;
  const values = readOptions(tokens, {
    flags: [...(command.options ?? []), ...globalOptions].map(flagOf),
    words,
  });
  checkArgumentCount(command, found.args, words);
  return { command, path: words.join(" "), args: found.args, options: values };
}

/** A word of the command line, as `node:util` split it. */
type Token =
  | { kind: "positional"; value: string; afterDashes: boolean }
  | {
    kind: "option";
    /** The long name (`node:util` maps `-n` to `lines`). */
    name: string;
    /** As written: `-n`, `--lines`. */
    rawName: string;
    value?: string;
    /** The option word found where this option's value belongs. */
    got?: string;
  };

type LexerConfig = Record<
  string,
  { type: "string" | "boolean"; short?: string; multiple?: boolean }
>;

function lex(argv: readonly string[], config: LexerConfig): Token[] {
  const tokens: Token[] = [];
  let start = 0;
  let afterDashes = false;
  lexing: while (true) {
    const lexed = tokenize({
      args: argv.slice(start),
      options: config,
      strict: false,
      allowPositionals: true,
      tokens: true,
    }).tokens;
    for (const token of lexed) {
      if (token.kind === "option-terminator") {
        afterDashes = true;
      } else if (token.kind === "positional") {
        tokens.push({ kind: "positional", value: token.value, afterDashes });
      } else if (token.inlineValue === false && isFlagWord(token.value!)) {
        // node:util takes the next word as the value whatever it is, so
        // `--source --dry-run` would install from a folder named
        // "--dry-run". leger keeps the word a flag: lex again from it.
        const { name, rawName, value: got } = token;
        tokens.push({ kind: "option", name, rawName, got });
        start += token.index + 1;
        continue lexing;
      } else {
        const { name, rawName, value } = token;
        tokens.push({ kind: "option", name, rawName, value });
      }
    }
    return tokens;
  }
}

function isFlagWord(word: string): boolean {
  return word.startsWith("-") && word !== "-";
}

interface Flag {
  spec: OptionSpec;
  /** The long name without dashes: `dry-run`, `no-start`. */
  long: string;
  short?: string;
  /** The key in `ParsedArgs.options`: `dryRun`, `start`. */
  key: string;
  takesValue: boolean;
  /** `--no-x`: sets `x` to false. */
  negated: boolean;
}

const FLAG_REGEXP = /^(?:-(\w), )?--([\w-]+)(?: <[\w-]+>)?$/;

function flagOf(spec: OptionSpec): Flag {
  const match = FLAG_REGEXP.exec(spec.flags);
  if (match === null) {
    throw new TypeError(
      `Cannot read the flags "${spec.flags}" of the command table: expected "--name", "-s, --name" or either with " <value>"`,
    );
  }
  const [, short, long] = match;
  const negated = long.startsWith("no-");
  return {
    spec,
    long,
    short,
    key: camelCase(negated ? long.slice(3) : long),
    takesValue: spec.flags.includes("<"),
    negated,
  };
}

/**
 * One `node:util` configuration for the whole table: the command is known
 * only after the flags that may come before its words have been lexed.
 */
function lexerConfig(specs: readonly OptionSpec[]): LexerConfig {
  const config: LexerConfig = {};
  const shorts = new Map<string, string>();
  for (const flag of specs.map(flagOf)) {
    const type = flag.takesValue ? "string" : "boolean";
    const seen = config[flag.long];
    const owner = flag.short === undefined ? undefined : shorts.get(flag.short);
    if (
      (seen !== undefined &&
        (seen.type !== type || seen.short !== flag.short)) ||
      (owner !== undefined && owner !== flag.long)
    ) {
      throw new TypeError(
        `Cannot build the parser from the command table: "${flag.spec.flags}" gives a flag or letter another meaning than elsewhere`,
      );
    }
    config[flag.long] = {
      type,
      ...(flag.short === undefined ? {} : { short: flag.short }),
      ...(seen?.multiple || flag.spec.multiple ? { multiple: true } : {}),
    };
    if (flag.short !== undefined) shorts.set(flag.short, flag.long);
  }
  return config;
}

type Found =
  & { words: string[]; args: string[]; help: boolean }
  & ({ command: CommandSpec } | { command?: undefined; missing: string });

/** Reads the group and command words from the positionals before `--`. */
function findCommand(
  tokens: readonly Token[],
  table: { groups: readonly GroupSpec[]; topCommands: readonly CommandSpec[] },
): Found {
  const positionals = tokens.flatMap((t) => t.kind === "positional" ? [t] : []);
  const leading = positionals.filter((t) => !t.afterDashes).map((t) => t.value);
  // A bare `leger` (or `leger --`) shows the program's help, as in main.ts.
  let help = tokens.length === 0 ||
    tokens.some((t) => t.kind === "option" && t.name === "help");
  let used = 0;
  if (leading[0] === "help") {
    help = true;
    used = 1;
  }
  const rest = () => positionals.slice(used).map((t) => t.value);
  const first = leading[used];
  if (first === undefined) {
    return { words: [], args: rest(), help, missing: "no command given" };
  }
  used++;
  const top = table.topCommands.find((c) => c.name === first);
  if (top !== undefined) {
    return { command: top, words: [first], args: rest(), help };
  }
  const group = table.groups.find((g) => g.name === first);
  if (group === undefined) {
    const names = [
      ...table.groups,
      ...table.topCommands.filter((c) => !c.hidden),
    ].map((c) => c.name);
    throw new UsageError(
      `unknown command '${first}'${suggest(first, names)}`,
      [],
    );
  }
  const verb = leading[used];
  const verbs = group.commands.map((c) => c.name);
  if (verb === undefined) {
    const missing = `'${first}' needs a subcommand: ${verbs.join(", ")}`;
    return { words: [first], args: rest(), help, missing };
  }
  used++;
  const command = group.commands.find((c) => c.name === verb);
  if (command === undefined) {
    const wanted = `${first} ${verb}`;
    const near = suggest(wanted, verbs.map((v) => `${first} ${v}`));
    throw new UsageError(`unknown command '${wanted}'${near}`, [first]);
  }
  return { command, words: [first, verb], args: rest(), help };
}

function readOptions(
  tokens: readonly Token[],
  context: { flags: readonly Flag[]; words: string[] },
): Record<string, string | boolean | string[]> {
  const { flags, words } = context;
  const values: Record<string, string | boolean | string[]> = {};
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    const flag = flags.find((f) => f.long === token.name);
    if (flag === undefined) {
      const known = flags.map((f) => `--${f.long}`);
      const near = token.rawName.startsWith("--")
        ? suggest(token.rawName, known)
        : "";
      throw new UsageError(`unknown option '${token.rawName}'${near}`, words);
    }
    const value = flag.takesValue
      ? valueOf(flag, token, words)
      : booleanOf(flag, token, words);
    const previous = values[flag.key];
    if (flag.spec.multiple && typeof value === "string") {
      values[flag.key] = [...(previous as string[] | undefined ?? []), value];
    } else if (previous !== undefined && !flag.spec.multiple) {
      const both = typeof value === "string"
        ? `: got "${previous}" and "${value}"`
        : "";
      throw new UsageError(
        `option '${flag.spec.flags}' can be given only once${both}`,
        words,
      );
    } else {
      values[flag.key] = value;
    }
  }
  return values;
}

function valueOf(
  flag: Flag,
  token: Extract<Token, { kind: "option" }>,
  words: string[],
): string {
  const { value, got } = token;
  if (got !== undefined) {
    const what = got === "--" ? "'--'" : `option '${got}'`;
    throw new UsageError(
      `option '${flag.spec.flags}' needs a value, got ${what}`,
      words,
    );
  }
  if (value === undefined) {
    throw new UsageError(`option '${flag.spec.flags}' needs a value`, words);
  }
  const choices = flag.spec.choices;
  if (choices !== undefined && !choices.includes(value)) {
    throw new UsageError(
      `option '${flag.spec.flags}' cannot be "${value}": choose one of ${
        choices.join(", ")
      }${suggest(value, choices)}`,
      words,
    );
  }
  return value;
}

function booleanOf(
  flag: Flag,
  token: Extract<Token, { kind: "option" }>,
  words: string[],
): boolean {
  if (token.value !== undefined) {
    throw new UsageError(`option '${token.rawName}' takes no value`, words);
  }
  return !flag.negated;
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
    // A command whose extra words may be a secret says why, without them.
    throw new UsageError(
      `too many arguments: expected at most ${declared.length}, got ${args.length} ${
        command.extraArgsHint === undefined
          ? `(${args.join(" ")})`
          : `(not shown): ${command.extraArgsHint}`
      }`,
      words,
    );
  }
}

/** ` (did you mean 'x'?)`, or nothing when no candidate is close. */
function suggest(name: string, candidates: Iterable<string>): string {
  const near = closestName(name, candidates);
  return near === undefined ? "" : ` (did you mean '${near}'?)`;
}

function camelCase(name: string): string {
  return name.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase());
}
