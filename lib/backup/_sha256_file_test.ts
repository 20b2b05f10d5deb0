import { deepStrictEqual, rejects, strictEqual } from "node:assert/strict";
import { createHash } from "node:crypto";
import { sha256File, sha256WhileWritten } from "./_sha256_file.ts";

function digestOf(bytes: Uint8Array) {
  return {
    sha256: createHash("sha256").update(bytes).digest("hex"),
    bytes: bytes.length,
  };
}

/** 3 MiB and a bit, so that the file spans several chunks. */
const CONTENT = new Uint8Array((3 << 20) + 123).map((_, i) => i % 251);

Deno.test("sha256File() hashes a file in chunks", async () => {
  const dir = await Deno.makeTempDir({ prefix: "leger_" });
  try {
    await Deno.writeFile(`${dir}/f`, CONTENT);
    const seen: number[] = [];
    deepStrictEqual(
      await sha256File(`${dir}/f`, { onBytes: (n) => seen.push(n) }),
      digestOf(CONTENT),
    );
    deepStrictEqual(seen.at(-1), CONTENT.length);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sha256WhileWritten() hashes a file as another writer appends to it", async (t) => {
  const cases = [
    { name: "created at once", createLater: false },
    { name: "created after the hash started", createLater: true },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      const dir = await Deno.makeTempDir({ prefix: "leger_" });
      try {
        const path = `${dir}/f`;
        // The writer moves on only when told: each step is a write the reader must catch up with.
        const steps: (() => void)[] = [];
        const next = () => new Promise<void>((resolve) => steps.push(resolve));
        const writing = (async () => {
          if (c.createLater) await next();
          using file = await Deno.open(path, { write: true, create: true });
          for (let at = 0; at < CONTENT.length; at += 1 << 20) {
            await file.write(CONTENT.subarray(at, at + (1 << 20)));
            await next();
          }
        })();
        const hashing = sha256WhileWritten(path, writing, { pollMs: 1 });
        // Release the writer step by step, until it is done.
        let done = false;
        writing.finally(() => done = true);
        for (let i = 0; i < 100 && !done; i++) {
          await new Promise((resolve) => setTimeout(resolve, 1));
          steps.shift()?.();
        }
        deepStrictEqual(await hashing, digestOf(CONTENT));
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    });
  }
});

Deno.test("sha256WhileWritten() fails as the writer does, and hashes again a file not written in order", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "leger_" });
  try {
    await t.step("a writer that fails before creating the file", async () => {
      await rejects(
        sha256WhileWritten(
          `${dir}/never`,
          Promise.reject(new Error("no such volume")),
          { pollMs: 1 },
        ),
        { message: "no such volume" },
      );
    });
    await t.step("a writer that shortens the file at the end", async () => {
      const path = `${dir}/short`;
      await Deno.writeFile(path, CONTENT);
      // However the two interleave, the hash is of what the file holds at the end.
      const writing = Deno.truncate(path, 1000);
      const digest = await sha256WhileWritten(path, writing, { pollMs: 1 });
      deepStrictEqual(digest, digestOf(CONTENT.subarray(0, 1000)));
      strictEqual(digest.bytes, 1000);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
