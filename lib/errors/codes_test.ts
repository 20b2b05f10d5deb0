import { ok, strictEqual } from "node:assert/strict";
import { ERROR_CODES, type ErrorCode } from "./codes.ts";
import { LegerError } from "./leger_error.ts";

const CODES = Object.keys(ERROR_CODES) as ErrorCode[];

Deno.test("ERROR_CODES gives every code a description, an exit code and a remedy", async (t) => {
  for (const code of CODES) {
    await t.step(code, () => {
      const { description, exit, remedy } = ERROR_CODES[code];
      ok(/^ERR_[A-Z0-9_]+$/.test(code));
      ok(description.trim().length > 10, description);
      ok([1, 2, 4, 130].includes(exit));
      ok(remedy.trim().length > 10, `${code} has no remedy`);
      // Written as the style guide asks: a sentence without a final period.
      ok(/^[A-Z`]/.test(remedy) || /^leger/.test(remedy), remedy);
      ok(!remedy.endsWith("."), remedy);
      ok(!remedy.includes("\n"), remedy);
    });
  }
});

Deno.test("LegerError takes its code's remedy when it has none of its own", () => {
  for (const code of CODES) {
    strictEqual(
      new LegerError(code, "Cannot x").remedy,
      ERROR_CODES[code].remedy,
    );
    strictEqual(
      new LegerError(code, "Cannot x").toJSON().remedy,
      ERROR_CODES[code].remedy,
    );
  }
  strictEqual(
    new LegerError("ERR_PORT_CONFLICT", "Cannot x", { remedy: "Change it" })
      .remedy,
    "Change it",
  );
});
