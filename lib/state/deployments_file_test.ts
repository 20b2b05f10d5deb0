import { deepStrictEqual, rejects, strictEqual } from "node:assert/strict";
import { dump } from "js-yaml";
import {
  type InstalledDeployment,
  readDeployments,
  writeDeployments,
} from "./deployments_file.ts";

const SHA = "ab".repeat(32);

/** An entry as leger writes it. */
function entry(name = "web"): InstalledDeployment {
  return {
    name,
    scope: "user",
    source: {
      type: "git",
      location: "https://git.example.com/r.git",
      ref: "main",
      commit: "c0ffee",
    },
    installed_at: "2025-10-16T12:00:00.000Z",
    files: [{ name: "web.container", sha256: SHA }, {
      name: "web.container.d/10-limits.conf",
      sha256: SHA,
    }],
    units: ["web.container"],
    services: ["web.service"],
    unit_services: ["web.service"],
    volumes: [],
    networks: [],
    change_id: "0b8e",
  };
}

async function withStateDir(
  text: string | null,
  fn: (dir: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "leger_" });
  try {
    if (text !== null) {
      await Deno.writeTextFile(`${dir}/deployments.yaml`, text);
    }
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** deployments.yaml holding `entries` (each a changed copy of entry()). */
function yaml(...entries: unknown[]): string {
  return dump({ deployments: entries }, { lineWidth: -1 });
}

/** entry() with `changes` applied; `undefined` deletes a field. */
function changed(changes: Record<string, unknown>): Record<string, unknown> {
  const value: Record<string, unknown> = { ...entry() };
  for (const [key, change] of Object.entries(changes)) {
    if (change === undefined) delete value[key];
    else value[key] = change;
  }
  return value;
}

Deno.test("readDeployments() reads back what writeDeployments() wrote, and nothing as empty", async () => {
  await withStateDir(null, async (dir) => {
    deepStrictEqual(await readDeployments(dir), []);
    const older = { ...entry("api") };
    delete older.unit_services;
    delete older.networks;
    delete older.change_id;
    await writeDeployments(dir, [entry("web"), older]);
    deepStrictEqual(await readDeployments(dir), [older, entry("web")]);
  });
  for (
    const text of [
      "deployments:\n",
      "deployments: []\n",
      "\uFEFFdeployments: []\n",
    ]
  ) {
    await withStateDir(text, async (dir) => {
      deepStrictEqual(await readDeployments(dir), [], JSON.stringify(text));
    });
  }
});

Deno.test("readDeployments() refuses a damaged deployments.yaml, naming the entry and the field", async (t) => {
  const cases: [string, string, string][] = [
    [
      "an entry that is null",
      "deployments:\n  - null\n",
      "deployments[0] must be a mapping, not null",
    ],
    [
      "an entry that is a string",
      yaml("web"),
      'deployments[0] must be a mapping, not "web"',
    ],
    [
      "a list of deployments that is not one",
      "deployments: web\n",
      'deployments must be a list, not "web"',
    ],
    [
      "a document that is a list",
      "- web\n",
      "the document must be a mapping, not a list",
    ],
    [
      "text that is not YAML",
      "deployments: [\n",
      "the document is not YAML (line 2): ",
    ],
    [
      "a missing name",
      yaml(changed({ name: undefined })),
      "deployments[0].name is missing",
    ],
    [
      "a name that is a number",
      yaml(changed({ name: 5 })),
      "deployments[0].name must be a non-empty string, not 5",
    ],
    [
      "a name that is a path",
      yaml(changed({ name: "../../etc" })),
      'deployments[0] ("../../etc").name is not a deployment name leger accepts: it starts with ".", which hides it from leger deploy list',
    ],
    [
      "a second entry of the same name",
      yaml(entry(), entry()),
      'deployments[1] ("web") repeats the name of deployments[0]',
    ],
    [
      "an unknown scope",
      yaml(changed({ scope: "root" })),
      'deployments[0] ("web").scope must be "user" or "system", not "root"',
    ],
    [
      "a missing source",
      yaml(changed({ source: undefined })),
      'deployments[0] ("web").source is missing',
    ],
    [
      "a source that is a string",
      yaml(changed({ source: "./app" })),
      'deployments[0] ("web").source must be a mapping, not "./app"',
    ],
    [
      "an unknown source type",
      yaml(changed({ source: { type: "svn", location: "x" } })),
      'deployments[0] ("web").source.type must be "local" or "git" or "leger.run", not "svn"',
    ],
    [
      "a source without location",
      yaml(changed({ source: { type: "local" } })),
      'deployments[0] ("web").source.location is missing',
    ],
    [
      "a version that is a number",
      yaml(changed({ source: { type: "local", location: "/a", version: 3 } })),
      'deployments[0] ("web").source.version must be a non-empty string, not 3',
    ],
    [
      "a date that is not one",
      yaml(changed({ installed_at: "yesterday" })),
      'deployments[0] ("web").installed_at must be a date such as "2025-10-16T12:00:00.000Z", not "yesterday"',
    ],
    [
      "files that are a string",
      yaml(changed({ files: "web.container" })),
      'deployments[0] ("web").files must be a list, not "web.container"',
    ],
    [
      "a file that is null",
      yaml(changed({ files: [null] })),
      'deployments[0] ("web").files[0] must be a mapping, not null',
    ],
    [
      "a file outside the folder",
      yaml(changed({ files: [{ name: "../../.bashrc", sha256: SHA }] })),
      'deployments[0] ("web").files[0].name must be a path inside the deployment\'s folder, not "../../.bashrc"',
    ],
    [
      "an absolute file",
      yaml(changed({ files: [{ name: "/etc/passwd", sha256: SHA }] })),
      'deployments[0] ("web").files[0].name must be a path inside the deployment\'s folder, not "/etc/passwd"',
    ],
    [
      "a checksum that is not one",
      yaml(changed({ files: [{ name: "web.container", sha256: "abc" }] })),
      'deployments[0] ("web").files[0].sha256 must be 64 lower-case hex digits (a SHA-256), not "abc"',
    ],
    [
      "units missing",
      yaml(changed({ units: undefined })),
      'deployments[0] ("web").units is missing',
    ],
    [
      "services that are a string",
      yaml(changed({ services: "web.service" })),
      'deployments[0] ("web").services must be a list, not "web.service"',
    ],
    [
      "a service that is null",
      yaml(changed({ services: [null] })),
      'deployments[0] ("web").services[0] must be a non-empty string, not null',
    ],
    [
      "volumes that are a mapping",
      yaml(changed({ volumes: { a: 1 } })),
      'deployments[0] ("web").volumes must be a list, not a mapping',
    ],
    [
      "networks that are a number",
      yaml(changed({ networks: 5 })),
      'deployments[0] ("web").networks must be a list, not 5',
    ],
    [
      "unit_services with an empty name",
      yaml(changed({ unit_services: [""] })),
      'deployments[0] ("web").unit_services[0] must be a non-empty string, not ""',
    ],
    [
      "a change id that is a number",
      yaml(changed({ change_id: 7 })),
      'deployments[0] ("web").change_id must be a non-empty string, not 7',
    ],
    [
      "the second entry bad",
      yaml(entry(), changed({ name: "api", scope: null })),
      'deployments[1] ("api").scope must be "user" or "system", not null',
    ],
  ];
  for (const [name, text, problem] of cases) {
    await t.step(name, async () => {
      await withStateDir(text, async (dir) => {
        const path = `${dir}/deployments.yaml`;
        await rejects(
          readDeployments(dir),
          (error: Error & Record<string, unknown>) => {
            strictEqual(error.name, "LegerError");
            strictEqual(error.code, "ERR_STATE_INVALID");
            strictEqual(error.file, path);
            strictEqual(
              error.message.startsWith(`Cannot read ${path}: ${problem}`),
              true,
              error.message,
            );
            strictEqual(
              (error.remedy as string).startsWith(
                "Correct the entry by hand, or restore the file from a backup",
              ),
              true,
            );
            return true;
          },
        );
      });
    });
  }
});

Deno.test("readDeployments() names the file when it cannot be read", async () => {
  // A state folder that is a file: every read through it fails.
  const dir = await Deno.makeTempDir({ prefix: "leger_" });
  try {
    await Deno.writeTextFile(`${dir}/leger`, "");
    await rejects(readDeployments(`${dir}/leger`), {
      name: "LegerError",
      code: "ERR_PATH_TYPE",
      message:
        `Cannot read "${dir}/leger/deployments.yaml": a part of the path is a file, not a folder`,
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
