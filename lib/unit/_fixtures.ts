/**
 * Test and bench support: Podman's own quadlet test units, read from
 * `../shared/fixtures/podman-quadlet-e2e/` (never copied into the project).
 * Requires `--allow-read`.
 *
 * @module
 */

/** The folder of Podman's quadlet e2e units. */
export const PODMAN_FIXTURES: URL = new URL(
  "../../../shared/fixtures/podman-quadlet-e2e/",
  import.meta.url,
);

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
