/**
 * The web deployment of {@linkcode commandFixture} installed and running,
 * with data in its volume (tests/fakes/fake_volumes.ts), and the deploy
 * context the backup and restore functions take: for the tests of
 * lib/backup, lib/deploy's restore and the backup commands.
 *
 * @module
 */
import { deployContextOf } from "../../cli/deploy_context_of.ts";
import type { DeployContext } from "../../lib/deploy/context.ts";
import {
  type CommandFixture,
  commandFixture,
  installDeployment,
} from "./command_fixture.ts";
import {
  type FakeVolumes,
  fakeVolumes,
  type FakeVolumesOptions,
} from "./fake_volumes.ts";

const container = (...lines: string[]) =>
  ["[Container]", "Image=localhost/bb:latest", ...lines, ""].join("\n");

/**
 * Files of a web deployment where one container of four uses the volume:
 * tsa and tsb use none, web mounts web-data.volume, proxy requires web.
 */
export const SHARED_HOST_FILES: Record<string, string> = {
  "tsa.container": container(),
  "tsb.container": container("Volume=/srv/tsb:/srv:ro"),
  "web.container": container("Volume=web-data.volume:/data"),
  "proxy.container": "[Unit]\nRequires=web.container\n" + container(),
  "web-data.volume": "[Volume]\n",
};

/** What {@linkcode installedWeb} gives. */
export interface BackupFixture extends AsyncDisposable {
  fixture: CommandFixture;
  volumes: FakeVolumes;
  /** The user scope's deploy context; its clock moves one second at each read. */
  context: DeployContext;
  /** The progress lines the context received. */
  lines: string[];
}

/**
 * Installs the web deployment (web.container, web-data.volume, web.conf,
 * or the `files` given) over a fake host with volume data, starts it, and
 * writes "precious data\n" into its volume `systemd-web-data`.
 *
 * @example Usage
 * ```ts ignore
 * await using web = await installedWeb();
 * const record = await createBackup(web.context, "web", { type: "manual" });
 * ```
 */
export async function installedWeb(
  options: FakeVolumesOptions & {
    /** The deployment's files, in place of web.container and the rest. */
    files?: Record<string, string>;
  } = {},
): Promise<BackupFixture> {
  const fixture = await commandFixture();
  const volumes = fakeVolumes(fixture.host, options);
  fixture.deps.runner = volumes.runner;
  await installDeployment(fixture, "web", options.files);
  volumes.data.set("systemd-web-data", "precious data\n");
  fixture.clearOutput();
  const lines: string[] = [];
  let tick = 0;
  const context = {
    ...deployContextOf(fixture.deps, "user"),
    now: () => new Date(Date.UTC(2026, 10, 30, 12, 0, tick++)),
    progress: (line: string) => void lines.push(line),
  };
  return {
    fixture,
    volumes,
    context,
    lines,
    [Symbol.asyncDispose]: () => fixture[Symbol.asyncDispose](),
  };
}

/** The folders in the fixture's backups folder, sorted (hidden ones too). */
export async function backupFolders(
  fixture: CommandFixture,
): Promise<string[]> {
  return await Array.fromAsync(
    Deno.readDir(`${fixture.workDir}/backups`),
    (entry) => entry.name,
  ).then((names) => names.sort(), () => []);
}
