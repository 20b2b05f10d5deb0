import { run, type Runner } from "./run.ts";

/** One entry of `podman quadlet list --format json`. */
export interface QuadletListEntry {
  /** The unit file name, such as `web.container`. */
  name: string;
  /** The service, such as `web.service`. */
  unitName: string;
  /** The installed file's absolute path (`Path`), in the scope's quadlet folder. */
  path: string;
  /** `active/running`, `inactive/dead`, `failed/failed`, `Not loaded`, … */
  status: string;
  /**
   * The application Podman recorded the file under (`App`), such as
   * `.web.app` on Podman 5.8: Podman's own marker, which leger never treats
   * as the truth about which deployment owns a file.
   */
  app: string;
}

/**
 * Installs quadlet files with `podman quadlet install` (Podman ≥ 5.6), run in
 * `dir` with the files named relative to it, so that Podman records them as
 * one application. Podman reloads systemd afterwards.
 *
 * Requires `--allow-run=podman`.
 *
 * @example Usage
 * ```ts ignore
 * import { quadletInstall } from "./podman_quadlet.ts";
 * await quadletInstall("/tmp/stage/web", ["web.container", "data.volume"], { replace: false });
 * ```
 */
export async function quadletInstall(
  dir: string,
  files: readonly string[],
  options: { replace: boolean; runner?: Runner },
): Promise<void> {
  const { replace, runner = run } = options;
  await runner("podman", [
    "quadlet",
    "install",
    ...(replace ? ["--replace"] : []),
    "--",
    ...files,
  ], { cwd: dir });
}

/**
 * Removes installed quadlets with `podman quadlet rm --force --ignore`. Podman
 * removes whole applications: name every unit of the deployment.
 *
 * Requires `--allow-run=podman`.
 *
 * @example Usage
 * ```ts ignore
 * import { quadletRemove } from "./podman_quadlet.ts";
 * await quadletRemove(["web.container", "data.volume"]);
 * ```
 */
export async function quadletRemove(
  units: readonly string[],
  options: { runner?: Runner } = {},
): Promise<void> {
  if (units.length === 0) return;
  const { runner = run } = options;
  await runner("podman", [
    "quadlet",
    "rm",
    "--force",
    "--ignore",
    "--",
    ...units,
  ]);
}

/**
 * Lists installed quadlets with one `podman quadlet list --format json`.
 *
 * Requires `--allow-run=podman`.
 *
 * @example Usage
 * ```ts ignore
 * import { quadletList } from "./podman_quadlet.ts";
 * const entries = await quadletList();
 * ```
 */
export async function quadletList(
  options: { runner?: Runner } = {},
): Promise<QuadletListEntry[]> {
  const { runner = run } = options;
  const { stdout } = await runner("podman", [
    "quadlet",
    "list",
    "--format",
    "json",
  ]);
  return parseQuadletList(stdout);
}

/**
 * Parses `podman quadlet list --format json`.
 *
 * @example Usage
 * ```ts
 * import { parseQuadletList } from "./podman_quadlet.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const [web] = parseQuadletList('[{"Name":"web.container","UnitName":"web.service","Path":"/x","Status":"active/running","App":".web.app"}]');
 * strictEqual(web.status, "active/running");
 * ```
 */
export function parseQuadletList(stdout: string): QuadletListEntry[] {
  const parsed: unknown = JSON.parse(stdout.trim() === "" ? "[]" : stdout);
  if (!Array.isArray(parsed)) {
    throw new SyntaxError(
      'Cannot read "podman quadlet list": expected a JSON list',
    );
  }
  return parsed.map((entry: Record<string, unknown>) => ({
    name: String(entry.Name ?? ""),
    unitName: String(entry.UnitName ?? ""),
    path: String(entry.Path ?? ""),
    status: String(entry.Status ?? ""),
    app: String(entry.App ?? ""),
  }));
}

/**
 * The names of the Podman secrets that exist.
 *
 * Requires `--allow-run=podman`.
 *
 * @example Usage
 * ```ts ignore
 * import { secretNames } from "./podman_quadlet.ts";
 * const names = await secretNames();
 * ```
 */
export async function secretNames(
  options: { runner?: Runner } = {},
): Promise<string[]> {
  const { runner = run } = options;
  const { stdout } = await runner("podman", [
    "secret",
    "ls",
    "--format",
    "{{.Name}}",
  ]);
  return stdout.split("\n").map((line) => line.trim()).filter((line) =>
    line !== ""
  );
}
