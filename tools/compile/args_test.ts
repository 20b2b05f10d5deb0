import {
  deepStrictEqual,
  match,
  strictEqual,
  throws,
} from "node:assert/strict";
import { HELP, parseCompileArgs, resolveOutputDir, USAGE } from "./args.ts";
import { SUPPORTED_TARGETS } from "./targets.ts";

const X86 = "x86_64-unknown-linux-gnu";
const ARM = "aarch64-unknown-linux-gnu";

Deno.test("parseCompileArgs() builds this machine's target into the default folder", () => {
  for (const host of SUPPORTED_TARGETS) {
    deepStrictEqual(parseCompileArgs([], host), {
      targets: [host],
      all: false,
      help: false,
    });
  }
  deepStrictEqual(parseCompileArgs(["--target", ARM], X86).targets, [ARM]);
  deepStrictEqual(parseCompileArgs(["--target=all", "--output=out"], X86), {
    targets: [X86, ARM],
    all: true,
    output: "out",
    help: false,
  });
});

Deno.test("parseCompileArgs() refuses what it cannot build, naming the two targets", () => {
  const cases: [string[], string, RegExp][] = [
    [[], "x86_64-apple-darwin", /this machine's target "x86_64-apple-darwin"/],
    [["--target", "riscv64gc-unknown-linux-gnu"], X86, /"riscv64gc-/],
    [["--target", "x86_64"], X86, /"x86_64"/],
  ];
  for (const [args, host, what] of cases) {
    throws(() => parseCompileArgs(args, host), (error: Error) => {
      strictEqual(error.name, "CompileError");
      strictEqual((error as { exitCode?: number }).exitCode, 2);
      match(error.message, what);
      match(error.message, new RegExp(`built for ${X86} and ${ARM} only`));
      match(error.message, /--target all/);
      return true;
    });
  }
});

Deno.test("parseCompileArgs() refuses an unknown flag, a stray argument, an empty --output and a flag given twice, with the usage", () => {
  const cases: [string[], RegExp][] = [
    [["--bogus"], /^Cannot parse the command line: Unknown option '--bogus'/],
    [["dist"], /^Cannot parse the command line: .*'dist'/],
    [["--output", ""], /^Cannot compile into an empty --output\n/],
    [["--target"], /^Cannot parse the command line: Option '--target/],
    [
      ["--target", "all", "--target", X86],
      new RegExp(
        `^Cannot use --target more than once \\(given: "all", "${X86}"\\)\\n`,
      ),
    ],
    [
      ["--output", "a", "--output=b"],
      /^Cannot use --output more than once \(given: "a", "b"\)\n/,
    ],
  ];
  for (const [args, message] of cases) {
    throws(() => parseCompileArgs(args, X86), (error: Error) => {
      strictEqual((error as { exitCode?: number }).exitCode, 2);
      match(error.message, message);
      strictEqual(error.message.split("\n").at(-1), `  usage: ${USAGE}`);
      return true;
    });
  }
});

Deno.test("parseCompileArgs() gives the help for -h or --help, whatever else is on the line", () => {
  for (
    const args of [
      ["--help"],
      ["-h"],
      ["--help", "--target", "bogus"],
      ["--target", "bogus", "--target", "all", "-h"],
      ["--bogus", "stray", "--help"],
    ]
  ) {
    deepStrictEqual(parseCompileArgs(args, "x86_64-apple-darwin"), {
      targets: [],
      all: false,
      help: true,
    }, args.join(" "));
  }
  match(HELP, /^usage: deno task compile \[--target/);
  match(
    HELP,
    /a relative\s+DIR is taken from the folder `deno task` was run in/,
  );
});

Deno.test("resolveOutputDir() takes a relative --output from the folder deno task was run in, else the working folder", () => {
  const root = "/home/me/leger";
  const cases: [string | undefined, string | undefined, string][] = [
    [undefined, "/home/me/leger/cli", "/home/me/leger/dist"],
    ["out", "/home/me/leger/cli", "/home/me/leger/cli/out"],
    ["../out/", "/home/me/leger/cli", "/home/me/leger/out"],
    [".", "/tmp", "/tmp"],
    ["/srv/dist/", "/tmp", "/srv/dist"],
    // Without INIT_CWD (or a relative one, which deno task never sets):
    // the script's own folder.
    ["out", undefined, "/work/out"],
    ["out", "relative", "/work/out"],
  ];
  for (const [output, initCwd, want] of cases) {
    strictEqual(
      resolveOutputDir(output, { initCwd, cwd: "/work", root }),
      want,
      `${output} from ${initCwd}`,
    );
  }
});
