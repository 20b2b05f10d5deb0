import { deepStrictEqual, throws } from "node:assert/strict";
import { parseArgs } from "./parse_args.ts";

Deno.test("parseArgs() reads a group, a verb, options and arguments in any order", () => {
  const cases: [
    string[],
    string,
    string[],
    Record<string, string | boolean>,
  ][] = [
    [["validate", "./app"], "validate", ["./app"], {}],
    [
      ["deploy", "install", "--source", "./app", "--dry-run", "--json"],
      "deploy install",
      [],
      {
        source: "./app",
        dryRun: true,
        json: true,
      },
    ],
    [
      ["deploy", "install", "web", "--source=./app", "-y", "--no-start"],
      "deploy install",
      ["web"],
      {
        source: "./app",
        yes: true,
        start: false,
      },
    ],
    [
      ["service", "logs", "-n", "20", "web", "-f", "--since", "1h ago"],
      "service logs",
      ["web"],
      {
        lines: "20",
        follow: true,
        since: "1h ago",
      },
    ],
    [
      ["deploy", "remove", "--", "-odd-name"],
      "deploy remove",
      ["-odd-name"],
      {},
    ],
    [
      ["validate", "./app", "--scope", "user", "--debug"],
      "validate",
      ["./app"],
      { scope: "user", debug: true },
    ],
  ];
  for (const [argv, path, args, options] of cases) {
    const parsed = parseArgs(argv);
    deepStrictEqual([parsed.path, parsed.args, parsed.options], [
      path,
      args,
      options,
    ], argv.join(" "));
  }
});

Deno.test("parseArgs() rejects what the command table does not allow, saying what", () => {
  const cases: [string[], RegExp, string[]][] = [
    [["deplo"], /^unknown command 'deplo'$/, []],
    [["deploy", "instal"], /^unknown command 'deploy instal'$/, ["deploy"]],
    [["deploy"], /^'deploy' needs a subcommand$/, ["deploy"]],
    [["validate", "--frobnicate", "x"], /^unknown option '--frobnicate'$/, [
      "validate",
    ]],
    [["validate", "x", "--scope", "galaxy"], /choose one of user, system/, [
      "validate",
    ]],
    [["validate", "x", "--scope"], /needs a value/, ["validate"]],
    [["validate"], /^missing required argument <folder>$/, ["validate"]],
    [
      ["validate", "a", "b"],
      /^too many arguments: expected at most 1, got 2 \(a b\)$/,
      ["validate"],
    ],
    [["deploy", "list", "--json=yes"], /takes no value/, ["deploy", "list"]],
  ];
  for (const [argv, message, words] of cases) {
    throws(() => parseArgs(argv), (error: Error & { words: string[] }) => {
      deepStrictEqual([error.name, error.words], ["UsageError", words]);
      return message.test(error.message);
    }, argv.join(" "));
  }
});
