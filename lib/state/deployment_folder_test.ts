import { deepStrictEqual, rejects, strictEqual } from "node:assert/strict";
import {
  type DeploymentRecord,
  listDeploymentRecords,
  readDeploymentFolder,
  RECORD_FILE,
  writeDeploymentFolder,
} from "./deployment_folder.ts";

const encoder = new TextEncoder();

function record(name = "web"): DeploymentRecord {
  return {
    deployment: name,
    source: { type: "local", location: "/srv/web", version: "1" },
    fetched_at: "2025-10-16T12:00:00.000Z",
    files: [
      { name: "web.container", sha256: "ab".repeat(32) },
      { name: "web.container.d/10-limits.conf", sha256: "cd".repeat(32) },
    ],
    normalisations: [
      { file: "web.container", line: 3, before: "After=x.service", after: "" },
      {
        file: "web.container",
        line: null,
        before: "web.container.container",
        after: "web.container",
      },
    ],
  };
}

const FILES = new Map([
  ["web.container", encoder.encode("[Container]\nImage=nginx\n")],
  [
    "web.container.d/10-limits.conf",
    encoder.encode("[Container]\nMemory=1g\n"),
  ],
]);

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "leger_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("readDeploymentFolder() and listDeploymentRecords() read what writeDeploymentFolder() wrote", async () => {
  await withDir(async (dir) => {
    strictEqual(await readDeploymentFolder(`${dir}/staged/web`), null);
    deepStrictEqual(await listDeploymentRecords(`${dir}/staged`), []);
    await writeDeploymentFolder(`${dir}/staged/web`, record(), FILES);
    await writeDeploymentFolder(`${dir}/staged/api`, record("api"), FILES);
    // A folder without a record is not one of leger's.
    await Deno.mkdir(`${dir}/staged/other`);
    deepStrictEqual(await readDeploymentFolder(`${dir}/staged/web`), {
      record: record(),
      files: FILES,
    });
    deepStrictEqual(await listDeploymentRecords(`${dir}/staged`), [
      record("api"),
      record(),
    ]);
  });
});

Deno.test("readDeploymentFolder() and listDeploymentRecords() refuse a damaged record, naming the field", async (t) => {
  const change = (changes: Record<string, unknown>) => {
    const value: Record<string, unknown> = { ...record() };
    for (const [key, v] of Object.entries(changes)) {
      if (v === undefined) delete value[key];
      else value[key] = v;
    }
    return JSON.stringify(value);
  };
  const cases: [string, string, string][] = [
    ["not JSON", "{", "the document is not JSON: "],
    ["null", "null", "the document must be a mapping, not null"],
    [
      "another deployment's record",
      change({ deployment: "api" }),
      'deployment is "api", not the folder\'s name "web"',
    ],
    [
      "no deployment",
      change({ deployment: undefined }),
      "deployment is missing",
    ],
    [
      "a source of an unknown type",
      change({ source: { type: "ftp", location: "x" } }),
      'source.type must be "local" or "git" or "leger.run", not "ftp"',
    ],
    [
      "a date that is not one",
      change({ fetched_at: 5 }),
      "fetched_at must be a non-empty string, not 5",
    ],
    [
      "files that are null",
      change({ files: null }),
      "files must be a list, not null",
    ],
    [
      "a file that climbs out",
      change({
        files: [{
          name: "../active/web/web.container",
          sha256: "ab".repeat(32),
        }],
      }),
      `files[0].name must be a path inside the deployment's folder, not "../active/web/web.container"`,
    ],
    [
      "a checksum in capitals",
      change({ files: [{ name: "web.container", sha256: "AB".repeat(32) }] }),
      "files[0].sha256 must be 64 lower-case hex digits (a SHA-256)",
    ],
    [
      "normalisations that are a string",
      change({ normalisations: "none" }),
      'normalisations must be a list, not "none"',
    ],
    [
      "a normalisation line of zero",
      change({
        normalisations: [{ file: "a", line: 0, before: "", after: "" }],
      }),
      "normalisations[0].line must be a line number or null, not 0",
    ],
    [
      "a normalisation without its text",
      change({ normalisations: [{ file: "a", line: 1, before: "x" }] }),
      "normalisations[0].after is missing",
    ],
  ];
  for (const [name, text, problem] of cases) {
    await t.step(name, async () => {
      await withDir(async (dir) => {
        await writeDeploymentFolder(`${dir}/staged/web`, record(), FILES);
        const path = `${dir}/staged/web/${RECORD_FILE}`;
        await Deno.writeTextFile(path, text);
        const expected = {
          name: "LegerError",
          code: "ERR_STATE_INVALID",
          file: path,
          message: new RegExp(
            `^Cannot read ${path}: ${RegExp.escape(problem)}`,
          ),
          remedy: new RegExp(
            `^leger wrote this record of the folder's files: move the folder out of ${dir}/staged \\(\`mkdir -p ${dir}/damaged && mv ${dir}/staged/web "\\$\\(mktemp -d ${dir}/damaged/web-\\$\\(date \\+%Y%m%dT%H%M%S\\)-XXXXXX\\)"\`\\)`,
          ),
        };
        await rejects(readDeploymentFolder(`${dir}/staged/web`), expected);
        await rejects(listDeploymentRecords(`${dir}/staged`), expected);
      });
    });
  }
});

Deno.test("readDeploymentFolder() names a file the record lists but the folder lacks", async () => {
  await withDir(async (dir) => {
    await writeDeploymentFolder(`${dir}/active/web`, record(), FILES);
    await Deno.remove(`${dir}/active/web/web.container.d/10-limits.conf`);
    const path = `${dir}/active/web/${RECORD_FILE}`;
    await rejects(readDeploymentFolder(`${dir}/active/web`), {
      code: "ERR_STATE_INVALID",
      message:
        `Cannot read ${path}: files[1] ("web.container.d/10-limits.conf") names a file that is not in the folder`,
    });
  });
});

Deno.test({
  name:
    "writeDeploymentFolder() names the folder it may not write to, and leaves nothing behind",
  permissions: { read: true, write: ["/tmp/leger_write_only_here"] },
  async fn() {
    await rejects(
      writeDeploymentFolder(
        "/tmp/leger_not_allowed/staged/web",
        record(),
        FILES,
      ),
      {
        name: "LegerError",
        code: "ERR_STATE_UNWRITABLE",
        message:
          `Cannot write to "/tmp/leger_not_allowed/staged": leger's --allow-write permission does not cover it`,
      },
    );
  },
});

Deno.test("writeDeploymentFolder() names the path a file stands in", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/staged`, "");
    await rejects(
      writeDeploymentFolder(`${dir}/staged/web`, record(), FILES),
      {
        name: "LegerError",
        code: "ERR_PATH_TYPE",
        message:
          `Cannot write "${dir}/staged/web": "${dir}/staged" is a file, where a folder must be`,
      },
    );
    deepStrictEqual(
      (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name),
      ["staged"],
    );
  });
});

Deno.test("the remedy for a damaged folder, pasted, takes it out of the folder leger reads (no NAME.damaged loop), again and again", async () => {
  await withDir(async (dir) => {
    await writeDeploymentFolder(
      `${dir}/active/late`,
      { ...record(), deployment: "late" },
      FILES,
    );
    // The same deployment damaged twice: the second move must not meet the first.
    for (const time of [1, 2]) {
      await writeDeploymentFolder(`${dir}/active/web`, record(), FILES);
      await Deno.remove(`${dir}/active/web/${[...FILES.keys()][0]}`);
      const error = await readDeploymentFolder(`${dir}/active/web`).then(
        () => null,
        (e) => e,
      );
      const command = /`([^`]+)`/.exec(error.remedy)![1];
      const shell = new Deno.Command("sh", {
        args: ["-c", command],
        stderr: "piped",
      });
      const { code, stderr } = await shell.output();
      strictEqual(code, 0, `${command}: ${new TextDecoder().decode(stderr)}`);
      // Nothing left in active/ that leger refuses: the other deployment reads.
      deepStrictEqual(
        (await listDeploymentRecords(`${dir}/active`)).map((r) => r.deployment),
        ["late"],
      );
      strictEqual(await readDeploymentFolder(`${dir}/active/web`), null);
      const kept = await Array.fromAsync(Deno.readDir(`${dir}/damaged`));
      strictEqual(kept.length, time);
    }
  });
});
