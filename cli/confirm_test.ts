import { match, ok, rejects, strictEqual } from "node:assert/strict";
import { commandFixture } from "../tests/fakes/command_fixture.ts";
import { LegerError } from "../lib/errors/leger_error.ts";
import { runProgram } from "./program.ts";
import { confirm } from "./confirm.ts";

Deno.test("confirm() without a terminal says what it cannot ask, without nesting the question's quotes", async (t) => {
  await using fixture = await commandFixture();
  const { context } = fixture.deps;
  for (
    const [question, message] of [
      [
        'Delete secret "run1_tok" from leger.run?',
        'Cannot ask whether to delete secret "run1_tok" from leger.run: not running in a terminal',
      ],
      [
        'Install "web" (1 unit) in the user scope?',
        'Cannot ask whether to install "web" (1 unit) in the user scope: not running in a terminal',
      ],
    ]
  ) {
    await t.step(question, async () => {
      await rejects(
        confirm(question, { context, yesFlag: "--yes" }),
        (error: unknown) => {
          ok(error instanceof LegerError);
          strictEqual(error.code, "ERR_CONFIRMATION_REQUIRED");
          strictEqual(error.message, message);
          strictEqual(error.remedy, "Pass --yes to confirm without a prompt");
          return true;
        },
      );
    });
  }
  await t.step("LEGER_PROMPT_DISABLED on a terminal: says so", async () => {
    await rejects(
      confirm('Remove "web" (1 unit)?', {
        context: {
          ...context,
          stdinIsTerminal: true,
          stdoutIsTerminal: true,
          env: (name) => name === "LEGER_PROMPT_DISABLED" ? "1" : undefined,
        },
        yesFlag: "--yes",
      }),
      /^LegerError: Cannot ask whether to remove "web" \(1 unit\): LEGER_PROMPT_DISABLED is set$/,
    );
  });
});

Deno.test("every command that confirms words its refusal as what it cannot ask", async () => {
  await using fixture = await commandFixture();
  await fixture.useLegerRun();
  const web = await fixture.writeSource("web", {
    "web.container": "[Container]\nImage=localhost/bb:latest\n",
  });
  const cases: [string[], RegExp][] = [
    [
      ["secrets", "delete", "run1_tok"],
      /^Error: Cannot ask whether to delete secret "run1_tok" from leger\.run: not running in a terminal$/m,
    ],
    [
      ["secrets", "rotate", "run1_tok"],
      /^Error: Cannot ask whether to fetch "run1_tok" from leger\.run now, replace it in Podman \(user scope\) and restart the services that use it: not running in a terminal$/m,
    ],
    [
      ["deploy", "install", "--source", web],
      /^Error: Cannot ask whether to install "web" \(1 unit\) in the user scope: not running in a terminal$/m,
    ],
  ];
  for (const [argv, message] of cases) {
    fixture.clearOutput();
    const code = await runProgram(argv, fixture.deps);
    strictEqual(code, 2, fixture.output.stderr);
    match(fixture.output.stderr, message);
  }
});
