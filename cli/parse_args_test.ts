import { deepStrictEqual, throws } from "node:assert/strict";
import { findPlainHelp, type HelpTarget } from "./help.ts";
import {
  HelpRequested,
  parseArgs,
  type ParseArgsOptions,
  UsageError,
} from "./parse_args.ts";

/** A small table for what the real one does not declare (`multiple`, `-fy`). */
const TABLE: ParseArgsOptions = {
  groups: [{
    name: "box",
    summary: "Boxes",
    commands: [{
      name: "pack",
      summary: "Pack a box",
      args: ["<name>"],
      options: [
        { flags: "-f, --force", description: "force" },
        { flags: "-y, --yes", description: "yes" },
        { flags: "-t, --tag <tag>", description: "a tag", multiple: true },
      ],
      module: "box/pack",
    }],
  }],
  topCommands: [],
};

Deno.test("parseArgs() reads the command, its arguments and its options", async (t) => {
  const cases: {
    name: string;
    argv: string[];
    table?: ParseArgsOptions;
    path: string;
    args: string[];
    options: Record<string, string | boolean | string[]>;
  }[] = [
    {
      name: "a top command and its argument",
      argv: ["validate", "./app"],
      path: "validate",
      args: ["./app"],
      options: {},
    },
    {
      name: "--flag value",
      argv: ["deploy", "install", "--source", "./app", "--dry-run", "--json"],
      path: "deploy install",
      args: [],
      options: { source: "./app", dryRun: true, json: true },
    },
    {
      name: "--flag=value, -y and a --no-x negation",
      argv: ["deploy", "install", "web", "--source=./app", "-y", "--no-start"],
      path: "deploy install",
      args: ["web"],
      options: { source: "./app", yes: true, start: false },
    },
    {
      name: "-n5",
      argv: ["service", "logs", "web", "-n5"],
      path: "service logs",
      args: ["web"],
      options: { lines: "5" },
    },
    {
      name: "-n 5, before the argument, with a value that has a space",
      argv: ["service", "logs", "-n", "5", "web", "-f", "--since", "1h ago"],
      path: "service logs",
      args: ["web"],
      options: { lines: "5", follow: true, since: "1h ago" },
    },
    {
      name: "a boolean and a value letter in one cluster (-fn5)",
      argv: ["service", "logs", "web", "-fn5"],
      path: "service logs",
      args: ["web"],
      options: { follow: true, lines: "5" },
    },
    {
      name: "clustered booleans (-fy)",
      argv: ["box", "pack", "-fy", "a"],
      table: TABLE,
      path: "box pack",
      args: ["a"],
      options: { force: true, yes: true },
    },
    {
      name: "-h after a letter that takes a value is that value",
      argv: ["service", "logs", "web", "-nh"],
      path: "service logs",
      args: ["web"],
      options: { lines: "h" },
    },
    {
      name: "every word after -- as an argument, --help included",
      argv: ["deploy", "remove", "--yes", "--", "--help"],
      path: "deploy remove",
      args: ["--help"],
      options: { yes: true },
    },
    {
      name: "-- before an argument that starts with -",
      argv: ["deploy", "remove", "--", "-odd-name"],
      path: "deploy remove",
      args: ["-odd-name"],
      options: {},
    },
    {
      name: "a value that starts with - in the flag's own word",
      argv: ["deploy", "install", "--source=-x", "--version=--help"],
      path: "deploy install",
      args: [],
      options: { source: "-x", version: "--help" },
    },
    {
      name: "- as a positional and as a value",
      argv: ["deploy", "install", "-", "--source", "-"],
      path: "deploy install",
      args: ["-"],
      options: { source: "-" },
    },
    {
      name: "a global flag before the command",
      argv: ["--debug", "deploy", "list"],
      path: "deploy list",
      args: [],
      options: { debug: true },
    },
    {
      name: "the command's own flags before the command",
      argv: ["--json", "--scope", "user", "deploy", "list"],
      path: "deploy list",
      args: [],
      options: { json: true, scope: "user" },
    },
    {
      name: "a global flag after the arguments",
      argv: ["validate", "./app", "--scope", "user", "--debug"],
      path: "validate",
      args: ["./app"],
      options: { scope: "user", debug: true },
    },
    {
      name: "a repeated flag declared multiple, as a list",
      argv: ["box", "pack", "a", "--tag", "x", "-t", "y", "--tag=z", "-tw"],
      table: TABLE,
      path: "box pack",
      args: ["a"],
      options: { tag: ["x", "y", "z", "w"] },
    },
    {
      name: "help as an argument after the command",
      argv: ["deploy", "remove", "help"],
      path: "deploy remove",
      args: ["help"],
      options: {},
    },
  ];
  for (const { name, argv, table, path, args, options } of cases) {
    await t.step(name, () => {
      const parsed = parseArgs(argv, table);
      deepStrictEqual(
        [parsed.path, parsed.args, parsed.options],
        [path, args, options],
      );
    });
  }
});

Deno.test("parseArgs() throws HelpRequested for -h or --help anywhere before --", async (t) => {
  const cases: [string[], string[]][] = [
    [[], []],
    [["--"], []],
    [["help"], []],
    [["--debug", "--help"], []],
    [["deploy", "--help"], ["deploy"]],
    [["-h", "deploy"], ["deploy"]],
    [["help", "deploy", "install"], ["deploy", "install"]],
    [["--help", "deploy", "install"], ["deploy", "install"]],
    [["service", "stop", "web", "--help"], ["service", "stop"]],
    [["validate", "./examples/reader", "--help"], ["validate"]],
    [["deploy", "install", "--source", "DIR", "--yes", "--help"], [
      "deploy",
      "install",
    ]],
    // Where a value belongs, --help is still a flag (see the module doc).
    [["deploy", "install", "--source", "--help"], ["deploy", "install"]],
    [["service", "logs", "web", "-n", "-h"], ["service", "logs"]],
    // Inside a cluster of booleans.
    [["deploy", "install", "-yh"], ["deploy", "install"]],
    // Help wins over every other problem but an unknown command.
    [["deploy", "install", "--frobnicate", "--help"], ["deploy", "install"]],
    [["validate", "a", "b", "c", "-h"], ["validate"]],
    [["deploy", "install", "--source", "--dry-run", "-h"], [
      "deploy",
      "install",
    ]],
  ];
  for (const [argv, words] of cases) {
    await t.step(argv.join(" ") || "(no words)", () => {
      throws(() => parseArgs(argv), { name: "HelpRequested", words });
    });
  }
});

Deno.test("parseArgs() rejects what the command table does not allow, saying what", async (t) => {
  const cases: [string[], string, string[]][] = [
    [["deplo"], "unknown command 'deplo' (did you mean 'deploy'?)", []],
    [
      ["deplo", "--help"],
      "unknown command 'deplo' (did you mean 'deploy'?)",
      [],
    ],
    [
      ["help", "valdate"],
      "unknown command 'valdate' (did you mean 'validate'?)",
      [],
    ],
    [["xyzzy"], "unknown command 'xyzzy'", []],
    [
      ["deploy", "instal"],
      "unknown command 'deploy instal' (did you mean 'deploy install'?)",
      ["deploy"],
    ],
    [
      ["deploy"],
      "'deploy' needs a subcommand: install, list, remove, update",
      ["deploy"],
    ],
    [["--debug"], "no command given", []],
    [
      ["deploy", "install", "--dryrun"],
      "unknown option '--dryrun' (did you mean '--dry-run'?)",
      ["deploy", "install"],
    ],
    [["validate", "--frobnicate", "x"], "unknown option '--frobnicate'", [
      "validate",
    ]],
    [["deploy", "install", "-x"], "unknown option '-x'", ["deploy", "install"]],
    [["--frobnicate", "deploy", "list"], "unknown option '--frobnicate'", [
      "deploy",
      "list",
    ]],
    [
      ["deploy", "install", "--source", "--dry-run"],
      "option '--source <source>' needs a value, got option '--dry-run'",
      ["deploy", "install"],
    ],
    [
      ["deploy", "install", "--source", "--", "x"],
      "option '--source <source>' needs a value, got '--'",
      ["deploy", "install"],
    ],
    [
      ["validate", "x", "--scope"],
      "option '--scope <scope>' needs a value",
      ["validate"],
    ],
    [
      ["validate", "x", "--scope", "galaxy"],
      `option '--scope <scope>' cannot be "galaxy": choose one of user, system`,
      ["validate"],
    ],
    [
      ["validate", "x", "--scope=sytem"],
      `option '--scope <scope>' cannot be "sytem": choose one of user, system (did you mean 'system'?)`,
      ["validate"],
    ],
    [
      ["deploy", "list", "--json=yes"],
      "option '--json' takes no value",
      ["deploy", "list"],
    ],
    [
      ["deploy", "install", "--yes", "-y"],
      "option '-y, --yes' can be given only once",
      ["deploy", "install"],
    ],
    [
      ["service", "logs", "web", "-n", "5", "--lines=6"],
      `option '-n, --lines <count>' can be given only once: got "5" and "6"`,
      ["service", "logs"],
    ],
    [["validate"], "missing required argument <folder>", ["validate"]],
    [
      ["deploy", "remove", "--"],
      "missing required argument <deployment>",
      ["deploy", "remove"],
    ],
    [
      ["validate", "a", "b"],
      "too many arguments: expected at most 1, got 2 (a b)",
      ["validate"],
    ],
  ];
  for (const [argv, message, words] of cases) {
    await t.step(argv.join(" "), () => {
      throws(() => parseArgs(argv), { name: "UsageError", message, words });
    });
  }
});

Deno.test("parseArgs() refuses a command table that gives a flag two meanings", () => {
  const table: ParseArgsOptions = {
    groups: [],
    topCommands: [
      {
        name: "a",
        summary: "a",
        options: [{ flags: "--tag <tag>", description: "" }],
        module: "a",
      },
      {
        name: "b",
        summary: "b",
        options: [{ flags: "--tag", description: "" }],
        module: "b",
      },
    ],
  };
  throws(() => parseArgs(["a"], table), {
    name: "TypeError",
    message: /"--tag" gives a flag or letter another meaning/,
  });
});

Deno.test("findPlainHelp() agrees with parseArgs() on every command line it answers", async (t) => {
  const words = (target: HelpTarget | null) =>
    target?.type === "group"
      ? [target.group.name]
      : target?.type === "command"
      ? target.path.split(" ")
      : [];
  const cases: string[][] = [
    [],
    ["--help"],
    ["-h"],
    ["help"],
    ["help", "deploy"],
    ["help", "deploy", "install"],
    ["help", "validate", "x"],
    ["deploy", "--help"],
    ["deploy", "install", "-h"],
    ["service", "stop", "web", "--help"],
    ["validate", "./x", "--help"],
    ["validate", "--help"],
    ["deploy", "remove", "help", "--help"],
  ];
  for (const argv of cases) {
    await t.step(argv.join(" ") || "(no words)", () => {
      const target = findPlainHelp(argv);
      deepStrictEqual(target === null, false);
      throws(() => parseArgs(argv), (error) => {
        deepStrictEqual(error instanceof HelpRequested, true);
        deepStrictEqual((error as HelpRequested).words, words(target));
        return true;
      });
    });
  }
  // What it leaves to the parser.
  for (
    const argv of [
      ["deploy", "list"],
      ["deploy", "install", "--yes", "--help"],
      ["deploy", "remove", "--", "--help"],
      ["deplo", "--help"],
      ["deploy", "instal", "--help"],
      ["deploy", "install", "-yh"],
    ]
  ) {
    deepStrictEqual(findPlainHelp(argv), null, argv.join(" "));
  }
});

Deno.test("UsageError keeps the command words for the help it points to", () => {
  const error = new UsageError("unknown option '--x'", ["deploy", "list"]);
  deepStrictEqual([error.name, error.message, error.words], [
    "UsageError",
    "unknown option '--x'",
    ["deploy", "list"],
  ]);
});

Deno.test("parseArgs() names an unknown option given without a command", () => {
  for (const word of ["-x", "--jsno"]) {
    throws(() => parseArgs([word]), {
      name: "UsageError",
      message: `unknown option '${word}'`,
    });
  }
  throws(() => parseArgs(["--debug"]), {
    name: "UsageError",
    message: "no command given",
  });
});
