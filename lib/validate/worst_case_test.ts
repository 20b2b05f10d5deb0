/**
 * Guards against quadratic time from bytes to plan without timing anything:
 * `lib/testing/block_counts.ts` plans each worst shape of
 * `lib/testing/worst_cases.ts` at two sizes, the second twice the first, and
 * counts how often each block of leger's code runs (V8's precise block
 * coverage). Any block that runs more than three times as often at twice the
 * size (a quadratic one runs four times as often) fails the test, named with
 * its function, file and code.
 *
 * The counting runs in a `deno` of its own, without V8's optimising
 * compilers: code they compile does not count its calls.
 *
 * @module
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import type { BlockReport } from "../testing/block_counts.ts";

const COUNTER = new URL("../testing/block_counts.ts", import.meta.url);
const CONFIG = new URL("../../deno.json", import.meta.url);

async function measure(): Promise<BlockReport> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--v8-flags=--no-opt,--no-maglev",
      "--cached-only",
      `--config=${CONFIG.pathname}`,
      "--allow-read",
      // node:inspector, which reads the counts, asks for it.
      "--allow-sys",
      COUNTER.pathname,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  ok(code === 0, `block_counts.ts failed:\n${decoder.decode(stderr)}`);
  return JSON.parse(decoder.decode(stdout));
}

Deno.test("planFiles() over the worst shapes runs no block of leger's code more than three times as often at twice the size", async (t) => {
  const report = await measure();
  await t.step(
    "the counting flags a quadratic block, not an n log n one",
    () => {
      deepStrictEqual(
        report.selfCheck.map((g) => g.where),
        ["pairs in testing/block_counts.ts"],
      );
    },
  );
  ok(report.shapes.length >= 16, "every worst shape is planned");
  for (const shape of report.shapes) {
    await t.step(shape.name, () => {
      ok(shape.acceptedAsExpected, `${shape.name} is accepted or refused`);
      deepStrictEqual(
        shape.growths.map((g) =>
          `${g.where} (${g.code}…): ${g.small} -> ${g.large} times`
        ),
        [],
        `planning "${shape.name}" at twice the size ran these blocks more than three times as often (quadratic time?)`,
      );
    });
  }
});
