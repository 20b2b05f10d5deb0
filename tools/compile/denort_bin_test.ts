import { deepStrictEqual, ok, rejects, strictEqual } from "node:assert/strict";
import { tempFolder } from "../../tests/_folders.ts";
import { elfHeader, writeStandIn } from "./_fixtures.ts";
import {
  checkDenortBin,
  DENO_CLI_MARK,
  denortMarks,
  scanFile,
} from "./denort_bin.ts";
import { elfMachine } from "./elf.ts";
import type { Target } from "./targets.ts";

const X86 = "x86_64-unknown-linux-gnu";
const ARM = "aarch64-unknown-linux-gnu";
const V = Deno.version.deno;
const V8 = Deno.version.v8;

Deno.test("elfMachine() reads the machine of an ELF executable, big-endian too", () => {
  deepStrictEqual(elfMachine(elfHeader(62)), { machine: 62 });
  deepStrictEqual(elfMachine(elfHeader(183, 2)), { machine: 183 });
  const big = new Uint8Array(64);
  big.set([0x7f, 0x45, 0x4c, 0x46, 2, 2, 1]);
  big.set([0, 2, 0, 22], 16);
  deepStrictEqual(elfMachine(big), { machine: 22 });
  deepStrictEqual(elfMachine(elfHeader(62, 1)), {
    problem: "it is not an executable (ELF type 1)",
  });
  deepStrictEqual(elfMachine(elfHeader(62).subarray(0, 10)), {
    problem: "its ELF header is cut short",
  });
});

Deno.test("elfMachine() reads the real deno binary as this machine's", async () => {
  const bytes = await Deno.readFile(Deno.execPath());
  const machine = { x86_64: 62, aarch64: 183 }[Deno.build.arch];
  deepStrictEqual(elfMachine(bytes.subarray(0, 64)), { machine });
});

Deno.test("denortMarks() and DENO_CLI_MARK are in the real deno CLI, which is built from the same runtime crates as denort", async () => {
  using file = await Deno.open(Deno.execPath());
  const marks = denortMarks().map((mark) => mark.text);
  deepStrictEqual(marks, [`Deno/${V}`, V8]);
  const { found, denoVersions } = await scanFile(file, [
    ...marks,
    DENO_CLI_MARK,
  ]);
  deepStrictEqual([...found].sort(), [...marks, DENO_CLI_MARK].sort());
  ok(denoVersions.includes(V), `${denoVersions}`);
});

Deno.test("scanFile() finds strings across reads, not those followed by a digit, and the Deno versions named", async (t) => {
  await using dir = await tempFolder();
  const path = `${dir.path}/file`;
  const text = "xxDeno/2.9.60yyy\0Deno/1.2.3+abc\0zz15.0.1-rusty\0Deno/2.9.6";
  await Deno.writeTextFile(path, text);
  for (const chunkSize of [1, 3, 7, 64, 4096]) {
    await t.step(`${chunkSize} bytes at a time`, async () => {
      using file = await Deno.open(path);
      const scan = await scanFile(
        file,
        ["Deno/2.9.6", "15.0.1-rusty", "Deno/1.2.3", "Deno/9"],
        { chunkSize },
      );
      deepStrictEqual(
        [...scan.found].sort(),
        ["15.0.1-rusty", "Deno/1.2.3", "Deno/2.9.6"],
      );
      deepStrictEqual(scan.denoVersions.sort(), ["1.2.3", "2.9.6", "2.9.60"]);
    });
  }
  // "Deno/2.9.6" only as the start of "Deno/2.9.60": not found.
  await Deno.writeTextFile(path, "Deno/2.9.60\0");
  using file = await Deno.open(path);
  deepStrictEqual(
    (await scanFile(file, ["Deno/2.9.6"], { chunkSize: 4 })).found,
    new Set(),
  );
});

Deno.test("checkDenortBin() accepts an ELF executable for the target that holds this Deno's marks", async () => {
  await using dir = await tempFolder();
  await checkDenortBin(await writeStandIn(`${dir.path}/x86`, 62), X86);
  await checkDenortBin(await writeStandIn(`${dir.path}/arm`, 183), ARM);
  // Another Deno's marks, when that is the Deno that compiles.
  await checkDenortBin(
    await writeStandIn(`${dir.path}/old`, 62, [
      "Deno/2.0.0",
      "12.9.202.2-rusty",
    ]),
    X86,
    { denoVersion: "2.0.0", v8Version: "12.9.202.2-rusty" },
  );
});

Deno.test("checkDenortBin() refuses any other file, saying what was checked and the fix", async () => {
  await using dir = await tempFolder();
  const file = async (name: string, bytes: Uint8Array) => {
    await Deno.writeFile(`${dir.path}/${name}`, bytes);
    return `${dir.path}/${name}`;
  };
  const x86 = await writeStandIn(`${dir.path}/denort-x86`, 62);
  const arm = await writeStandIn(`${dir.path}/denort-arm`, 183);
  const zip = await file("denort.zip", new Uint8Array([0x50, 0x4b, 3, 4, 0]));
  const script = await file("deno.sh", new TextEncoder().encode("#!/bin/sh\n"));
  const object = await file("denort.o", elfHeader(62, 1));
  const s390 = await file("denort-s390", elfHeader(22));
  // The tester's case: a small aarch64 program, not denort.
  const armProgram = await writeStandIn(`${dir.path}/arm64-program`, 183, [
    "hello",
  ]);
  const otherDeno = await writeStandIn(`${dir.path}/denort-2.8.0`, 183, [
    "Deno/2.8.0",
    "14.9.1.1-rusty",
  ]);
  const noV8 = await writeStandIn(`${dir.path}/no-v8`, 62, [`Deno/${V}`]);
  const cli = await writeStandIn(`${dir.path}/deno-arm`, 183, [
    `Deno/${V}`,
    V8,
    DENO_CLI_MARK,
  ]);
  const fixX86 =
    `Set DENORT_BIN to the \`denort\` of Deno ${V} for ${X86}, unzipped from denort-${X86}.zip, or unset it`;
  const fixArm =
    `Set DENORT_BIN to the \`denort\` of Deno ${V} for ${ARM}, unzipped from denort-${ARM}.zip, or unset it`;
  const cases: [string, Target, string, string][] = [
    [
      arm,
      X86,
      `it is built for ${ARM} (ELF machine 183), not for ${X86} (ELF machine 62)`,
      `Pass --target ${ARM}, or set DENORT_BIN to the \`denort\` of Deno ${V} for ${X86}, unzipped from denort-${X86}.zip, or unset it`,
    ],
    [
      x86,
      ARM,
      `it is built for ${X86} (ELF machine 62), not for ${ARM} (ELF machine 183)`,
      `Pass --target ${X86}, or set DENORT_BIN to the \`denort\` of Deno ${V} for ${ARM}, unzipped from denort-${ARM}.zip, or unset it`,
    ],
    [
      s390,
      X86,
      `it is built for ELF machine 22, not for ${X86} (ELF machine 62)`,
      fixX86,
    ],
    [
      zip,
      X86,
      "it is a zip archive, not the denort inside it",
      `Unzip it (\`unzip ${zip}\` gives \`denort\`) and set DENORT_BIN to that file`,
    ],
    [script, X86, "it is not an ELF file", fixX86],
    [object, X86, "it is not an executable (ELF type 1)", fixX86],
    [`${dir.path}/nothing`, X86, "the file does not exist", fixX86],
    [dir.path, X86, "it is a folder, not a file", fixX86],
    [
      "",
      X86,
      "it is set but empty, and Deno reads it as a path all the same",
      `Unset it (\`unset DENORT_BIN\`), or set it to the \`denort\` of Deno ${V} for ${X86}, unzipped from denort-${X86}.zip`,
    ],
    [
      armProgram,
      ARM,
      `it is not a denort of Deno ${V}: its bytes lack "Deno/${V}" (Deno ${V}'s user agent) and "${V8}" (its V8's version), which every denort of that release holds; it names no Deno version`,
      fixArm,
    ],
    [
      otherDeno,
      ARM,
      `it is not a denort of Deno ${V}: its bytes lack "Deno/${V}" (Deno ${V}'s user agent) and "${V8}" (its V8's version), which every denort of that release holds; it names Deno/2.8.0`,
      fixArm,
    ],
    [
      noV8,
      X86,
      `it is not a denort of Deno ${V}: its bytes lack "${V8}" (its V8's version), which every denort of that release holds; it names Deno/${V}`,
      fixX86,
    ],
    [
      cli,
      ARM,
      "it is the deno CLI, not denort (its bytes hold the help of `deno compile`, which denort lacks)",
      `Set DENORT_BIN to the \`denort\` inside denort-${ARM}.zip of Deno ${V}, not to \`deno\``,
    ],
  ];
  for (const [path, target, why, fix] of cases) {
    await rejects(checkDenortBin(path, target), (error: Error) => {
      strictEqual(error.name, "CompileError");
      strictEqual((error as { exitCode?: number }).exitCode, 1);
      strictEqual(
        error.message,
        `Cannot use DENORT_BIN "${path}": ${why}\n  ${fix}`,
      );
      return true;
    });
  }
});

Deno.test("checkDenortBin() refuses the real deno CLI before anything is built with it", async () => {
  await rejects(
    checkDenortBin(Deno.execPath(), Deno.build.target as Target),
    { message: /: it is the deno CLI, not denort \(/ },
  );
});

Deno.test(
  `checkDenortBin() refuses a file this user may not read${
    Deno.uid() === 0 ? " (ignored: root may read any file)" : ""
  }`,
  { ignore: Deno.uid() === 0 },
  async () => {
    await using dir = await tempFolder();
    const path = await writeStandIn(`${dir.path}/denort`, 62);
    await Deno.chmod(path, 0o000);
    await rejects(checkDenortBin(path, X86), {
      message: /: this user may not read it\n/,
    });
  },
);
