import { strictEqual, throws } from "node:assert/strict";
import { LegerError } from "../lib/errors/mod.ts";
import { timeoutOption } from "./options.ts";

Deno.test("timeoutOption() reads --timeout as milliseconds", () => {
  strictEqual(timeoutOption({ args: [], options: { timeout: "60" } }), 60_000);
  strictEqual(timeoutOption({ args: [], options: { timeout: "1.25" } }), 1250);
  strictEqual(timeoutOption({ args: [], options: {} }), undefined);
});

Deno.test("timeoutOption() refuses what is not a number of seconds a timer can hold", async (t) => {
  for (
    const value of [
      "0",
      "0.0001",
      "-1",
      "1e3",
      "ten",
      "",
      "5s",
      " 5",
      "99999999999",
      "2147484",
    ]
  ) {
    await t.step(JSON.stringify(value), () => {
      throws(
        () => timeoutOption({ args: [], options: { timeout: value } }),
        (error: unknown) => {
          strictEqual((error as LegerError).code, "ERR_USAGE");
          strictEqual(
            (error as LegerError).message,
            `Cannot use --timeout "${value}": expected seconds from 0.001 to 2147483.647`,
          );
          return error instanceof LegerError;
        },
      );
    });
  }
});
