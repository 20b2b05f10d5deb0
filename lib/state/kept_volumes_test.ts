import { deepStrictEqual, rejects } from "node:assert/strict";
import { readKeptVolumes, setKeptVolumes } from "./kept_volumes.ts";

async function withStateDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "leger_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("readKeptVolumes() reads back what setKeptVolumes() recorded", async () => {
  await withStateDir(async (dir) => {
    deepStrictEqual(await readKeptVolumes(dir), {});
    await setKeptVolumes(dir, "web", ["systemd-data"]);
    await setKeptVolumes(dir, "api", ["systemd-db", "systemd-cache"]);
    deepStrictEqual(await readKeptVolumes(dir), {
      web: ["systemd-data"],
      api: ["systemd-db", "systemd-cache"],
    });
    await setKeptVolumes(dir, "web", []);
    deepStrictEqual(await readKeptVolumes(dir), {
      api: ["systemd-db", "systemd-cache"],
    });
  });
});

Deno.test("readKeptVolumes() refuses a damaged kept-volumes.json, naming the entry", async (t) => {
  const cases: [string, string, string][] = [
    ["not JSON", "{", "the document is not JSON: "],
    ["null", "null", "the document must be a mapping, not null"],
    ["a list", '["web"]', "the document must be a mapping, not a list"],
    [
      "an entry that is a string",
      '{"web": "systemd-data"}',
      '"web" must be a list, not "systemd-data"',
    ],
    [
      "an entry that is null",
      '{"web": null}',
      '"web" must be a list, not null',
    ],
    [
      "a volume that is a number",
      '{"web": ["a", 5]}',
      '"web"[1] must be a non-empty string, not 5',
    ],
  ];
  for (const [name, text, problem] of cases) {
    await t.step(name, async () => {
      await withStateDir(async (dir) => {
        const path = `${dir}/kept-volumes.json`;
        await Deno.writeTextFile(path, text);
        await rejects(readKeptVolumes(dir), {
          name: "LegerError",
          code: "ERR_STATE_INVALID",
          file: path,
          message: new RegExp(
            `^Cannot read ${path}: ${RegExp.escape(problem)}`,
          ),
          remedy:
            /^Correct the entry by hand \(deployment name: list of Podman volume names\), or delete the file/,
        });
        // Recording another deployment's volumes does not paper over it.
        await rejects(setKeptVolumes(dir, "api", ["x"]), {
          code: "ERR_STATE_INVALID",
        });
      });
    });
  }
});
