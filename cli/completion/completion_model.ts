import {
  type CommandSpec,
  type CompletionKind,
  GLOBAL_OPTIONS,
  GROUPS,
  type GroupSpec,
  type OptionSpec,
  TOP_COMMANDS,
} from "../spec.ts";
import { STATIC_VALUES } from "./static_values.ts";

/** A flag as the completion scripts offer it. */
export interface CompletionFlag {
  /** The long name with its dashes: `--dry-run`. */
  long: string;
  /** The short form with its dash (`-y`), when there is one. */
  short?: string;
  /** Help's line for it. */
  description: string;
  /** Whether the flag takes a value (the next word, or after `=`). */
  takesValue: boolean;
  /**
   * The values a shell offers for it: the table's `choices`, else the static
   * values of its `complete` kinds (`shells`, `scopes`); empty when none.
   */
  choices: readonly string[];
  /** The kinds read from leger's state or the shell (`folders`) for its value. */
  kinds: readonly CompletionKind[];
  /**
   * Whether it takes the place of the command's arguments (the table's
   * `replacesArgs`): after it, no argument is offered.
   */
  replacesArgs: boolean;
}

/** A word a shell offers: a group, a command or a verb, with its summary. */
export interface CompletionWord {
  name: string;
  summary: string;
}

/** A command that runs, as the completion scripts know it. */
export interface CompletionCommand {
  /** Its words: `deploy install`, `status`. */
  path: string;
  /** Its flags, then the global ones. */
  flags: readonly CompletionFlag[];
  /**
   * For each positional argument, in order: the static values offered
   * (`shells`), and the kinds read at completion time.
   */
  args: readonly {
    values: readonly string[];
    kinds: readonly CompletionKind[];
  }[];
  /**
   * The names (`--all`, and a short form) of the flags that take the place
   * of its arguments: once one is on the line, no argument is offered.
   */
  argsReplacedBy: readonly string[];
}

/** What a completion script needs to know of leger's command table. */
export interface CompletionModel {
  /** The first words: the groups, then the commands without a group. */
  words: readonly CompletionWord[];
  /** Each group's verbs, by the group's name. */
  verbs: Readonly<Record<string, readonly CompletionWord[]>>;
  /** Every command that runs, hidden ones left out. */
  commands: readonly CompletionCommand[];
  /** The flags of a line that names no command yet (the global ones, `--version`). */
  programFlags: readonly CompletionFlag[];
  /** The global flags, offered after a group's word too. */
  globalFlags: readonly CompletionFlag[];
  /**
   * Every flag that takes a value, by each of its names (`--lines`, `-n`):
   * the word after it is its value, not an argument. One flag keeps one
   * meaning across the table (the parser refuses a table that breaks this),
   * so its values are the same wherever it appears.
   */
  valueFlags: readonly CompletionFlag[];
}

/** Options for {@linkcode completionModel}: the command table to read. */
export interface CompletionModelOptions {
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
   * The options every command accepts.
   *
   * @default {GLOBAL_OPTIONS}
   */
  globalOptions?: readonly OptionSpec[];
}

const FLAG_REGEXP = /^(?:-(\w), )?--([\w-]+)(?: <[\w-]+>)?$/;

/** `--version`, which main.ts answers before the table is read. */
const VERSION_FLAG: CompletionFlag = {
  long: "--version",
  short: "-V",
  description: "print leger's version",
  takesValue: false,
  choices: [],
  kinds: [],
  replacesArgs: false,
};

/**
 * Reads the command table (cli/spec.ts) into what the bash, zsh and fish
 * scripts are generated from: the words, each command's flags and the kinds
 * of value of its arguments and flags. A command or flag added to the table
 * is completed without touching the generators; a hidden command is not.
 *
 * @param options The command table, for tests.
 * @returns The model of the table.
 * @throws {TypeError} When a flag of the table is not written in commander's
 * syntax, or one flag offers different values in two commands.
 *
 * @example Usage
 * ```ts
 * import { completionModel } from "./completion_model.ts";
 * import { deepStrictEqual, ok } from "node:assert/strict";
 *
 * const model = completionModel();
 * ok(model.words.some((word) => word.name === "deploy"));
 * ok(!model.commands.some((command) => command.path === "__complete"));
 * const remove = model.commands.find((c) => c.path === "deploy remove")!;
 * deepStrictEqual(remove.args[0].kinds, ["deployments"]);
 * ```
 */
export function completionModel(
  options: CompletionModelOptions = {},
): CompletionModel {
  const {
    groups = GROUPS,
    topCommands = TOP_COMMANDS,
    globalOptions = GLOBAL_OPTIONS,
  } = options;
  const shown = topCommands.filter((command) => !command.hidden);
  const globalFlags = globalOptions.map(flagOf);
  const commands = [
    ...groups.flatMap((group) =>
      group.commands.filter((command) => !command.hidden).map((command) =>
        commandOf(command, `${group.name} ${command.name}`, globalFlags)
      )
    ),
    ...shown.map((command) => commandOf(command, command.name, globalFlags)),
  ];
  return {
    words: [...groups, ...shown].map(wordOf),
    verbs: Object.fromEntries(
      groups.map((group) => [
        group.name,
        group.commands.filter((command) => !command.hidden).map(wordOf),
      ]),
    ),
    commands,
    programFlags: [...globalFlags, VERSION_FLAG],
    globalFlags,
    valueFlags: valueFlagsOf(commands.flatMap((command) => command.flags)),
  };
}

function wordOf(spec: { name: string; summary: string }): CompletionWord {
  return { name: spec.name, summary: spec.summary };
}

function commandOf(
  spec: CommandSpec,
  path: string,
  globalFlags: readonly CompletionFlag[],
): CompletionCommand {
  const flags = [...(spec.options ?? []).map(flagOf), ...globalFlags];
  return {
    path,
    flags,
    argsReplacedBy: flags.filter((flag) => flag.replacesArgs).flatMap((
      flag,
    ) => [flag.long, ...(flag.short === undefined ? [] : [flag.short])]),
    args: (spec.args ?? []).map((_, index) => {
      const kinds = spec.complete?.[index] ?? [];
      return {
        values: kinds.flatMap((kind) => STATIC_VALUES[kind] ?? []),
        kinds: kinds.filter((kind) => STATIC_VALUES[kind] === undefined),
      };
    }),
  };
}

function flagOf(spec: OptionSpec): CompletionFlag {
  const match = FLAG_REGEXP.exec(spec.flags);
  if (match === null) {
    throw new TypeError(
      `Cannot complete the flags "${spec.flags}" of the command table: expected "--name", "-s, --name" or either with " <value>"`,
    );
  }
  const [, short, long] = match;
  const kinds = spec.complete ?? [];
  return {
    long: `--${long}`,
    ...(short === undefined ? {} : { short: `-${short}` }),
    description: spec.description,
    takesValue: spec.flags.includes("<"),
    choices: spec.choices ??
      kinds.flatMap((kind) => STATIC_VALUES[kind] ?? []),
    kinds: spec.choices === undefined
      ? kinds.filter((kind) => STATIC_VALUES[kind] === undefined)
      : [],
    replacesArgs: spec.replacesArgs ?? false,
  };
}

/** The value-taking flags, one each, checked to offer the same values everywhere. */
function valueFlagsOf(flags: readonly CompletionFlag[]): CompletionFlag[] {
  const byName = new Map<string, CompletionFlag>();
  for (const flag of flags.filter((f) => f.takesValue)) {
    const seen = byName.get(flag.long);
    if (seen === undefined) {
      byName.set(flag.long, flag);
    } else if (
      seen.choices.join(" ") !== flag.choices.join(" ") ||
      seen.kinds.join(" ") !== flag.kinds.join(" ") ||
      seen.short !== flag.short
    ) {
      throw new TypeError(
        `Cannot complete the flag "${flag.long}" of the command table: it offers other values or another letter in another command`,
      );
    }
  }
  return [...byName.values()];
}
