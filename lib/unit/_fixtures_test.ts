/**
 * Where the tests find Podman's quadlet corpus, and how they report its
 * absence: `_fixtures.ts` is loaded in a subprocess from a copy of the
 * project's layout, since it looks for the corpus when it loads.
 *
 * @module
 */
import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { tempFolder } from "../../tests/_folders.ts";
import { spawnCaptured } from "../../tests/_spawn.ts";

const SOURCE = new URL("./_fixtures.ts", import.meta.url);

/** A project folder holding only `lib/unit/_fixtures.ts`, inside `parent`. */
async function layout(parent: string): Promise<string> {
  const root = `${parent}/project`;
  await Deno.mkdir(`${root}/lib/unit`, { recursive: true });
  await Deno.copyFile(SOURCE, `${root}/lib/unit/_fixtures.ts`);
  return root;
}

/**
 * Loads the copied module and prints what it found; `LEGER_PODMAN_CORPUS` is
 * empty (unset) unless `env` sets it, whatever this test run has.
 */
async function load(root: string, env: Record<string, string> = {}) {
  const code = `
    import { needsCorpus, PODMAN_CORPUS } from "${root}/lib/unit/_fixtures.ts";
    console.log(JSON.stringify({
      corpus: PODMAN_CORPUS?.pathname ?? null,
      test: needsCorpus("a corpus test"),
    }));
  `;
  const result = await spawnCaptured(
    Deno.execPath(),
    ["eval", "--no-config", code],
    { cwd: root, env: { LEGER_PODMAN_CORPUS: "", ...env } },
  );
  return {
    ...result,
    found: result.code === 0 ? JSON.parse(result.stdout) : undefined,
  };
}

Deno.test("needsCorpus() ignores a test, saying why and how to fetch the corpus, when it is absent", async () => {
  await using dir = await tempFolder();
  const root = await layout(dir.path);
  const { code, stderr, found } = await load(root);
  strictEqual(code, 0, stderr);
  strictEqual(found.corpus, null);
  strictEqual(found.test.ignore, true);
  strictEqual(
    found.test.name,
    "a corpus test (ignored: Podman's quadlet corpus not found; run " +
      "`deno task fetch-corpus` or set LEGER_PODMAN_CORPUS)",
  );
});

Deno.test("the corpus is found beside the checkout in ../shared, then in .corpus/", async () => {
  await using dir = await tempFolder();
  const root = await layout(dir.path);
  await Deno.mkdir(`${root}/.corpus/podman-quadlet-e2e`, { recursive: true });
  let { found } = await load(root);
  strictEqual(found.corpus, `${root}/.corpus/podman-quadlet-e2e/`);
  deepStrictEqual(found.test, { name: "a corpus test", ignore: false });

  await Deno.mkdir(`${dir.path}/shared/fixtures/podman-quadlet-e2e`, {
    recursive: true,
  });
  ({ found } = await load(root));
  strictEqual(found.corpus, `${dir.path}/shared/fixtures/podman-quadlet-e2e/`);
});

Deno.test("LEGER_PODMAN_CORPUS names the corpus, relative to the working folder", async () => {
  await using dir = await tempFolder();
  const root = await layout(dir.path);
  await Deno.mkdir(`${dir.path}/shared/fixtures/podman-quadlet-e2e`, {
    recursive: true,
  });
  await Deno.mkdir(`${root}/elsewhere/quadlet`, { recursive: true });
  const { found, stderr } = await load(root, {
    LEGER_PODMAN_CORPUS: "elsewhere/quadlet",
  });
  ok(found, stderr);
  strictEqual(found.corpus, `${root}/elsewhere/quadlet/`);
  deepStrictEqual(found.test, { name: "a corpus test", ignore: false });
});

Deno.test("LEGER_PODMAN_CORPUS naming no folder fails the tests that load the corpus, naming it", async () => {
  await using dir = await tempFolder();
  const root = await layout(dir.path);
  await Deno.mkdir(`${root}/.corpus/podman-quadlet-e2e`, { recursive: true });
  const { code, stderr } = await load(root, {
    LEGER_PODMAN_CORPUS: `${dir.path}/nosuch`,
  });
  ok(code !== 0);
  match(
    stderr,
    /LEGER_PODMAN_CORPUS=\S+\/nosuch is not a folder: point it at a copy of Podman's test\/e2e\/quadlet\/ \(`deno task fetch-corpus` puts one in \.corpus\/podman-quadlet-e2e\/\), or unset it/,
  );
});
