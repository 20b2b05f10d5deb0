import { strictEqual, throws } from "node:assert/strict";
import {
  type LegerdScopeInputs,
  resolveLegerdScope,
} from "./resolve_legerd_scope.ts";

const FILE = "/home/ada/.config/leger/legerd.yaml";

Deno.test("resolveLegerdScope() takes --scope, then the file, then the user", async (t) => {
  const cases: [string, Omit<LegerdScopeInputs, "configFile">, string][] = [
    ["root by default", { uid: 0 }, "system"],
    ["a user by default", { uid: 1000 }, "user"],
    ["--scope system as root", { flag: "system", uid: 0 }, "system"],
    ["the file's scope", { config: "user", uid: 1000 }, "user"],
    [
      "flag and file agreeing",
      { flag: "user", config: "user", uid: 1000 },
      "user",
    ],
  ];
  for (const [name, inputs, want] of cases) {
    await t.step(
      name,
      () =>
        strictEqual(resolveLegerdScope({ ...inputs, configFile: FILE }), want),
    );
  }
});

Deno.test("resolveLegerdScope() refuses a scope that is not the user's, or a flag the file contradicts", async (t) => {
  const cases: [
    string,
    Omit<LegerdScopeInputs, "configFile">,
    string,
    RegExp,
  ][] = [
    [
      "the system scope for a user",
      { flag: "system", uid: 1000 },
      "ERR_USAGE",
      /^Cannot run legerd for the system scope as uid 1000: it needs root/,
    ],
    [
      "root's user scope",
      { flag: "user", uid: 0 },
      "ERR_USAGE",
      /^Cannot run legerd for root's user scope: root's quadlets and Podman secrets are the system scope's/,
    ],
    [
      "flag against file",
      { flag: "user", config: "system", uid: 1000 },
      "ERR_CONFIG_INVALID",
      /^Cannot start legerd: --scope user was given, but .*legerd\.yaml says scope: system$/,
    ],
  ];
  for (const [name, inputs, code, message] of cases) {
    await t.step(name, () => {
      throws(() => resolveLegerdScope({ ...inputs, configFile: FILE }), {
        name: "LegerError",
        code,
        message,
      });
    });
  }
});
