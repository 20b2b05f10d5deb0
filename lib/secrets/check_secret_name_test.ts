import { doesNotThrow, throws } from "node:assert/strict";
import { checkSecretName } from "./check_secret_name.ts";

Deno.test("checkSecretName() accepts what leger.run accepts", () => {
  for (
    const name of ["a", "api_token", "DB-PASSWORD", "ns:key", "x".repeat(64)]
  ) {
    doesNotThrow(() => checkSecretName(name), name);
  }
});

Deno.test("checkSecretName() refuses a name leger.run refuses or reserves, saying why", () => {
  const cases: [string, string][] = [
    [
      "selections",
      'Cannot use secret name "selections": leger.run reserves it for its own routes',
    ],
    [
      "select-provider",
      'Cannot use secret name "select-provider": leger.run reserves it for its own routes',
    ],
    ["", 'Cannot use secret name "": it is empty'],
    [
      "x".repeat(65),
      `Cannot use secret name "${
        "x".repeat(65)
      }": it has 65 characters, at most 64 are allowed`,
    ],
    ["db.password", 'Cannot use secret name "db.password": "." is not allowed'],
    ["a b", 'Cannot use secret name "a b": " " is not allowed'],
    ["é", 'Cannot use secret name "é": "é" is not allowed'],
  ];
  for (const [name, message] of cases) {
    throws(() => checkSecretName(name), {
      name: "LegerError",
      code: "ERR_SECRET_NAME_INVALID",
      message,
    });
  }
});
