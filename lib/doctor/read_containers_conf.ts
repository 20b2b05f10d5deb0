import type { HostFiles } from "./host_files.ts";

/** What leger reads of Podman's containers.conf. */
export interface ContainersConf {
  /**
   * `driver` of `[secrets]`: where Podman keeps secret values (`file`, its
   * default, `pass` or `shell`).
   */
  secretsDriver: string;
  /** `pids_limit` of `[containers]`, or `null` when no file sets it (Podman's default, 2048). */
  pidsLimit: number | null;
  /** The files read, lowest precedence first. */
  files: string[];
}

/** Options for {@linkcode readContainersConf}. */
export interface ReadContainersConfOptions {
  /** The user Podman runs as (root reads the rootful folders, others the rootless ones). */
  uid: number;
  /** The user's home, for `~/.config/containers` when `XDG_CONFIG_HOME` is unset. */
  home: string;
  /** Reads `CONTAINERS_CONF`, `CONTAINERS_CONF_OVERRIDE` and `XDG_CONFIG_HOME`. */
  env(name: string): string | undefined;
}

const TABLE_REGEXP = /^\s*\[\s*([A-Za-z0-9_.-]+)\s*\]\s*(?:#.*)?$/;
const KEY_REGEXP = /^\s*([A-Za-z0-9_-]+)\s*=\s*(.*?)\s*$/;

/**
 * Reads the settings of Podman's containers.conf that leger cares about, in
 * the order containers-config(5) gives, each file overriding the keys of
 * those before: `/usr/share/containers/containers.conf`, its `.d/` folder
 * and the rootful (root) or rootless (`.d/`, `.d/UID/`) ones, the same under
 * `/etc/containers/`, then the user's own under `$XDG_CONFIG_HOME/containers/`
 * (or `~/.config/containers/`); `CONTAINERS_CONF` replaces them all, and
 * `CONTAINERS_CONF_OVERRIDE` comes last. Only the keys leger reads are
 * parsed (a line `key = value` in a `[table]`).
 *
 * @param files Reads the host's files.
 * @param options The user and its environment.
 * @returns The secrets driver (`file` when none is set), `pids_limit` and
 * the files read.
 *
 * @example Usage
 * ```ts
 * import { readContainersConf } from "./read_containers_conf.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const texts: Record<string, string> = {
 *   "/usr/share/containers/containers.conf": '[secrets]\n#driver = "file"\n',
 *   "/etc/containers/containers.conf.d/50-pids.conf": "[containers]\npids_limit = 0\n",
 * };
 * const files = {
 *   readText: (path: string) => Promise.resolve(texts[path] ?? null),
 *   list: (path: string) => Promise.resolve(path === "/etc/containers/containers.conf.d" ? ["50-pids.conf"] : null),
 *   exists: () => Promise.resolve(false),
 * };
 * const conf = await readContainersConf(files, { uid: 0, home: "/root", env: () => undefined });
 * deepStrictEqual([conf.secretsDriver, conf.pidsLimit], ["file", 0]);
 * ```
 */
export async function readContainersConf(
  files: HostFiles,
  options: ReadContainersConfOptions,
): Promise<ContainersConf> {
  const { uid, home, env } = options;
  const only = env("CONTAINERS_CONF");
  const override = env("CONTAINERS_CONF_OVERRIDE");
  const config = env("XDG_CONFIG_HOME")?.startsWith("/")
    ? env("XDG_CONFIG_HOME")!
    : `${home}/.config`;
  const plan: (string | { dir: string })[] = only ? [only] : [
    ...["/usr/share/containers", "/etc/containers"].flatMap((base) => [
      `${base}/containers.conf`,
      { dir: `${base}/containers.conf.d` },
      ...(uid === 0 ? [{ dir: `${base}/containers.rootful.conf.d` }] : [
        { dir: `${base}/containers.rootless.conf.d` },
        { dir: `${base}/containers.rootless.conf.d/${uid}` },
      ]),
    ]),
    `${config}/containers/containers.conf`,
    { dir: `${config}/containers/containers.conf.d` },
  ];
  if (override) plan.push(override);
  const paths = (await Promise.all(plan.map(async (entry) => {
    if (typeof entry === "string") return [entry];
    const names = await files.list(entry.dir) ?? [];
    return names.filter((n) => n.endsWith(".conf")).map((n) =>
      `${entry.dir}/${n}`
    );
  }))).flat();
  const texts = await Promise.all(paths.map((path) => files.readText(path)));
  const conf: ContainersConf = {
    secretsDriver: "file",
    pidsLimit: null,
    files: [],
  };
  texts.forEach((text, index) => {
    if (text === null) return;
    conf.files.push(paths[index]);
    let table = "";
    for (const line of text.split("\n")) {
      const header = TABLE_REGEXP.exec(line);
      if (header !== null) {
        table = header[1];
        continue;
      }
      const entry = KEY_REGEXP.exec(line);
      if (entry === null || line.trimStart().startsWith("#")) continue;
      const [, key, raw] = entry;
      const value = raw.replace(/\s+#.*$/, "");
      if (table === "secrets" && key === "driver") {
        conf.secretsDriver = value.replace(/^["']|["']$/g, "");
      } else if (table === "containers" && key === "pids_limit") {
        const limit = Number(value);
        if (Number.isInteger(limit)) conf.pidsLimit = limit;
      }
    }
  });
  return conf;
}
