import {
  deepStrictEqual,
  notDeepStrictEqual,
  ok,
  strictEqual,
} from "node:assert/strict";
import { loadDigestKey } from "./digest_key.ts";

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "leger_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function hex(key: Uint8Array): string {
  return Array.from(key, (b) => b.toString(16).padStart(2, "0")).join("");
}

Deno.test("loadDigestKey() makes a 32-byte key 0600 once, then loads the same one", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/state/legerd.key`;
    const lines: string[] = [];
    const first = await loadDigestKey(path, { log: (l) => lines.push(l) });
    strictEqual(first.created, true);
    strictEqual(first.key.length, 32);
    strictEqual((await Deno.stat(path)).mode! & 0o777, 0o600);
    strictEqual(await Deno.readTextFile(path), `${hex(first.key)}\n`);
    const second = await loadDigestKey(path, { log: (l) => lines.push(l) });
    deepStrictEqual(second, { key: first.key, created: false });
    deepStrictEqual(lines, [`Made the digest key ${path} (mode 0600)`]);
    ok(lines.every((line) => !line.includes(hex(first.key))));
    // No temporary file left beside it.
    const names = [];
    for await (const entry of Deno.readDir(`${dir}/state`)) {
      names.push(entry.name);
    }
    deepStrictEqual(names, ["legerd.key"]);
  });
});

Deno.test("loadDigestKey() gives two legerd starting at once the same key", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/legerd.key`;
    const [a, b] = await Promise.all([
      loadDigestKey(path),
      loadDigestKey(path),
    ]);
    deepStrictEqual(a.key, b.key);
  });
});

Deno.test("loadDigestKey() sets a key readable by others back to 0600", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/legerd.key`;
    await Deno.writeTextFile(path, `${"ab".repeat(32)}\n`, { mode: 0o644 });
    await Deno.chmod(path, 0o644);
    const lines: string[] = [];
    const { key, created } = await loadDigestKey(path, {
      log: (l) => lines.push(l),
    });
    strictEqual(created, false);
    strictEqual(hex(key), "ab".repeat(32));
    strictEqual((await Deno.stat(path)).mode! & 0o777, 0o600);
    deepStrictEqual(lines, [
      `Set the digest key ${path} back to mode 0600 (it was 0644)`,
    ]);
  });
});

Deno.test("loadDigestKey() replaces a file that holds no key", async (t) => {
  for (const text of ["", "abc\n", `${"AB".repeat(32)}\n`, "x".repeat(64)]) {
    await t.step(JSON.stringify(text.slice(0, 10)), async () => {
      await withDir(async (dir) => {
        const path = `${dir}/legerd.key`;
        await Deno.writeTextFile(path, text, { mode: 0o600 });
        const { key, created } = await loadDigestKey(path);
        strictEqual(created, true);
        notDeepStrictEqual(hex(key), text.trim());
        strictEqual(await Deno.readTextFile(path), `${hex(key)}\n`);
        strictEqual((await Deno.stat(path)).mode! & 0o777, 0o600);
      });
    });
  }
});
