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

/**
 * Finds what `leger … --help` asks about: the program, a group or a command.
 * Returns `null` when the words name nothing (the parser then reports it).
 *
 * @example Usage
 * ```ts
 * import { findHelpTarget } from "./help.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(findHelpTarget(["deploy", "install"])?.type, "command");
 * ```
 */
export function findHelpTarget(words: readonly string[]): HelpTarget | null {
  if (words.length === 0) return { type: "program" };
  const top = TOP_COMMANDS.find((command) => command.name === words[0]);
  if (top !== undefined && words.length === 1) {
    return { type: "command", command: top, path: top.name };
  }
  const group = GROUPS.find((g) => g.name === words[0]);
  if (group === undefined) return null;
  if (words.length === 1) return { type: "group", group };
  const command = group.commands.find((c) => c.name === words[1]);
  if (command === undefined || words.length > 2) return null;
  return { type: "command", command, path: `${group.name} ${command.name}` };
}

/**
 * Renders the help text of a program, group or command.
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

function renderProgramHelp(version: string): string {
  const rows: [string, string][] = [
    ...GROUPS.map((g): [string, string] => [g.name, g.summary]),
    ...TOP_COMMANDS.map((c): [string, string] => [c.name, c.summary]),
  ];
  return [
    `leger ${version}: deploy Podman Quadlet services and keep their secrets current`,
    "",
    "Usage:",
    "  leger <command> [subcommand] [flags]",
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
  ].join("\n");
}

function renderGroupHelp(group: GroupSpec): string {
  return [
    group.summary,
    "",
    "Usage:",
    `  leger ${group.name} <subcommand> [flags]`,
    "",
    "Subcommands:",
    ...columns(group.commands.map((c) => [c.name, c.summary])),
    "",
    `Run \`leger ${group.name} <subcommand> --help\` for more about a subcommand.`,
    "",
  ].join("\n");
}

function renderCommandHelp(command: CommandSpec, path: string): string {
  const args = (command.args ?? []).join(" ");
  const lines = [
    command.summary,
    "",
    "Usage:",
    `  leger ${path}${args === "" ? "" : ` ${args}`} [flags]`,
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
