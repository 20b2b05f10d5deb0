import { deepStrictEqual } from "node:assert/strict";
import type { HostFiles } from "./host_files.ts";
import { readContainersConf } from "./read_containers_conf.ts";

function files(texts: Record<string, string>): HostFiles {
  return {
    readText: (path) => Promise.resolve(texts[path] ?? null),
    list: (dir) => {
      const names = Object.keys(texts).filter((p) =>
        p.startsWith(`${dir}/`) && !p.slice(dir.length + 1).includes("/")
      ).map((p) => p.slice(dir.length + 1));
      return Promise.resolve(names.length === 0 ? null : names.sort());
    },
    exists: (path) => Promise.resolve(path in texts),
  };
}

const DEBIAN =
  '[secrets]\n#driver = "file"\n\n[secrets.opts]\n#root = "/example/directory"\n';

Deno.test("readContainersConf() reads the files in containers-config(5)'s order, the last one winning", async () => {
  const host = files({
    "/usr/share/containers/containers.conf": DEBIAN,
    "/etc/containers/containers.conf.d/50-e2e.conf":
      "[containers]\npids_limit = 0 # no pids controller\nkeyring = false\n",
    "/etc/containers/containers.conf.d/README": '[secrets]\ndriver = "nope"\n',
    "/etc/containers/containers.rootless.conf.d/1000/x.conf":
      "[secrets]\ndriver = 'shell'\n",
    "/home/a/.config/containers/containers.conf":
      '[secrets]\ndriver = "pass"\n[secrets.opts]\ndriver = "ignored"\n',
  });
  const user = await readContainersConf(host, {
    uid: 1000,
    home: "/home/a",
    env: () => undefined,
  });
  deepStrictEqual(user, {
    secretsDriver: "pass",
    pidsLimit: 0,
    files: [
      "/usr/share/containers/containers.conf",
      "/etc/containers/containers.conf.d/50-e2e.conf",
      "/etc/containers/containers.rootless.conf.d/1000/x.conf",
      "/home/a/.config/containers/containers.conf",
    ],
  });
  // Root reads no rootless file, and its own home.
  const root = await readContainersConf(host, {
    uid: 0,
    home: "/root",
    env: () => undefined,
  });
  deepStrictEqual([root.secretsDriver, root.pidsLimit], ["file", 0]);
});

Deno.test("readContainersConf() reads only CONTAINERS_CONF when set, then CONTAINERS_CONF_OVERRIDE", async () => {
  const host = files({
    "/etc/containers/containers.conf": "[containers]\npids_limit = 100\n",
    "/tmp/only.conf": '[secrets]\ndriver="shell"\n',
    "/tmp/over.conf": "[containers]\npids_limit=5\n",
  });
  const env = (name: string) =>
    ({
      CONTAINERS_CONF: "/tmp/only.conf",
      CONTAINERS_CONF_OVERRIDE: "/tmp/over.conf",
    })[name];
  const conf = await readContainersConf(host, {
    uid: 1000,
    home: "/home/a",
    env,
  });
  deepStrictEqual(conf, {
    secretsDriver: "shell",
    pidsLimit: 5,
    files: ["/tmp/only.conf", "/tmp/over.conf"],
  });
  // Nothing at all: Podman's defaults.
  deepStrictEqual(
    await readContainersConf(files({}), {
      uid: 1000,
      home: "/home/a",
      env: () => undefined,
    }),
    { secretsDriver: "file", pidsLimit: null, files: [] },
  );
});
