/**
 * The help of `leger`, rendered from the command table (spec.ts) alone, so
 * that main.ts can answer `leger --help` without loading the parser.
 *
 * @module
 */
import {
  type CommandSpec,
  GLOBAL_OPTIONS,
  GROUPS,
  type GroupSpec,
  type OptionSpec,
  TOP_COMMANDS,
} from "./spec.ts";

/** Where a help request points in the command tree. */
export type HelpTarget =
  | { type: "program" }
  | { type: "group"; group: GroupSpec }
  | { type: "command"; command: CommandSpec; path: string };

const HELP_FLAGS: ReadonlySet<string> = new Set(["-h", "--help"]);

/**
 * Finds what the words of a help request name: the program (no words), a
 * group, or a command. Words after a command are its arguments and do not
 * matter (`service stop web` is `service stop`).
 *
 * @param words The group and command words, without flags.
 * @returns Where the words point, or `null` when they name no group or
 * command (the parser then reports it, with a suggestion).
 *
 * @example Usage
 * ```ts
 * import { findHelpTarget } from "./help.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(findHelpTarget(["deploy"])?.type, "group");
 * strictEqual(findHelpTarget(["service", "stop", "web"])?.type, "command");
 * strictEqual(findHelpTarget(["deplo"]), null);
 * ```
 */
export function findHelpTarget(words: readonly string[]): HelpTarget | null {
  if (words.length === 0) return { type: "program" };
  const top = TOP_COMMANDS.find((command) => command.name === words[0]);
  if (top !== undefined) {
    return { type: "command", command: top, path: top.name };
  }
  const group = GROUPS.find((g) => g.name === words[0]);
  if (group === undefined) return null;
  if (words.length === 1) return { type: "group", group };
  const command = group.commands.find((c) => c.name === words[1]);
  if (command === undefined) return null;
  return { type: "command", command, path: `${group.name} ${command.name}` };
}

/**
 * Answers the help requests that need no lexing: no arguments, `help` and
 * plain words, or plain words and then `-h` or `--help` as the last word
 * (`leger service stop web --help`). Any other command line (a flag before
 * the help flag, a cluster such as `-yh`, `--`) goes to the parser, which
 * finds help wherever it is before `--`; the parser's tests check that both
 * agree on every case answered here.
 *
 * @param args The command-line words after `leger`.
 * @returns What help to show, or `null` when the parser must decide.
 *
 * @example Usage
 * ```ts
 * import { findPlainHelp } from "./help.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(findPlainHelp(["deploy", "install", "--help"])?.type, "command");
 * strictEqual(findPlainHelp(["help", "deploy"])?.type, "group");
 * strictEqual(findPlainHelp(["deploy", "install", "--yes", "--help"]), null);
 * strictEqual(findPlainHelp(["deploy", "list"]), null);
 * ```
 */
export function findPlainHelp(args: readonly string[]): HelpTarget | null {
  const words = args[0] === "help"
    ? args.slice(1)
    : HELP_FLAGS.has(args.at(-1) ?? "--help")
    ? args.slice(0, -1)
    : null;
  if (words === null || words.some((word) => word.startsWith("-"))) {
    return null;
  }
  return findHelpTarget(words);
}

/**
 * Renders the help text of a program, group or command.
 *
 * @param target What the help is about.
 * @param version leger's version, for the program's help.
 * @returns The help text, ending with a newline.
 *
 * @example Usage
 * ```ts
 * import { renderHelp } from "./help.ts";
 * import { match } from "node:assert/strict";
 *
 * match(renderHelp({ type: "program" }, "0.1.0"), /deploy/);
 * ```
 */
export function renderHelp(target: HelpTarget, version: string): string {
  switch (target.type) {
    case "program":
      return renderProgramHelp(version);
    case "group":
      return renderGroupHelp(target.group);
    case "command":
      return renderCommandHelp(target.command, target.path);
  }
}

/**
 * The one-line usage of a program, group or command, as its help shows it
 * under "Usage:".
 *
 * @param target What the usage is of.
 * @returns Such as `leger deploy install [name] [flags]`.
 *
 * @example Usage
 * ```ts
 * import { findHelpTarget, usageLine } from "./help.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(usageLine(findHelpTarget(["validate"])!), "leger validate <folder> [flags]");
 * ```
 */
export function usageLine(target: HelpTarget): string {
  switch (target.type) {
    case "program":
      return "leger <command> [subcommand] [flags]";
    case "group":
      return `leger ${target.group.name} <subcommand> [flags]`;
    case "command": {
      const args = (target.command.args ?? []).join(" ");
      return `leger ${target.path}${args === "" ? "" : ` ${args}`} [flags]`;
    }
  }
}

function renderProgramHelp(version: string): string {
  const rows: [string, string][] = [
    ...GROUPS.map((g): [string, string] => [g.name, g.summary]),
    ...TOP_COMMANDS.filter((c) => !c.hidden).map((c): [string, string] => [
      c.name,
      c.summary,
    ]),
  ];
  return [
    `leger ${version}: deploy Podman Quadlet services and keep their secrets current`,
    "",
    "Usage:",
    `  ${usageLine({ type: "program" })}`,
    "",
    "Commands:",
    ...columns(rows),
    "",
    "Flags:",
    ...columns([
      ...GLOBAL_OPTIONS.map(optionRow),
      ["-V, --version", "print leger's version"],
    ]),
    "",
    "Run `leger <command> --help` for more about a command.",
    "",
    "Get started:",
    ...columns(GET_STARTED),
    "",
  ].join("\n");
}

/** The last block of `leger --help`: the first commands to run. */
const GET_STARTED: readonly (readonly [string, string])[] = [
  [
    "leger deploy install --source ./my-app",
    "install a folder of quadlet units and start them",
  ],
  ["leger status", "each deployment's services and their health"],
  ["leger doctor", "check that this host has what leger needs"],
];

function renderGroupHelp(group: GroupSpec): string {
  return [
    group.summary,
    "",
    "Usage:",
    `  ${usageLine({ type: "group", group })}`,
    "",
    "Subcommands:",
    ...columns(group.commands.map((c) => [c.name, c.summary])),
    "",
    ...exampleBlock(groupExamples(group)),
    `Run \`leger ${group.name} <subcommand> --help\` for more about a subcommand.`,
    "",
  ].join("\n");
}

/** The group's own examples, else the first example of each of its commands. */
function groupExamples(group: GroupSpec): readonly string[] {
  return group.examples ??
    group.commands.flatMap((c) => c.examples?.slice(0, 1) ?? []);
}

/** `Examples:`, the examples and a blank line; nothing without examples. */
function exampleBlock(examples: readonly string[]): string[] {
  return examples.length === 0
    ? []
    : ["Examples:", ...examples.map((e) => `  $ ${e}`), ""];
}

function renderCommandHelp(command: CommandSpec, path: string): string {
  const lines = [
    command.summary,
    "",
    "Usage:",
    `  ${usageLine({ type: "command", command, path })}`,
    "",
    "Flags:",
    ...columns([...(command.options ?? []), ...GLOBAL_OPTIONS].map(optionRow)),
  ];
  if (command.examples !== undefined && command.examples.length > 0) {
    lines.push("", "Examples:", ...command.examples.map((e) => `  $ ${e}`));
  }
  lines.push("");
  return lines.join("\n");
}

function optionRow(option: OptionSpec): [string, string] {
  const choices = option.choices === undefined
    ? ""
    : ` (${option.choices.join(", ")})`;
  return [option.flags, option.description + choices];
}

function columns(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}   ${right}`);
}
