import {
  deepStrictEqual,
  doesNotThrow,
  match,
  ok,
  strictEqual,
} from "node:assert/strict";
import { legerCommands, shellCommands } from "../tests/_shell_commands.ts";
import { findHelpTarget, type HelpTarget, renderHelp } from "./help.ts";
import { parseArgs } from "./parse_args.ts";
import { GROUPS, TOP_COMMANDS } from "./spec.ts";

/** The lines of a help text's block (`Examples:`, `Get started:`), unindented. */
function block(help: string, title: string): string[] {
  const lines = help.split("\n");
  const start = lines.indexOf(`${title}:`);
  if (start === -1) return [];
  const end = lines.indexOf("", start);
  return lines.slice(start + 1, end === -1 ? undefined : end).map((line) =>
    line.replace(/^ {2}(\$ )?/, "")
  );
}

/** Every help text leger has: the program's, each group's, each command's. */
function everyHelp(): { name: string; target: HelpTarget }[] {
  return [
    { name: "leger", target: { type: "program" } },
    ...GROUPS.flatMap((group) => [
      { name: group.name, target: findHelpTarget([group.name])! },
      ...group.commands.map((command) => ({
        name: `${group.name} ${command.name}`,
        target: findHelpTarget([group.name, command.name])!,
      })),
    ]),
    ...TOP_COMMANDS.map((command) => ({
      name: command.name,
      target: findHelpTarget([command.name])!,
    })),
  ];
}

Deno.test("renderHelp() shows examples in every group's help, one for each of its commands", async (t) => {
  for (const group of GROUPS) {
    await t.step(group.name, () => {
      const help = renderHelp({ type: "group", group }, "0.1.0");
      const examples = block(help, "Examples");
      ok(examples.length > 0, `leger ${group.name} --help has no Examples`);
      // Examples: comes between the subcommands and the last line.
      match(help, /\nSubcommands:\n[\s\S]*\n\nExamples:\n[\s\S]*\n\nRun `/);
      const shown = new Set(
        examples.flatMap(legerCommands).map((argv) => parseArgs(argv).path),
      );
      for (const command of group.commands) {
        ok(
          shown.has(`${group.name} ${command.name}`),
          `no example of leger ${group.name} ${command.name} in: ${examples}`,
        );
      }
    });
  }
});

Deno.test("renderHelp() shows the first example of each command for a group without its own", () => {
  const group = {
    name: "deploy",
    summary: "Install",
    commands: [
      {
        name: "list",
        summary: "List",
        module: "deploy/list",
        examples: ["leger deploy list", "leger deploy list --json"],
      },
      { name: "remove", summary: "Remove", module: "deploy/remove" },
    ],
  };
  deepStrictEqual(
    block(renderHelp({ type: "group", group }, "0"), "Examples"),
    [
      "leger deploy list",
    ],
  );
  const bare = { ...group, commands: [group.commands[1]] };
  strictEqual(
    block(renderHelp({ type: "group", group: bare }, "0"), "Examples").length,
    0,
  );
});

Deno.test("renderHelp() ends the program's help with how to get started", () => {
  const help = renderHelp({ type: "program" }, "0.1.0");
  match(
    help,
    /\n\nGet started:\n {2}leger deploy install --source \.\/my-app +install [^\n]+\n {2}leger status +[^\n]+\n {2}leger doctor +[^\n]+\n$/,
  );
});

Deno.test("every example and first step in leger's help parses against the command table", async (t) => {
  for (const { name, target } of everyHelp()) {
    await t.step(name, () => {
      const help = renderHelp(target, "0.1.0");
      const examples = [
        ...block(help, "Examples"),
        // Two columns: the command, then what it does.
        ...block(help, "Get started").map((row) => row.split(/ {3,}/)[0]),
      ];
      if (target.type === "command") {
        strictEqual(examples.length, target.command.examples?.length ?? 0);
      }
      for (const example of examples) {
        const found = legerCommands(example);
        ok(found.length > 0, `no leger command in the example: ${example}`);
        for (const argv of found) {
          doesNotThrow(() => parseArgs(argv), `${example} does not parse`);
        }
        if (target.type === "command") {
          ok(
            found.some((argv) => parseArgs(argv).path === name),
            `${example} is not an example of leger ${name}`,
          );
        }
      }
    });
  }
});

Deno.test("shellCommands() finds the commands of an example's line of shell", () => {
  const cases: [string, string[][]][] = [
    ["leger deploy list", [["leger", "deploy", "list"]]],
    [
      "leger status --json | jq '.deployments[].services[].health'",
      [["leger", "status", "--json"], [
        "jq",
        ".deployments[].services[].health",
      ]],
    ],
    [
      `leger backup restore "$(leger backup list myapp --json | jq -r '.[-1].id')" --yes`,
      [
        ["leger", "backup", "restore", "SUBSTITUTED", "--yes"],
        ["leger", "backup", "list", "myapp", "--json"],
        ["jq", "-r", ".[-1].id"],
      ],
    ],
    [
      "source <(leger completion bash)",
      [["source", "SUBSTITUTED"], ["leger", "completion", "bash"]],
    ],
    [
      'leger completion zsh > "${fpath[1]}/_leger"',
      [["leger", "completion", "zsh"]],
    ],
    ["leger secrets set api_token < token.txt", [[
      "leger",
      "secrets",
      "set",
      "api_token",
    ]]],
    [
      `leger a 'it'\\''s' "say \\"hi\\" \\$HOME" b\\ c`,
      [["leger", "a", "it's", 'say "hi" $HOME', "b c"]],
    ],
    [
      "leger x 2>/dev/null || echo no; leger y",
      [["leger", "x"], ["echo", "no"], ["leger", "y"]],
    ],
  ];
  for (const [line, commands] of cases) {
    deepStrictEqual(shellCommands(line), commands, line);
  }
});
