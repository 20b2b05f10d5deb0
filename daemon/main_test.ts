import { match, strictEqual } from "node:assert/strict";
import { VERSION } from "../cli/version.ts";
import { EX_CONFIG, LEGERD_HELP, main, type MainDeps } from "./main.ts";
import type { LegerdHost } from "./run_legerd.ts";

function capture(host: Partial<LegerdHost> = {}) {
  const streams = { out: "", err: "" };
  const deps: MainDeps = {
    out: (text) => streams.out += text,
    err: (text) => streams.err += text,
    host: () => {
      if (Object.keys(host).length === 0) {
        throw new Error("legerd was not to run");
      }
      return host as LegerdHost;
    },
  };
  return { deps, streams };
}

Deno.test("main() prints the version and the help, and runs nothing", async (t) => {
  for (
    const [argv, want] of [[["--version"], `legerd ${VERSION}\n`], [
      ["-h"],
      LEGERD_HELP,
    ]] as const
  ) {
    await t.step(argv.join(" "), async () => {
      const { deps, streams } = capture();
      strictEqual(await main(argv, deps), 0);
      strictEqual(streams.out, want);
      strictEqual(streams.err, "");
    });
  }
  match(LEGERD_HELP, /^legerd \S+: keeps the Podman secrets/);
  match(LEGERD_HELP, /--scope user\|system/);
  match(LEGERD_HELP, /SIGHUP reloads legerd\.yaml/);
});

Deno.test("main() exits 2 on a bad command line, with the usage and [ERR_USAGE]", async () => {
  const { deps, streams } = capture();
  strictEqual(await main(["--scope", "users"], deps), 2);
  strictEqual(streams.out, "");
  strictEqual(
    streams.err,
    [
      "Error: Cannot run legerd: option '--scope' must be user or system, not 'users' (did you mean 'user'?)",
      "  usage: legerd [--scope user|system] [--config PATH] [--version] [--help]",
      "Run `legerd --help` for its flags",
      "[ERR_USAGE]",
      "",
    ].join("\n"),
  );
});

Deno.test("main() prints why legerd cannot start, with the fix, and exits non-zero", async () => {
  const { deps, streams } = capture({
    env: () => undefined,
    home: "/nonexistent",
    uid: 1000,
    pid: 1,
    log: () => {},
  });
  strictEqual(await main(["--scope", "system"], deps), 2);
  match(
    streams.err,
    /^Error: Cannot run legerd for the system scope as uid 1000: it needs root/,
  );
  match(streams.err, /\[ERR_USAGE\]\n$/);
});

Deno.test("main() exits 78 (EX_CONFIG) when legerd.yaml cannot be used, so that systemd does not restart it", async () => {
  const home = await Deno.makeTempDir({ prefix: "leger_main_" });
  try {
    await Deno.mkdir(`${home}/.config/leger`, { recursive: true });
    await Deno.writeTextFile(
      `${home}/.config/leger/legerd.yaml`,
      "restart: sometimes\n",
    );
    const { deps, streams } = capture({
      env: () => undefined,
      home,
      uid: 1000,
      pid: 1,
      log: () => {},
    });
    strictEqual(await main([], deps), EX_CONFIG);
    strictEqual(EX_CONFIG, 78);
    match(streams.err, /restart at line 1 is "sometimes"/);
    match(streams.err, /\[ERR_CONFIG_INVALID\]\n$/);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("main() exits 78 (EX_CONFIG) for every error of legerd's configuration, files and environment, and 1 for a refusal that is not", async (t) => {
  const home = await Deno.makeTempDir({ prefix: "leger_main_" });
  try {
    await Deno.mkdir(`${home}/.config/leger`, { recursive: true });
    const host = (
      env: Record<string, string>,
      netAllowed = () => true,
    ): Partial<LegerdHost> => ({
      env: (name) => env[name],
      home,
      uid: 1000,
      pid: 1,
      log: () => {},
      netAllowed,
      // The runtime folder counts as uid 1000's own.
      stat: () => ({ kind: "folder", uid: 1000 }),
    });
    const session = { XDG_RUNTIME_DIR: `${home}/run` };
    const cases: [string, Partial<LegerdHost>, string, number, RegExp][] = [
      [
        "config.yaml's api_url naming a host leger may not reach",
        host(session),
        "api_url: http://evil.test:18788\n",
        EX_CONFIG,
        /^Error: Cannot use api_url in .*\/\.config\/leger\/config\.yaml "http:\/\/evil\.test:18788": leger may connect only to .*\[ERR_NETWORK_NOT_ALLOWED\]\n$/s,
      ],
      [
        "LEGER_API_URL naming a host leger may not reach",
        host({ ...session, LEGER_API_URL: "https://api.example.com" }),
        "",
        EX_CONFIG,
        /^Error: Cannot use LEGER_API_URL "https:\/\/api\.example\.com": .*\[ERR_NETWORK_NOT_ALLOWED\]\n$/s,
      ],
      [
        "XDG_RUNTIME_DIR outside a login session",
        host({ XDG_RUNTIME_DIR: "run" }),
        "",
        EX_CONFIG,
        /^Error: Cannot start legerd for the user scope: XDG_RUNTIME_DIR is "run", not an absolute path, so this is not a login session of uid 1000\n.*\[ERR_SYSTEMD_NOT_RUNNING\]\n$/s,
      ],
      [
        "a socket legerd's permission refuses (not configuration)",
        host(session, () => false),
        "",
        1,
        /^Error: Cannot listen on .*\[ERR_NETWORK_NOT_ALLOWED\]\n$/s,
      ],
    ];
    for (const [name, legerdHost, configYaml, exit, stderr] of cases) {
      await t.step(name, async () => {
        await Deno.writeTextFile(
          `${home}/.config/leger/config.yaml`,
          configYaml,
        );
        const { deps, streams } = capture(legerdHost);
        strictEqual(await main([], deps), exit);
        match(streams.err, stderr);
      });
    }
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
