import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { writeFileAtomic } from "./write_file_atomic.ts";

Deno.test("writeFileAtomic() creates the folder and writes the bytes with the mode", async () => {
  const dir = await Deno.makeTempDir({ prefix: "leger_" });
  try {
    const path = `${dir}/a/b/auth.json`;
    await writeFileAtomic(path, new TextEncoder().encode("{}"), {
      mode: 0o600,
    });
    strictEqual(await Deno.readTextFile(path), "{}");
    strictEqual((await Deno.stat(path)).mode! & 0o777, 0o600);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeFileAtomic() replaces a file and leaves no temporary file behind", async () => {
  const dir = await Deno.makeTempDir({ prefix: "leger_" });
  try {
    const path = `${dir}/state.yaml`;
    await writeFileAtomic(path, new TextEncoder().encode("old"));
    await writeFileAtomic(path, new TextEncoder().encode("new"));
    strictEqual(await Deno.readTextFile(path), "new");
    deepStrictEqual(
      (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name),
      ["state.yaml"],
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeFileAtomic() removes its temporary file when the rename fails", async () => {
  const dir = await Deno.makeTempDir({ prefix: "leger_" });
  try {
    // A folder where the file should go makes the final rename fail.
    await Deno.mkdir(`${dir}/state.yaml`);
    await Deno.writeTextFile(`${dir}/state.yaml/keep`, "old");
    let failed = false;
    try {
      await writeFileAtomic(
        `${dir}/state.yaml`,
        new TextEncoder().encode("new"),
      );
    } catch {
      failed = true;
    }
    strictEqual(failed, true);
    strictEqual(await Deno.readTextFile(`${dir}/state.yaml/keep`), "old");
    deepStrictEqual(
      (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name),
      ["state.yaml"],
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
