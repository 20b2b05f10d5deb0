import { deepStrictEqual, throws } from "node:assert/strict";
import { type LegerdArgs, parseLegerdArgs } from "./parse_legerd_args.ts";

Deno.test("parseLegerdArgs() reads the flags", async (t) => {
  const none: LegerdArgs = { version: false, help: false };
  const cases: [string[], LegerdArgs][] = [
    [[], none],
    [["--scope", "user"], { ...none, scope: "user" }],
    [["--scope=system"], { ...none, scope: "system" }],
    [["--config", "/etc/leger/other.yaml"], {
      ...none,
      config: "/etc/leger/other.yaml",
    }],
    [["--config=./legerd.yaml", "--scope", "user"], {
      ...none,
      scope: "user",
      config: "./legerd.yaml",
    }],
    [["--version"], { ...none, version: true }],
    [["-V"], { ...none, version: true }],
    [["--help"], { ...none, help: true }],
    [["-h"], { ...none, help: true }],
    // Help wins over mistakes, as in leger.
    [["--scop", "x", "--help"], { ...none, help: true }],
    [["--scope", "nobody", "-h"], { ...none, help: true }],
    [["stray", "--version"], { ...none, version: true }],
  ];
  for (const [argv, want] of cases) {
    await t.step(
      argv.join(" ") || "(none)",
      () => deepStrictEqual(parseLegerdArgs(argv), want),
    );
  }
});

Deno.test("parseLegerdArgs() refuses a bad command line with ERR_USAGE", async (t) => {
  const cases: [string[], string][] = [
    [["--scop", "user"], "unknown option '--scop' (did you mean '--scope'?)"],
    [["--debug"], "unknown option '--debug'"],
    [["-x"], "unknown option '-x'"],
    [["--scope"], "option '--scope' needs a value"],
    [["--scope="], "option '--scope' needs a value"],
    [["--config", "--scope", "user"], "option '--config' needs a value"],
    [
      ["--scope", "users"],
      "option '--scope' must be user or system, not 'users' (did you mean 'user'?)",
    ],
    [
      ["--scope", "root"],
      "option '--scope' must be user or system, not 'root'",
    ],
    [
      ["--scope", "user", "--scope", "system"],
      "option '--scope' is given twice",
    ],
    [["run"], "unexpected argument 'run' (legerd takes no arguments)"],
    [
      ["--", "--help"],
      "unexpected argument '--help' (legerd takes no arguments)",
    ],
  ];
  for (const [argv, message] of cases) {
    await t.step(argv.join(" "), () => {
      throws(() => parseLegerdArgs(argv), {
        name: "LegerError",
        code: "ERR_USAGE",
        message: `Cannot run legerd: ${message}`,
        remedy: "Run `legerd --help` for its flags",
      });
    });
  }
});
