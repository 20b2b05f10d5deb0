import { deepStrictEqual, ok, strictEqual, throws } from "node:assert/strict";
import { GROUPS, TOP_COMMANDS } from "../spec.ts";
import { completionModel } from "./completion_model.ts";

Deno.test("completionModel() has every command of the table but the hidden ones", () => {
  const model = completionModel();
  deepStrictEqual(
    model.commands.map((c) => c.path),
    [
      ...GROUPS.flatMap((g) => g.commands.map((c) => `${g.name} ${c.name}`)),
      ...TOP_COMMANDS.filter((c) => !c.hidden).map((c) => c.name),
    ],
  );
  ok(TOP_COMMANDS.some((c) => c.hidden), "the table has no hidden command");
  ok(!model.words.some((w) => w.name === "__complete"));
  deepStrictEqual(
    model.verbs.service.map((w) => w.name),
    ["logs", "start", "stop", "restart"],
  );
});

Deno.test("completionModel() gives each argument of the table its kinds, and static ones their values", () => {
  const model = completionModel();
  const args = (path: string) =>
    model.commands.find((c) => c.path === path)!.args;
  deepStrictEqual(args("service logs"), [{
    values: [],
    kinds: ["services", "deployments-with-services"],
  }]);
  deepStrictEqual(args("completion"), [{
    values: ["bash", "zsh", "fish"],
    kinds: [],
  }]);
  deepStrictEqual(args("backup restore"), [{ values: [], kinds: ["backups"] }]);
  deepStrictEqual(args("secrets set"), [{ values: [], kinds: [] }]);
  // Every argument that names an installed thing is completed.
  const specs = [
    ...GROUPS.flatMap((g) =>
      g.commands.map((c) => [`${g.name} ${c.name}`, c] as const)
    ),
    ...TOP_COMMANDS.map((c) => [c.name, c] as const),
  ].filter(([, c]) => !c.hidden);
  for (const [path, spec] of specs) {
    (spec.args ?? []).forEach((arg, index) => {
      if (/deployment|service|<id>|folder|shell/.test(arg)) {
        ok(
          args(path)[index].kinds.length + args(path)[index].values.length > 0,
          `leger ${path} ${arg} is not completed`,
        );
      }
    });
  }
});

Deno.test("completionModel() reads flags with their short letters, values and choices", () => {
  const model = completionModel();
  const logs = model.commands.find((c) => c.path === "service logs")!;
  const lines = logs.flags.find((f) => f.long === "--lines")!;
  deepStrictEqual(
    [lines.short, lines.takesValue, lines.choices, lines.kinds],
    ["-n", true, [], []],
  );
  const scope = model.valueFlags.find((f) => f.long === "--scope")!;
  deepStrictEqual(scope.choices, ["user", "system"]);
  const source = model.valueFlags.find((f) => f.long === "--source")!;
  deepStrictEqual(source.kinds, ["folders"]);
  // The global flags close every command's list; --version only at the start.
  deepStrictEqual(logs.flags.slice(-2).map((f) => f.long), [
    "--debug",
    "--help",
  ]);
  deepStrictEqual(model.programFlags.map((f) => f.long), [
    "--debug",
    "--help",
    "--version",
  ]);
  strictEqual(
    new Set(model.valueFlags.map((f) => f.long)).size,
    model.valueFlags.length,
  );
});

Deno.test("completionModel() refuses a flag that offers other values in another command", () => {
  const command = (choices: string[]) => ({
    name: `c${choices.length}`,
    summary: "C",
    module: "c",
    options: [{ flags: "--mode <mode>", description: "mode", choices }],
  });
  throws(
    () =>
      completionModel({
        groups: [],
        topCommands: [command(["a"]), command(["a", "b"])],
      }),
    { name: "TypeError", message: /"--mode".*other values/ },
  );
  throws(
    () =>
      completionModel({
        groups: [],
        topCommands: [{
          name: "x",
          summary: "X",
          module: "x",
          options: [{ flags: "--Bad flag", description: "bad" }],
        }],
      }),
    { name: "TypeError", message: /"--Bad flag"/ },
  );
});
