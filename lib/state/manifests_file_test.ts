import { deepStrictEqual, rejects } from "node:assert/strict";
import type { Manifest } from "../manifest/types.ts";
import { readManifests, setManifest } from "./manifests_file.ts";

const SHA = "cd".repeat(32);

/** A manifest as leger records it (every optional field given). */
const MANIFEST: Manifest = {
  form: "cli",
  name: "web",
  description: "A web site",
  version: "3",
  userUuid: "f44a09fc-90d1-5f2b-bf2c-7380100ec435",
  createdAt: "2025-10-16T12:00:00Z",
  releaseId: "rel_1",
  services: [{
    name: "web",
    quadletFile: "web.container",
    image: "docker.io/library/nginx:latest",
    ports: ["8080:80"],
    secretsRequired: ["api-key"],
  }],
  volumes: [{ name: "web-data", mountPath: "/data" }],
  files: [
    { name: "web.container", type: "container", sha256: SHA, size: 120 },
    { name: "web-data.volume", type: "volume" },
  ],
  secretsRequired: ["api-key"],
  requires: [],
  ports: ["8080:80"],
  health: { web: "http://127.0.0.1:8080/health" },
  units: { container: ["web.container"], volume: ["web-data.volume"] },
};

async function withFile(
  text: string,
  fn: (dir: string, path: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "leger_" });
  try {
    await Deno.writeTextFile(`${dir}/manifest.json`, text);
    await fn(dir, `${dir}/manifest.json`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** manifest.json with the manifest of "web" changed by `changes` (`undefined` deletes). */
function withWeb(changes: Record<string, unknown>): string {
  const web: Record<string, unknown> = { ...MANIFEST };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete web[key];
    else web[key] = value;
  }
  return JSON.stringify({ deployments: { web } });
}

Deno.test("readManifests() reads what leger records, and nothing as empty", async () => {
  deepStrictEqual(await readManifests("/nonexistent"), {});
  const minimal: Manifest = {
    form: "discovered",
    services: [],
    volumes: [],
    files: [{ name: "web.container" }],
    secretsRequired: [],
    requires: [],
  };
  await withFile(
    JSON.stringify({ deployments: { web: MANIFEST, api: minimal } }, null, 2),
    async (dir) => {
      deepStrictEqual(await readManifests(dir), {
        web: MANIFEST,
        api: minimal,
      });
    },
  );
  await withFile(
    "{}",
    async (dir) => deepStrictEqual(await readManifests(dir), {}),
  );
});

Deno.test("readManifests() refuses a damaged manifest.json, naming the entry and the field", async (t) => {
  const at = 'deployments["web"]';
  const cases: [string, string, string][] = [
    ["not JSON", '{"deployments": ', "the document is not JSON: "],
    ["null", "null", "the document must be a mapping, not null"],
    [
      "deployments that are a list",
      '{"deployments": []}',
      "deployments must be a mapping, not a list",
    ],
    [
      "an entry that is null",
      '{"deployments": {"web": null}}',
      `${at} must be a mapping, not null`,
    ],
    [
      "an unknown form",
      withWeb({ form: "yaml" }),
      `${at}.form must be "cli" or "file-list" or "leger.yaml" or "discovered", not "yaml"`,
    ],
    [
      "services missing",
      withWeb({ services: undefined }),
      `${at}.services is missing`,
    ],
    [
      "files that are a string",
      withWeb({ files: "web.container" }),
      `${at}.files must be a list, not "web.container"`,
    ],
    [
      "a file that is null",
      withWeb({ files: [null] }),
      `${at}.files[0] must be a mapping, not null`,
    ],
    [
      "a health URL that is a number",
      withWeb({ health: { web: 8080 } }),
      `${at}.health.web must be a non-empty string, not 8080`,
    ],
    [
      "a size below zero",
      withWeb({ files: [{ name: "a", size: -5 }] }),
      `${at}.files[0].size must be a whole number of bytes, not -5`,
    ],
    [
      "a checksum that is not one",
      withWeb({ files: [{ name: "a", sha256: "x" }] }),
      `${at}.files[0].sha256 must be 64 lower-case hex digits (a SHA-256), not "x"`,
    ],
    [
      "a service without its unit",
      withWeb({ services: [{ name: "web" }] }),
      `${at}.services[0].quadletFile is missing`,
    ],
    [
      "ports that are a number",
      withWeb({
        services: [{ name: "web", quadletFile: "web.container", ports: 80 }],
      }),
      `${at}.services[0].ports must be a list, not 80`,
    ],
    [
      "a volume without a name",
      withWeb({ volumes: [{ mountPath: "/data" }] }),
      `${at}.volumes[0].name is missing`,
    ],
    [
      "required secrets that are a string",
      withWeb({ secretsRequired: "api-key" }),
      `${at}.secretsRequired must be a list, not "api-key"`,
    ],
    [
      "a name that is a number",
      withWeb({ name: 5 }),
      `${at}.name must be a non-empty string, not 5`,
    ],
    [
      "units that are a list",
      withWeb({ units: ["web.container"] }),
      `${at}.units must be a mapping, not a list`,
    ],
    [
      "units of a kind that are a string",
      withWeb({ units: { container: "web.container" } }),
      `${at}.units.container must be a list, not "web.container"`,
    ],
  ];
  for (const [name, text, problem] of cases) {
    await t.step(name, async () => {
      await withFile(text, async (dir, path) => {
        await rejects(readManifests(dir), {
          name: "LegerError",
          code: "ERR_STATE_INVALID",
          file: path,
          message: new RegExp(
            `^Cannot read ${path}: ${RegExp.escape(problem)}`,
          ),
          remedy: /^Correct the entry by hand, or delete the file/,
        });
      });
    });
  }
});

Deno.test("setManifest() sets one deployment's manifest and forgets it, keeping the others", async () => {
  const dir = await Deno.makeTempDir({ prefix: "leger_" });
  try {
    await setManifest(dir, "web", MANIFEST);
    await setManifest(dir, "api", { ...MANIFEST, name: "api" });
    deepStrictEqual(Object.keys(await readManifests(dir)).sort(), [
      "api",
      "web",
    ]);
    deepStrictEqual((await readManifests(dir)).web, MANIFEST);
    await setManifest(dir, "web", null);
    deepStrictEqual(Object.keys(await readManifests(dir)), ["api"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
