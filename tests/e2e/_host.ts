/**
 * Harness for the end-to-end tests: they run here, outside, and drive leger
 * inside the Podman 5.8 + systemd 262 host that `../shared/e2e/podman-host.sh`
 * boots (root = system scope, user `leger` uid 1000 = rootless user scope).
 *
 * Once per `deno test` process, {@linkcode prepareHost} fills the share bound at
 * `/leger` inside: a copy of the project's files (tracked and untracked but
 * not ignored, taken when the run starts), the `deno` binary and a Deno cache
 * filled from outside, since the host has no network but loopback. It boots
 * the host when it is not running, and reboots it when it runs with another
 * share, and names rootless pasta's tap interface `tap0` inside (see
 * `configurePasta`). Tests then run commands inside with {@linkcode hostExec}, leger with
 * {@linkcode leger} (exactly the permission flags of deno.json's `leger`
 * task), and remove what they installed with {@linkcode cleanup}.
 *
 * Declare tests with {@linkcode e2eTest}: they are ignored unless
 * `LEGER_E2E=1` (`deno task e2e`), and run one at a time even across the
 * processes of `deno test --parallel`, since the tests of one scope share
 * leger's state and its lock.
 *
 * Environment: `LEGER_E2E=1` runs the tests, `LEGER_E2E_SHARE` (default
 * `/var/cache/leger-e2e/share`), `LEGER_E2E_KEEP=1` keeps what a test
 * installed, for a look inside.
 *
 * @module
 */
import { permissionFlags, ROOT, SHARED } from "../_leger.ts";
import { spawnCaptured } from "../_spawn.ts";

/** Who runs a command inside: root (system scope) or `leger` (uid 1000, user scope). */
export type User = "root" | "leger";

/** Both users, root first: every scenario runs for each. */
export const USERS: readonly User[] = ["root", "leger"];

/** The script that builds, boots and enters the host. */
export const HOST_SCRIPT = `${SHARED}/e2e/podman-host.sh`;

/** The folder outside that the host sees at `/leger`. */
export const SHARE = Deno.env.get("LEGER_E2E_SHARE") ??
  "/var/cache/leger-e2e/share";

/** Where the share is inside the host. */
export const INSIDE = "/leger";

/** Where test deployments' source folders are written, outside and inside. */
export const SOURCES = { outside: `${SHARE}/src`, inside: `${INSIDE}/src` };

/** What a finished command inside the host left behind. */
export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options for {@linkcode hostExec}. */
export interface HostExecOptions {
  /**
   * Who runs the command.
   *
   * @default {"root"}
   */
  user?: User;
  /** Text written to the command's stdin; without it stdin is empty. */
  stdin?: string;
}

/** Options for {@linkcode leger}. */
export interface LegerOptions {
  /** Who runs leger: root works in the system scope, `leger` in its user scope. */
  user: User;
  /** Extra environment variables (`NO_COLOR=1` and `DENO_DIR` are always set). */
  env?: Record<string, string>;
  /** Text written to leger's stdin; without it stdin is empty (not a terminal). */
  stdin?: string;
  /**
   * Seconds after which leger is killed inside the host (exit 124).
   *
   * @default {180}
   */
  timeoutSeconds?: number;
  /**
   * The program run: `cli/main.ts` (leger) or `cli/demo.ts` (`deno task
   * demo`, which has the same permission flags).
   *
   * @default {"cli/main.ts"}
   */
  entry?: "cli/main.ts" | "cli/demo.ts";
}

/**
 * Quotes one word for a POSIX shell: single quotes, with each `'` written as
 * `'\''`.
 *
 * @example Usage
 * ```ts
 * import { shellQuote } from "./_host.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(shellQuote("it's"), `'it'\\''s'`);
 * ```
 */
export function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** Quotes every word and joins them with spaces. */
export function shellJoin(words: readonly string[]): string {
  return words.map(shellQuote).join(" ");
}

/**
 * Runs a shell command inside the booted host, as root or as `leger` (then
 * with `XDG_RUNTIME_DIR` and the user bus set, in its home folder).
 */
export async function hostExec(
  cmd: string,
  options: HostExecOptions = {},
): Promise<ExecResult> {
  const { user = "root", stdin } = options;
  const userArgs = user === "root" ? [] : ["-u", user];
  return await runOutside("bash", [HOST_SCRIPT, "exec", ...userArgs, cmd], {
    stdin,
  });
}

/** The `deno run` command line that runs leger inside the host, quoted. */
export function legerCommandLine(
  args: readonly string[],
  options: Pick<LegerOptions, "env" | "timeoutSeconds" | "entry"> = {},
): string {
  const { env = {}, timeoutSeconds = 180, entry = "cli/main.ts" } = options;
  const envWords = Object.entries({
    NO_COLOR: "1",
    DENO_DIR: `${INSIDE}/deno-dir`,
    ...env,
  }).map(([name, value]) => `${name}=${value}`);
  return `cd ${INSIDE}/${PROJECT} && exec ` + shellJoin([
    "env",
    ...envWords,
    "timeout",
    "-k",
    "5",
    String(timeoutSeconds),
    `${INSIDE}/deno`,
    "run",
    "--quiet",
    ...permissionFlags("leger"),
    entry,
    ...args,
  ]);
}

/**
 * Runs `leger ARGS…` inside the host from the project copy, with exactly the
 * permission flags of deno.json's `leger` task. Start two without awaiting the
 * first to run them at once.
 */
export async function leger(
  args: readonly string[],
  options: LegerOptions,
): Promise<ExecResult> {
  const { user, stdin } = options;
  return await hostExec(legerCommandLine(args, options), { user, stdin });
}

/** Options for {@linkcode waitInside} and {@linkcode curlInside}. */
export interface WaitOptions {
  /**
   * Who runs the command.
   *
   * @default {"root"}
   */
  user?: User;
  /**
   * How many times to try before giving up.
   *
   * @default {10}
   */
  attempts?: number;
  /**
   * Seconds between two attempts.
   *
   * @default {0.3}
   */
  intervalSeconds?: number;
}

/**
 * Runs `cmd` inside the host until it exits 0, at most `attempts` times: only
 * for what is asynchronous by nature (a server starting to listen, another
 * process taking a lock). The result is the last attempt's.
 */
export async function waitInside(
  cmd: string,
  options: WaitOptions = {},
): Promise<ExecResult> {
  const { user = "root", attempts = 10, intervalSeconds = 0.3 } = options;
  const loop = `i=0; while :; do i=$((i+1)); ( ${cmd} ) && exit 0; ` +
    `[ "$i" -ge ${attempts} ] && exit 1; sleep ${intervalSeconds}; done`;
  return await hostExec(loop, { user });
}

/**
 * Fetches `url` with curl inside the host, retrying while nothing answers
 * (see {@linkcode waitInside}); `attempts: 1` checks that nothing answers now.
 */
export async function curlInside(
  url: string,
  user: User,
  options: Omit<WaitOptions, "user"> = {},
): Promise<ExecResult> {
  return await waitInside(
    `curl -fsS --max-time 3 ${shellQuote(url)}`,
    { ...options, user },
  );
}

/** `systemctl` in a user's scope (`--user` for `leger`). */
export function systemctl(user: User): string {
  return user === "root" ? "systemctl" : "systemctl --user";
}

/** `journalctl` in a user's scope (`--user` for `leger`). */
export function journalctl(user: User): string {
  return user === "root" ? "journalctl" : "journalctl --user";
}

/** The scope leger acts on for a user by default. */
export function scopeOf(user: User): "system" | "user" {
  return user === "root" ? "system" : "user";
}

/** The quadlet folder of a user's scope, as a shell word. */
export function quadletDir(user: User): string {
  return user === "root"
    ? "/etc/containers/systemd"
    : '"$HOME/.config/containers/systemd"';
}

/**
 * Writes a deployment's source folder into the share (readable by both users
 * inside) and returns its path inside the host. `files` maps a path in the
 * folder to its text.
 */
export async function writeSource(
  name: string,
  files: Record<string, string>,
): Promise<string> {
  const dir = `${SOURCES.outside}/${name}`;
  await Deno.remove(dir, { recursive: true }).catch(ignoreNotFound);
  for (const [path, text] of Object.entries(files)) {
    const file = `${dir}/${path}`;
    await mkdirReadable(file.slice(0, file.lastIndexOf("/")));
    await Deno.writeTextFile(file, text, { mode: 0o644 });
    await Deno.chmod(file, 0o644);
  }
  return `${SOURCES.inside}/${name}`;
}

/**
 * Removes everything whose name starts with `prefix` from a user's scope —
 * quadlet units (stopped first), files in the quadlet folder, containers,
 * volumes, networks, failed-unit records, source folders in the share — and
 * all of leger's state and locks in that scope (tests run one at a time, so
 * that state is the current test's). Kept when `LEGER_E2E_KEEP=1`.
 *
 * Run it before a test (a previous run may have been killed) and in `finally`.
 */
export async function cleanup(prefix: string, user: User): Promise<void> {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(prefix)) {
    throw new TypeError(`Cannot clean up "${prefix}": not a plain name`);
  }
  if (Deno.env.get("LEGER_E2E_KEEP") === "1") return;
  const sc = systemctl(user);
  const dir = quadletDir(user);
  const state = user === "root"
    ? "/var/lib/leger /root/.local/share/leger /root/.local/share/bluebuild-quadlets /run/leger"
    : '"$HOME/.local/share/leger" "$HOME/.local/share/bluebuild-quadlets" "$XDG_RUNTIME_DIR/leger"';
  const script = `
    P=${prefix}
    ${sc} stop "$P*" >/dev/null 2>&1
    podman quadlet list --format '{{.Name}}' 2>/dev/null | grep "^$P" |
      while read -r q; do podman quadlet rm -f -i "$q" >/dev/null 2>&1; done
    rm -rf ${dir}/$P* ${dir}/.$P*
    ${sc} daemon-reload
    ${sc} reset-failed "$P*" >/dev/null 2>&1
    podman ps -a --format '{{.Names}}' | grep -E "^(systemd-)?$P" | xargs -r podman rm -f -t 0 >/dev/null
    podman volume ls -q | grep -E "^(systemd-)?$P" | xargs -r podman volume rm -f >/dev/null
    podman network ls -q | grep -E "^(systemd-)?$P" | xargs -r podman network rm -f >/dev/null
    rm -rf ${state}
    exit 0`;
  const result = await hostExec(script, { user });
  if (result.code !== 0) {
    throw new Error(
      `Cannot clean up "${prefix}" for ${user}: exit ${result.code}\n${result.stderr}`,
    );
  }
  const sources = await Array.fromAsync(Deno.readDir(SOURCES.outside)).catch(
    () => [],
  );
  for (const entry of sources) {
    if (!entry.name.startsWith(prefix)) continue;
    await Deno.remove(`${SOURCES.outside}/${entry.name}`, { recursive: true });
  }
}

/** Whether the e2e tests run: `LEGER_E2E=1` (`deno task e2e` sets it). */
export const E2E_ENABLED = Deno.env.get("LEGER_E2E") === "1";

/**
 * Declares an e2e test: ignored unless `LEGER_E2E=1`, so that a plain
 * `deno test` never touches the host; run alone (a lock in the share keeps
 * the e2e tests of parallel `deno test` processes from overlapping, since the
 * tests of one scope share leger's state); after {@linkcode prepareHost}.
 */
export function e2eTest(
  name: string,
  fn: (t: Deno.TestContext) => Promise<void>,
): void {
  Deno.test({
    name,
    ignore: !E2E_ENABLED,
    fn: async (t) => {
      await mkdirReadable(SHARE);
      using lock = await Deno.open(`${SHARE}/.e2e-test.lock`, {
        create: true,
        write: true,
      });
      await lock.lock(true);
      await prepareHost();
      await fn(t);
    },
  });
}

/**
 * Makes the share ready and the host booted with it, once per `deno test`
 * process; later calls return at once. Throws when the host cannot boot.
 */
export function prepareHost(): Promise<void> {
  prepared ??= prepare();
  return prepared;
}

let prepared: Promise<void> | undefined;

/**
 * This process's copy of the project, inside the share: each `deno test`
 * process (one per module with `--parallel`) has its own, so that copying
 * never pulls files from under a leger that another one runs.
 */
const PROJECT = `project-${Deno.pid}`;

/** This process's copy of the project, as seen inside the host. */
export const PROJECT_INSIDE = `${INSIDE}/${PROJECT}`;
const SHARE_ID = `${SHARE}/.share-id`;

async function prepare(): Promise<void> {
  await mkdirReadable(SHARE);
  // Test modules may not share module state: the copy itself is the marker.
  const copied = await Deno.stat(`${SHARE}/${PROJECT}/.leger-e2e-complete`)
    .then(() => true, () => false);
  if (!copied) {
    await removeStaleCopies();
    await copyProject();
    await copyDeno();
    await fillDenoDir();
    await Deno.writeTextFile(`${SHARE}/${PROJECT}/.leger-e2e-complete`, "");
  }
  await bootWithShare();
  await configurePasta();
}

/** Removes the project copies of `deno test` processes that have ended. */
async function removeStaleCopies(): Promise<void> {
  for await (const entry of Deno.readDir(SHARE)) {
    const match = /^project(?:-(\d+))?$/.exec(entry.name);
    if (match === null) continue;
    const alive = match[1] !== undefined &&
      await Deno.stat(`/proc/${match[1]}`).then(() => true, () => false);
    if (alive) continue;
    await Deno.remove(`${SHARE}/${entry.name}`, { recursive: true })
      .catch(ignoreNotFound);
  }
}

/**
 * Names the tap interface of rootless Podman's network namespace `tap0`.
 *
 * The host has no network interface but loopback, so pasta names its tap
 * after the first interface it finds: once root runs a container on a
 * `.network`, that is root's bridge `podman1`, which is also the name
 * rootless netavark gives its own first bridge, and every rootless container
 * on a `.network` then fails to start with "netavark: bridge interface podman1
 * already exists but is a Tun interface". A real host has an uplink, so this
 * belongs to the test host, not to leger (root ignores pasta options).
 */
async function configurePasta(): Promise<void> {
  const file = "/etc/containers/containers.conf.d/60-leger-e2e-pasta.conf";
  const text = '[network]\npasta_options = ["-I", "tap0"]\n';
  const result = await hostExec(
    `printf ${shellQuote(text)} > ${file}.tmp && mv ${file}.tmp ${file}`,
  );
  if (result.code !== 0) {
    throw new Error(`Cannot write ${file} inside the host:\n${result.stderr}`);
  }
}

/** Copies the project's tracked and untracked-but-not-ignored files, as they are now. */
async function copyProject(): Promise<void> {
  const target = `${SHARE}/${PROJECT}`;
  await Deno.remove(target, { recursive: true }).catch(ignoreNotFound);
  await mkdirReadable(target);
  const listed = await runOutside("git", [
    "-C",
    ROOT,
    "ls-files",
    "-z",
    "--cached",
    "--others",
    "--exclude-standard",
  ]);
  if (listed.code !== 0) {
    throw new Error(`Cannot list the project's files:\n${listed.stderr}`);
  }
  const files = listed.stdout.split("\0").filter((path) => path !== "");
  for (const path of new Set(files)) {
    let info: Deno.FileInfo;
    try {
      info = await Deno.lstat(`${ROOT}/${path}`);
    } catch (error) {
      // Tracked but deleted in the working tree right now.
      if (error instanceof Deno.errors.NotFound) continue;
      throw error;
    }
    const to = `${target}/${path}`;
    await mkdirReadable(to.slice(0, to.lastIndexOf("/")));
    if (info.isSymlink) {
      await Deno.symlink(await Deno.readLink(`${ROOT}/${path}`), to);
      continue;
    }
    if (!info.isFile) continue;
    await Deno.copyFile(`${ROOT}/${path}`, to);
    await Deno.chmod(to, (info.mode ?? 0o644) & 0o111 ? 0o755 : 0o644);
  }
}

/** Copies the running `deno` binary unless the share has the same one. */
async function copyDeno(): Promise<void> {
  const from = Deno.execPath();
  const to = `${SHARE}/deno`;
  const source = await Deno.stat(from);
  const copy = await Deno.stat(to).catch(() => null);
  if (
    copy?.size === source.size &&
    (copy.mtime?.getTime() ?? 0) >= (source.mtime?.getTime() ?? 0)
  ) return;
  await Deno.copyFile(from, `${to}.tmp`);
  await Deno.chmod(`${to}.tmp`, 0o755);
  await Deno.rename(`${to}.tmp`, to);
}

/** Fills `<share>/deno-dir` from the lock file, so that leger starts offline inside. */
async function fillDenoDir(): Promise<void> {
  const denoDir = `${SHARE}/deno-dir`;
  await mkdirReadable(denoDir);
  const env = { DENO_DIR: denoDir, NO_COLOR: "1" };
  for (
    const args of [
      ["install", "--frozen", "--quiet"],
      [
        "cache",
        "--frozen",
        "--quiet",
        "cli/main.ts",
        "daemon/main.ts",
        "tests/e2e/serve_leger_run.ts",
      ],
    ]
  ) {
    const result = await runOutside(Deno.execPath(), args, {
      cwd: `${SHARE}/${PROJECT}`,
      env,
    });
    if (result.code !== 0) {
      throw new Error(
        `Cannot fill the Deno cache for the host: deno ${
          args.join(" ")
        } exited ${result.code}\n${result.stderr}`,
      );
    }
  }
  // Root and uid 1000 both run Deno inside with this cache and may write to it.
  const chmod = await runOutside("chmod", ["-R", "a+rwX", denoDir]);
  if (chmod.code !== 0) {
    throw new Error(`Cannot open up ${denoDir}:\n${chmod.stderr}`);
  }
}

/**
 * Boots the host when it is not running, or stops and boots it again when it
 * runs with another share: podman-host.sh binds the share only at boot, and
 * keeps no record of which one, so a random id in the share tells.
 */
async function bootWithShare(): Promise<void> {
  let id = await Deno.readTextFile(SHARE_ID).catch(() => "");
  if (id === "") {
    id = crypto.randomUUID();
    await Deno.writeTextFile(SHARE_ID, id, { mode: 0o644 });
  }
  const seen = await hostExec(`cat ${INSIDE}/.share-id`);
  if (seen.code === 0 && seen.stdout === id) return;
  if (!/container not running/.test(seen.stderr)) {
    await script("stop");
  }
  await script("boot");
  const again = await hostExec(`cat ${INSIDE}/.share-id`);
  if (again.code !== 0 || again.stdout !== id) {
    throw new Error(
      `Cannot see the share ${SHARE} at ${INSIDE} inside the host after boot:\n${again.stderr}`,
    );
  }
}

async function script(verb: "boot" | "stop"): Promise<void> {
  const result = await runOutside("bash", [HOST_SCRIPT, verb]);
  if (result.code !== 0) {
    throw new Error(
      `Cannot ${verb} the e2e host: podman-host.sh ${verb} exited ${result.code}\n${result.stdout}${result.stderr}`,
    );
  }
}

async function mkdirReadable(dir: string): Promise<void> {
  await Deno.mkdir(dir, { recursive: true, mode: 0o755 });
}

function ignoreNotFound(error: unknown): void {
  if (!(error instanceof Deno.errors.NotFound)) throw error;
}

interface RunOutsideOptions {
  stdin?: string;
  cwd?: string;
  env?: Record<string, string>;
}

async function runOutside(
  bin: string,
  args: readonly string[],
  options: RunOutsideOptions = {},
): Promise<ExecResult> {
  const { stdin, cwd, env = {} } = options;
  return await spawnCaptured(bin, args, {
    stdin,
    cwd,
    env: { LEGER_E2E_SHARE: SHARE, ...env },
  });
}

/** A published port of a service in `leger deploy list --json`. */
export interface ListedPort {
  host_ip: string;
  host_port: number | string;
  container_port: number | string;
  protocol: string;
}

/** A service of a deployment in `leger deploy list --json`. */
export interface ListedService {
  unit: string;
  service: string;
  active_state: string;
  sub_state: string;
  status: string;
  ports: ListedPort[];
}

/** A deployment in `leger deploy list --json`. */
export interface ListedDeployment {
  deployment: string;
  scope: string;
  source: { type: string; location: string; commit?: string };
  version?: string;
  installed_at: string;
  services: ListedService[];
}

/**
 * Runs `leger deploy list --json` inside and parses it; throws with leger's
 * output when it fails or prints something else than JSON.
 */
export async function deployList(user: User): Promise<ListedDeployment[]> {
  const result = await leger(["deploy", "list", "--json"], { user });
  if (result.code !== 0) {
    throw new Error(
      `leger deploy list --json exited ${result.code}:\n${result.stderr}${result.stdout}`,
    );
  }
  try {
    return JSON.parse(result.stdout);
  } catch (error) {
    throw new Error(
      `leger deploy list --json printed no JSON document:\n${result.stdout}`,
      { cause: error },
    );
  }
}

/** A unit in `podman quadlet list --format json`. */
export interface QuadletEntry {
  Name: string;
  UnitName: string;
  Path: string;
  Status: string;
  App: string;
}

/** The quadlets Podman sees in a user's scope whose name starts with `prefix`. */
export async function quadletList(
  user: User,
  prefix = "",
): Promise<QuadletEntry[]> {
  const result = await hostExec("podman quadlet list --format json", { user });
  if (result.code !== 0) {
    throw new Error(`podman quadlet list failed:\n${result.stderr}`);
  }
  const all: QuadletEntry[] = JSON.parse(result.stdout || "[]") ?? [];
  return all.filter((entry) => entry.Name.startsWith(prefix));
}

/** `systemctl is-active UNIT` in a user's scope: `active`, `inactive`, `failed`… */
export async function activeState(unit: string, user: User): Promise<string> {
  const result = await hostExec(
    `${systemctl(user)} is-active ${shellQuote(unit)}`,
    { user },
  );
  return result.stdout.trim();
}

/** Whether `podman <object> exists NAME` says yes (object: container, volume, network). */
export async function podmanExists(
  object: "container" | "volume" | "network",
  name: string,
  user: User,
): Promise<boolean> {
  const result = await hostExec(
    `podman ${object} exists ${shellQuote(name)}`,
    { user },
  );
  return result.code === 0;
}

/** A result as text for assertion messages: exit code, stdout and stderr. */
export function describe(result: ExecResult): string {
  return `exit ${result.code}\n--- stdout\n${result.stdout}--- stderr\n${result.stderr}`;
}

/**
 * The JSON document a command printed on stdout; throws with the whole
 * result ("`what` printed no JSON") when it printed something else.
 */
export function parseJsonOutput<T = unknown>(
  result: ExecResult,
  what: string,
): T {
  try {
    return JSON.parse(result.stdout);
  } catch (error) {
    throw new Error(`${what} printed no JSON:\n${describe(result)}`, {
      cause: error,
    });
  }
}

/** Options for {@linkcode installDeployment}. */
export interface InstallOptions {
  user: User;
  /** Extra leger flags (`--wait`, `--force`…). */
  flags?: string[];
  /** Extra environment variables for leger. */
  env?: Record<string, string>;
}

/** `leger deploy install NAME --source SOURCE --yes [flags…]` inside the host. */
export async function installDeployment(
  name: string,
  source: string,
  options: InstallOptions,
): Promise<ExecResult> {
  const { user, flags = [], env } = options;
  return await leger(
    ["deploy", "install", name, "--source", source, "--yes", ...flags],
    { user, env },
  );
}

/** The files in a user's quadlet folder whose name starts with `prefix` or `.prefix`. */
export async function quadletFiles(
  user: User,
  prefix: string,
): Promise<string[]> {
  const result = await hostExec(
    `cd ${quadletDir(user)} 2>/dev/null && ls -A | grep -E ${
      shellQuote(`^\\.?${prefix}`)
    } || true`,
    { user },
  );
  return result.stdout.split("\n").filter((line) => line !== "").sort();
}

/** The loaded systemd units of a user's scope whose name starts with `prefix`. */
export async function loadedUnits(
  user: User,
  prefix: string,
): Promise<string[]> {
  const result = await hostExec(
    `${systemctl(user)} list-units --all --plain --no-legend ${
      shellQuote(`${prefix}*`)
    }`,
    { user },
  );
  return result.stdout.split("\n").filter((line) => line.trim() !== "")
    .map((line) => line.trim().split(/\s+/)[0]).sort();
}
