import { deepStrictEqual, rejects, strictEqual } from "node:assert/strict";
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

Deno.test({
  name: "writeFileAtomic() names the folder it may not write to",
  permissions: { read: true, write: ["/tmp/leger_write_only_here"] },
  async fn() {
    await rejects(
      writeFileAtomic(
        "/tmp/leger_not_allowed/state/deployments.yaml",
        new TextEncoder().encode("x"),
      ),
      {
        name: "LegerError",
        code: "ERR_STATE_UNWRITABLE",
        message:
          `Cannot write to "/tmp/leger_not_allowed/state": leger's --allow-write permission does not cover it`,
      },
    );
  },
});

Deno.test("writeFileAtomic() names the path when a folder stands where the file goes, or a file where a folder goes", async () => {
  const dir = await Deno.makeTempDir({ prefix: "leger_" });
  try {
    await Deno.mkdir(`${dir}/state.yaml`);
    await Deno.writeTextFile(`${dir}/leger`, "");
    const cases: [string, RegExp][] = [
      [
        `${dir}/state.yaml`,
        new RegExp(
          `^Cannot write "${dir}/state\\.yaml": it is a folder, not a file$`,
        ),
      ],
      [
        `${dir}/leger/deployments.yaml`,
        new RegExp(
          `^Cannot write "${dir}/leger/deployments\\.yaml": "${dir}/leger" is a file, where a folder must be$`,
        ),
      ],
    ];
    for (const [path, message] of cases) {
      await rejects(writeFileAtomic(path, new TextEncoder().encode("x")), {
        name: "LegerError",
        code: "ERR_PATH_TYPE",
        message,
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
