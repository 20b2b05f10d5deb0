import { strictEqual } from "node:assert/strict";
import { secretNameProblem } from "./secret_name_problem.ts";

Deno.test("secretNameProblem() says why leger.run cannot hold a name, and null when it can", () => {
  const cases: [string, string | null][] = [
    ["api_token", null],
    ["ns:DB-PASSWORD", null],
    ["x".repeat(64), null],
    ["db.pass", '"." is not allowed'],
    ["a b", '" " is not allowed'],
    ["", "it is empty"],
    ["x".repeat(65), "it has 65 characters, at most 64 are allowed"],
    ["selections", "leger.run reserves it for its own routes"],
    ["select-provider", "leger.run reserves it for its own routes"],
  ];
  for (const [name, why] of cases) strictEqual(secretNameProblem(name), why);
});
