import {
  deepStrictEqual,
  doesNotThrow,
  ok,
  strictEqual,
  throws,
} from "node:assert/strict";
import { LegerError } from "../errors/mod.ts";
import type { DeploymentFile, Manifest } from "./types.ts";
import { parseManifestJson } from "./parse_manifest_json.ts";
import { verifyChecksums } from "./verify_checksums.ts";

const RENDERED = new URL(
  "../../tests/testdata/leger-run-rendered/",
  import.meta.url,
);

async function fileOf(
  path: string,
  bytes: Uint8Array,
): Promise<DeploymentFile> {
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>),
  );
  return {
    path,
    bytes,
    sha256: Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join(""),
  };
}

async function readRendered(
  version: string,
): Promise<{ files: DeploymentFile[]; manifest: Manifest }> {
  const folder = new URL(`${version}/`, RENDERED);
  const files: DeploymentFile[] = [];
  for await (const entry of Deno.readDir(folder)) {
    files.push(
      await fileOf(
        entry.name,
        await Deno.readFile(new URL(entry.name, folder)),
      ),
    );
  }
  const manifest = parseManifestJson(
    await Deno.readTextFile(new URL("manifest.json", folder)),
  );
  return { files, manifest };
}

function manifestOf(files: Manifest["files"]): Manifest {
  return {
    form: "file-list",
    services: [],
    volumes: [],
    files,
    secretsRequired: [],
    requires: [],
  };
}

Deno.test("verifyChecksums() accepts the real rendered files when they match their manifest", async () => {
  for (const version of ["v1", "v2"]) {
    const { files, manifest } = await readRendered(version);
    doesNotThrow(() => verifyChecksums(files, manifest, { location: version }));
  }
});

Deno.test("verifyChecksums() names the file with expected and actual when one was changed", async () => {
  const { files, manifest } = await readRendered("v1");
  const tampered = await Promise.all(
    files.map((file) =>
      file.path === "openwebui.container"
        ? fileOf(
          file.path,
          new TextEncoder().encode("[Container]\nImage=evil\n"),
        )
        : file
    ),
  );
  const actual = tampered.find((f) => f.path === "openwebui.container")!.sha256;
  throws(
    () =>
      verifyChecksums(tampered, manifest, {
        location: "https://static.leger.run/f44a/v1/",
      }),
    (err: unknown) => {
      ok(err instanceof LegerError);
      strictEqual(err.code, "ERR_CHECKSUM_MISMATCH");
      strictEqual(
        err.message,
        'Cannot accept "openwebui.container" from https://static.leger.run/f44a/v1/: its SHA-256 does not match manifest.json',
      );
      strictEqual(err.file, "openwebui.container");
      deepStrictEqual(err.details, [
        "expected: c1163ddde84c51da2cd82de6b7500468a33c4bad4a5288dbd7dbbd1c3e34eb77",
        `actual:   ${actual}`,
      ]);
      ok(err.remedy?.startsWith("Nothing was staged"));
      return true;
    },
  );
});

Deno.test("verifyChecksums() compares checksums when written with or without prefix, in any case", async () => {
  const file = await fileOf(
    "web.container",
    new TextEncoder().encode("[Container]\n"),
  );
  for (
    const sha256 of [
      file.sha256,
      file.sha256.toUpperCase(),
      `sha256:${file.sha256}`,
      `SHA256:${file.sha256.toUpperCase()}`,
    ]
  ) {
    doesNotThrow(
      () =>
        verifyChecksums(
          [file],
          manifestOf([{ name: "web.container", sha256 }]),
          { location: "x" },
        ),
      sha256,
    );
  }
  throws(
    () =>
      verifyChecksums(
        [file],
        manifestOf([{
          name: "web.container",
          sha256: `sha256:${"0".repeat(64)}`,
        }]),
        { location: "x" },
      ),
    { code: "ERR_CHECKSUM_MISMATCH" },
  );
});

Deno.test("verifyChecksums() reports a problem when a listed file is missing or of the wrong size", async (t) => {
  const a = await fileOf("a.container", new TextEncoder().encode("abc"));
  const cases: {
    name: string;
    entries: Manifest["files"];
    message: string;
    details: string[];
  }[] = [
    {
      name: "missing with checksum",
      entries: [{ name: "b.container", sha256: a.sha256 }],
      message:
        'Cannot accept "b.container" from /src: manifest.json lists it but the file is missing',
      details: [`expected: ${a.sha256}`, "actual:   (missing)"],
    },
    {
      name: "missing volume implied by the CLI form",
      entries: [{ name: "data.volume.volume", type: "volume" }],
      message:
        'Cannot accept "data.volume.volume" from /src: manifest.json lists it but the file is missing',
      details: ["expected: the file", "actual:   (missing)"],
    },
    {
      name: "wrong size",
      entries: [{ name: "a.container", sha256: a.sha256, size: 4 }],
      message:
        'Cannot accept "a.container" from /src: its size does not match manifest.json',
      details: ["expected: 4 bytes", "actual:   3 bytes"],
    },
    {
      name: "several problems",
      entries: [
        { name: "a.container", sha256: "f".repeat(64) },
        { name: "b.container" },
        { name: "c.container" },
      ],
      message:
        'Cannot accept "a.container" from /src: its SHA-256 does not match manifest.json',
      details: [
        `expected: ${"f".repeat(64)}`,
        `actual:   ${a.sha256}`,
        "also bad: b.container (missing), c.container (missing)",
      ],
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      throws(
        () => verifyChecksums([a], manifestOf(c.entries), { location: "/src" }),
        (err: unknown) => {
          ok(err instanceof LegerError);
          strictEqual(err.code, "ERR_CHECKSUM_MISMATCH");
          strictEqual(err.message, c.message);
          deepStrictEqual(err.details, c.details);
          return true;
        },
      );
    });
  }
});

Deno.test("verifyChecksums() ignores files when the manifest does not list them", async () => {
  const network = await fileOf(
    "llm.network",
    new TextEncoder().encode("[Network]\n"),
  );
  doesNotThrow(() =>
    verifyChecksums([network], manifestOf([]), { location: "x" })
  );
});

Deno.test("verifyChecksums() uses the given manifest name and remedy when told", async () => {
  const a = await fileOf("a.container", new Uint8Array());
  throws(
    () =>
      verifyChecksums(
        [a],
        manifestOf([{ name: "a.container", sha256: "1".repeat(64) }]),
        {
          location: "/src",
          manifestFile: "manifest.json (v3)",
          remedy: "Run it again",
        },
      ),
    {
      message: /does not match manifest\.json \(v3\)$/,
      remedy: "Run it again",
    },
  );
});
