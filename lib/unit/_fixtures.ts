/**
 * Test and bench support: Podman's own quadlet test units (containers/podman
 * `test/e2e/quadlet/`), never copied into the project. The corpus is looked
 * for, in this order:
 *
 * 1. the folder named by `LEGER_PODMAN_CORPUS` (relative to the working
 *    folder); a name that is not a folder fails every test that imports this
 *    module, so a misconfigured CI cannot skip the suite silently;
 * 2. `../shared/fixtures/podman-quadlet-e2e/` beside the checkout (CI);
 * 3. `.corpus/podman-quadlet-e2e/` in the project, where
 *    `deno task fetch-corpus` puts it.
 *
 * Without it, the tests and benches that need it are reported as ignored,
 * with the reason and the command that fetches it ({@linkcode needsCorpus}).
 * Requires `--allow-read`; reads `LEGER_PODMAN_CORPUS` when
 * `--allow-env` grants it.
 *
 * @module
 */
import { pathToFileURL } from "node:url";

/** The environment variable that names the corpus folder. */
export const CORPUS_ENV = "LEGER_PODMAN_CORPUS";

/** The command that fetches the corpus into `.corpus/podman-quadlet-e2e/`. */
export const FETCH_CORPUS = "deno task fetch-corpus";

const ROOT = new URL("../../", import.meta.url);

/** Where the corpus is looked for when `LEGER_PODMAN_CORPUS` is not set. */
const PLACES: readonly URL[] = [
  new URL("../shared/fixtures/podman-quadlet-e2e/", ROOT),
  new URL(".corpus/podman-quadlet-e2e/", ROOT),
];

function isFolder(url: URL): boolean {
  try {
    return Deno.statSync(url).isDirectory;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

function findCorpus(): URL | undefined {
  const allowed = Deno.permissions.querySync({
    name: "env",
    variable: CORPUS_ENV,
  }).state === "granted";
  const named = allowed ? Deno.env.get(CORPUS_ENV) : undefined;
  if (named) {
    const url = pathToFileURL(named.endsWith("/") ? named : `${named}/`);
    if (!isFolder(url)) {
      throw new Error(
        `${CORPUS_ENV}=${named} is not a folder: point it at a copy of ` +
          `Podman's test/e2e/quadlet/ (\`${FETCH_CORPUS}\` puts one in ` +
          `.corpus/podman-quadlet-e2e/), or unset it`,
      );
    }
    return url;
  }
  return PLACES.find(isFolder);
}

/** The folder of Podman's quadlet e2e units, or `undefined` when it is absent. */
export const PODMAN_CORPUS: URL | undefined = findCorpus();

/**
 * The folder of Podman's quadlet e2e units; where it would be when it is
 * absent (then every test that reads it is ignored: {@linkcode needsCorpus}).
 */
export const PODMAN_FIXTURES: URL = PODMAN_CORPUS ?? PLACES[0];

/** Why a test that needs the corpus is ignored. */
export const CORPUS_MISSING =
  `Podman's quadlet corpus not found; run \`${FETCH_CORPUS}\` or set ${CORPUS_ENV}`;

/**
 * The name and `ignore` of a test or bench that reads the corpus: ignored,
 * with the reason in its name, when the corpus is absent.
 *
 * @param name The test's name.
 * @returns Options for `Deno.test(options, fn)` or to spread into `Deno.bench`.
 * @example
 * ```ts ignore
 * Deno.test(needsCorpus("parseUnit() accepts every corpus file"), async () => {
 *   for (const { path, text } of await readPodmanFixtures()) parseUnit(text, { file: path });
 * });
 * ```
 */
export function needsCorpus(name: string): { name: string; ignore: boolean } {
  return PODMAN_CORPUS
    ? { name, ignore: false }
    : { name: `${name} (ignored: ${CORPUS_MISSING})`, ignore: true };
}

/** One fixture file: its `/`-separated path in the folder and its text. */
export interface Fixture {
  path: string;
  text: string;
}

/**
 * Every file below {@linkcode PODMAN_FIXTURES}, recursively, sorted by path.
 *
 * @returns The fixture files with their text.
 */
export async function readPodmanFixtures(): Promise<Fixture[]> {
  const fixtures: Fixture[] = [];
  await collect(PODMAN_FIXTURES, "", fixtures);
  return fixtures.sort((
    a,
    b,
  ) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function collect(
  dir: URL,
  prefix: string,
  into: Fixture[],
): Promise<void> {
  for await (const entry of Deno.readDir(dir)) {
    const path = prefix + entry.name;
    if (entry.isDirectory) {
      await collect(new URL(`${entry.name}/`, dir), `${path}/`, into);
    } else if (entry.isFile) {
      into.push({
        path,
        text: await Deno.readTextFile(new URL(entry.name, dir)),
      });
    }
  }
}
