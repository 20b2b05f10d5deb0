import {
  deepStrictEqual,
  match,
  ok,
  rejects,
  strictEqual,
} from "node:assert/strict";
import { listTree, tempFolder } from "../../tests/_folders.ts";
import {
  checkOutput,
  prepareOutput,
  removeStaleStaging,
  STAGING_REGEXP,
  tidyOutput,
} from "./output.ts";

const X86 = "x86_64-unknown-linux-gnu";

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = new Deno.Command("true").spawn();
  await child.status;
  return child.pid;
}

Deno.test("checkOutput() accepts missing paths, folders, links to folders and files to replace", async () => {
  await using dir = await tempFolder({
    "dist/leger": "old\n",
    [`all/${X86}/legerd`]: "old\n",
  });
  const d = dir.path;
  await Deno.mkdir(`${d}/real`);
  await Deno.symlink(`${d}/real`, `${d}/link`);
  await Deno.symlink("real", `${d}/relative-link`);
  await Deno.symlink(`${d}/nothing`, `${d}/dist/legerd`);
  for (const out of ["dist", "new/deeper", "link", "relative-link"]) {
    await checkOutput([`${d}/${out}`], [
      `${d}/${out}/leger`,
      `${d}/${out}/legerd`,
    ]);
  }
  await checkOutput([`${d}/all`, `${d}/all/${X86}`], [
    `${d}/all/${X86}/leger`,
    `${d}/all/${X86}/legerd`,
  ]);
  // Nothing was created or changed.
  deepStrictEqual(await listTree(d), [
    "all",
    `all/${X86}`,
    `all/${X86}/legerd`,
    "dist",
    "dist/leger",
    "dist/legerd",
    "link",
    "real",
    "relative-link",
  ]);
});

Deno.test("checkOutput() refuses a file or a dangling link where a folder goes and a folder where a binary goes, with the fix", async () => {
  await using dir = await tempFolder({ afile: "x\n", "dist/x": "" });
  const d = dir.path;
  await Deno.symlink(`${d}/nothing`, `${d}/dangling`);
  await Deno.symlink("afile", `${d}/to-file`);
  await Deno.mkdir(`${d}/dist/legerd`);
  await Deno.mkdir(`${d}/all`);
  await Deno.writeTextFile(`${d}/all/${X86}`, "");
  const cases: [string[], string[], string][] = [
    [
      [`${d}/afile`],
      [],
      `Cannot put the binaries in ${d}/afile: it is a file, not a folder\n  Pass --output a folder (it is created if missing), or remove the file`,
    ],
    [
      [`${d}/dangling`],
      [],
      `Cannot put the binaries in ${d}/dangling: it is a symbolic link to "${d}/nothing", which does not exist\n  Create the folder it points to (\`mkdir -p ${d}/nothing\`), or pass --output another folder`,
    ],
    [
      [`${d}/to-file`],
      [],
      `Cannot put the binaries in ${d}/to-file: it is a symbolic link to "afile", which is not a folder\n  Pass --output a folder, or remove the link`,
    ],
    [
      [`${d}/dist`],
      [`${d}/dist/leger`, `${d}/dist/legerd`],
      `Cannot put legerd at ${d}/dist/legerd: a folder is there\n  Remove it (\`rm -r ${d}/dist/legerd\`), or pass --output another folder`,
    ],
    [
      [`${d}/all`, `${d}/all/${X86}`],
      [],
      `Cannot put the binaries in ${d}/all/${X86}: it is a file, not a folder\n  Pass --output a folder (it is created if missing), or remove the file`,
    ],
  ];
  for (const [folders, finals, message] of cases) {
    await rejects(checkOutput(folders, finals), (error: Error) => {
      strictEqual(error.name, "CompileError");
      strictEqual((error as { exitCode?: number }).exitCode, 1);
      strictEqual(error.message, message);
      return true;
    });
  }
});

Deno.test("prepareOutput() creates the missing folders and a staging folder named after this process", async () => {
  await using dir = await tempFolder();
  const out = `${dir.path}/a/b`;
  const prepared = await prepareOutput([out, `${out}/${X86}`]);
  deepStrictEqual(prepared.created, [
    `${dir.path}/a`,
    out,
    `${out}/${X86}`,
  ]);
  const name = prepared.staging.slice(out.length + 1);
  strictEqual(STAGING_REGEXP.exec(name)?.[1], String(Deno.pid), name);
  ok((await Deno.stat(prepared.staging)).isDirectory);
  // Tidying removes all it made, and keeps a folder something else uses.
  await Deno.writeTextFile(`${dir.path}/a/other`, "");
  deepStrictEqual(await tidyOutput(prepared), []);
  deepStrictEqual(await listTree(dir.path), ["a", "a/other"]);
});

Deno.test("prepareOutput() refuses a folder it cannot create, naming it and why, and removes what it created", async () => {
  await using dir = await tempFolder({ file: "" });
  await rejects(
    prepareOutput([`${dir.path}/new`, `${dir.path}/file/sub`]),
    (error: Error) => {
      strictEqual((error as { exitCode?: number }).exitCode, 1);
      strictEqual(
        error.message,
        `Cannot put the binaries in ${dir.path}/file/sub: the folder cannot be created: Not a directory (os error 20)\n  Pass --output a folder this user may write to (it is created if missing)`,
      );
      return true;
    },
  );
  deepStrictEqual(await listTree(dir.path), ["file"]);
});

Deno.test("prepareOutput() refuses a folder where Deno may not write, without a stack trace", async () => {
  // Deno keeps scripts out of /sys without --allow-all.
  const { code, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      `import { prepareOutput } from "${new URL(
        "./output.ts",
        import.meta.url,
      )}"; await prepareOutput(["/sys/leger-test"]).catch((e) => console.error(e.message));`,
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  strictEqual(code, 0);
  match(
    new TextDecoder().decode(stderr),
    /^Cannot (put the binaries in|look at) \/sys\/leger-test: .*(Deno does not let the script touch it|Operation not permitted|Permission denied)/,
  );
});

Deno.test("removeStaleStaging() removes the staging folders of processes that are gone, and only those", async () => {
  const dead = await deadPid();
  await using dir = await tempFolder({
    [`.compile-${dead}-0abc/leger.tmp-1234`]: "partial",
    [`.compile-${Deno.pid}-1def/leger`]: "under way",
    ".compile-a1b2c3/x": "no pid in the name",
    [`.compile-${dead}-file`]: "a file, not a staging folder",
    "leger": "a binary",
  });
  const result = await removeStaleStaging(dir.path);
  deepStrictEqual(result, {
    removed: [`${dir.path}/.compile-${dead}-0abc`],
    failed: [],
  });
  deepStrictEqual(
    await listTree(dir.path),
    [
      ".compile-a1b2c3",
      ".compile-a1b2c3/x",
      `.compile-${Deno.pid}-1def`,
      `.compile-${Deno.pid}-1def/leger`,
      `.compile-${dead}-file`,
      "leger",
    ].sort(),
  );
});

Deno.test("removeStaleStaging() removes nothing where processes cannot be told gone, or in a missing folder", async () => {
  await using dir = await tempFolder({ ".compile-1234567-0abc/x": "" });
  deepStrictEqual(
    await removeStaleStaging(dir.path, { procDir: `${dir.path}/no-proc` }),
    { removed: [], failed: [] },
  );
  deepStrictEqual(await removeStaleStaging(`${dir.path}/missing`), {
    removed: [],
    failed: [],
  });
  deepStrictEqual(await listTree(dir.path), [
    ".compile-1234567-0abc",
    ".compile-1234567-0abc/x",
  ]);
});
