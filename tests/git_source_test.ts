/**
 * Git sources against real git: bare repositories made here, served over
 * `file://` and over smart HTTP (`git http-backend` behind a loopback
 * server), fetched with `fetchGitSource()`.
 *
 * @module
 */
import { deepStrictEqual, ok, rejects, strictEqual } from "node:assert/strict";
import { run, type Runner } from "../lib/adapters/run.ts";
import { LegerError } from "../lib/errors/mod.ts";
import { fetchGitSource } from "../lib/source/fetch_git_source.ts";
import type { LoadedDeployment } from "../lib/source/types.ts";
import {
  type DeploymentRepo,
  ISOLATED_GIT_ENV,
  makeDeploymentRepo,
  makeSoloRepo,
} from "./_git_repos.ts";
import { listTree, tempFolder } from "./_folders.ts";
import {
  DENO_DIR,
  permissionFlags,
  ROOT as LEGER_ROOT,
  runLeger,
} from "./_leger.ts";
import { startGitHttpServer } from "./git_http_server.ts";

const ROOT = await Deno.makeTempDir({ prefix: "leger_git_repos_" });
globalThis.addEventListener("unload", () => {
  Deno.removeSync(ROOT, { recursive: true });
});
/** 3 commits of 1.5 MB of random bytes under big/. */
const REPO: DeploymentRepo = await makeDeploymentRepo(ROOT, {
  bigCommits: 3,
  bigFileBytes: 1_500_000,
});
await makeSoloRepo(ROOT);
const FILE_URL = `file://${REPO.bare}`;
const SECRET = "s3cret-Tok3n";

/** The real runner, with git kept away from this machine's git config. */
const isolated: Runner = (bin, args, options = {}) =>
  run(bin, args, { ...options, env: { ...options.env, ...ISOLATED_GIT_ENV } });

/** Runs `fn` with a fresh temporary folder, checks fetchGitSource left it empty. */
async function inTempDir(fn: (tempDir: string) => Promise<void>) {
  const tempDir = await Deno.makeTempDir({ prefix: "leger_git_tmp_" });
  try {
    await fn(tempDir);
    deepStrictEqual(await Array.fromAsync(Deno.readDir(tempDir)), []);
  } finally {
    await Deno.remove(tempDir, { recursive: true });
  }
}

function text(deployment: LoadedDeployment, path: string): string {
  const file = deployment.files.find((f) => f.path === path);
  ok(file, `${path} is not in ${deployment.files.map((f) => f.path)}`);
  return new TextDecoder().decode(file.bytes);
}

Deno.test("fetchGitSource() reads a folder at a branch over file:// when the URL ends in #REF:PATH", async () => {
  await inTempDir(async (tempDir) => {
    const url = `${FILE_URL}#main:apps/web`;
    const deployment = await fetchGitSource(url, {
      runner: isolated,
      tempDir,
    });
    strictEqual(deployment.name, "web");
    deepStrictEqual(deployment.source, {
      type: "git",
      location: url,
      ref: "main",
      commit: REPO.commits.main,
    });
    deepStrictEqual(deployment.files.map((f) => f.path), [
      "web-data.volume",
      "web.container",
      "web.container.d/10-limits.conf",
    ]);
    ok(text(deployment, "web.container").includes("nginx:1.28"));
    deepStrictEqual(deployment.manifest.units, {
      container: ["web.container"],
      volume: ["web-data.volume"],
    });
  });
});

Deno.test("fetchGitSource() resolves each URL form over smart HTTP and file://", async (t) => {
  await using server = await startGitHttpServer({ root: ROOT });
  const base = `${server.url}/org`;
  const cases: {
    name: string;
    url: string;
    deployment: string;
    ref: string;
    commit: string;
    image?: string;
  }[] = [
    {
      name:
        "a GitHub-style tree URL whose branch holds / (over the tag `feature`)",
      url: `${base}/repo/tree/feature/x/apps/web`,
      deployment: "web-feature",
      ref: "feature/x",
      commit: REPO.commits.featureX,
      image: "nginx:feature",
    },
    {
      name: "a GitLab-style tree URL at an annotated tag",
      url: `${base}/repo/-/tree/v1.0/apps/web`,
      deployment: "web",
      ref: "v1.0",
      commit: REPO.commits.first,
      image: "nginx:1.27",
    },
    {
      name: "a Gitea-style branch URL",
      url: `${base}/repo/src/branch/main/apps/api`,
      deployment: "api",
      ref: "main",
      commit: REPO.commits.main,
    },
    {
      name: "a Forgejo-style tag URL",
      url: `${base}/repo/src/tag/v1.0/apps/web`,
      deployment: "web",
      ref: "v1.0",
      commit: REPO.commits.first,
      image: "nginx:1.27",
    },
    {
      name: "a .git URL at a commit that no ref points to",
      url: `${base}/repo.git#${REPO.commits.first}:apps/web`,
      deployment: "web",
      ref: REPO.commits.first,
      commit: REPO.commits.first,
      image: "nginx:1.27",
    },
    {
      name: "a repository URL with neither ref nor folder",
      url: `${base}/solo`,
      deployment: "solo",
      ref: "trunk",
      commit: "",
    },
    {
      name: "a file:// URL at a tag",
      url: `${FILE_URL}#v1.0:apps/web`,
      deployment: "web",
      ref: "v1.0",
      commit: REPO.commits.first,
      image: "nginx:1.27",
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      await inTempDir(async (tempDir) => {
        const deployment = await fetchGitSource(c.url, {
          runner: isolated,
          tempDir,
        });
        strictEqual(deployment.name, c.deployment);
        strictEqual(deployment.source.type, "git");
        strictEqual(deployment.source.location, c.url);
        strictEqual(deployment.source.ref, c.ref);
        ok(/^[0-9a-f]{40}$/.test(deployment.source.commit ?? ""));
        if (c.commit !== "") strictEqual(deployment.source.commit, c.commit);
        if (c.image !== undefined) {
          ok(text(deployment, "web.container").includes(c.image));
        }
      });
    });
  }
});

Deno.test("fetchGitSource() downloads none of the blobs of other folders when it fetches one folder", async (t) => {
  await using server = await startGitHttpServer({ root: ROOT });
  for (
    const [name, url] of [
      ["over smart HTTP", `${server.url}/org/repo/tree/main/apps/web`],
      ["over file://", `${FILE_URL}#main:apps/web`],
    ]
  ) {
    await t.step(name, async () => {
      // Look into the temporary clone right after its checkout, before
      // fetchGitSource removes it.
      let objects = "";
      const spy: Runner = async (bin, args, options = {}) => {
        const result = await isolated(bin, args, options);
        if (args.includes("checkout")) {
          objects = (await isolated(
            "git",
            ["cat-file", "--batch-check", "--batch-all-objects"],
            { cwd: options.cwd },
          )).stdout;
        }
        return result;
      };
      server.resetCounters();
      await inTempDir(async (tempDir) => {
        const deployment = await fetchGitSource(url, { runner: spy, tempDir });
        strictEqual(deployment.files.length, 3);
      });
      const blobs = objects.split("\n")
        .map((line) => line.split(" "))
        .filter(([, type]) => type === "blob");
      const bigFound = blobs.filter(([id]) => REPO.bigBlobs.has(id));
      deepStrictEqual(bigFound, [], "blobs of big/ were downloaded");
      // Only the three files of apps/web (the README at the top is not
      // checked out either: the sparse pattern is anchored at the folder).
      strictEqual(blobs.length, 3, objects);
      const blobBytes = blobs.reduce(
        (sum, [, , size]) => sum + Number(size),
        0,
      );
      ok(blobBytes < 2_000, `${blobBytes} bytes of blobs`);
      if (url.startsWith("http")) {
        ok(
          server.bytesServed < REPO.bigBytes / 100,
          `${server.bytesServed} bytes served, big/ holds ${REPO.bigBytes}`,
        );
      }
    });
  }
});

Deno.test("fetchGitSource() reports what is missing and how to fix it when the ref, folder or repository is wrong", async (t) => {
  await using server = await startGitHttpServer({ root: ROOT });
  const base = `${server.url}/org`;
  const short = REPO.commits.main.slice(0, 12);
  const cases: [string, string, string, RegExp, RegExp][] = [
    [
      "a folder that is not in the commit",
      `${base}/repo/tree/main/apps/nope`,
      "ERR_SOURCE_NOT_FOUND",
      new RegExp(
        `^Cannot find folder "apps/nope" in ${base}/repo at "main" \\(commit ${short}\\): it does not exist$`,
      ),
      /git -C \/tmp\/repo ls-tree -r -d --name-only HEAD$/,
    ],
    [
      "a path that is a file",
      `${FILE_URL}#main:apps/web/web.container`,
      "ERR_SOURCE_NOT_FOUND",
      /it is a file, not a folder$/,
      /--branch main /,
    ],
    [
      "a tree URL whose ref is not on the remote",
      `${base}/repo/tree/nope/apps/web`,
      "ERR_GIT_CLONE_FAILED",
      /none of "nope", "nope\/apps", "nope\/apps\/web" is a branch or tag/,
      new RegExp(`git ls-remote --heads --tags ${base}/repo$`),
    ],
    [
      "a #REF that is not on the remote",
      `${base}/repo.git#nope:apps/web`,
      "ERR_GIT_CLONE_FAILED",
      /^Cannot fetch .*#nope:apps\/web at "nope": fatal: couldn't find remote ref nope$/,
      new RegExp(`git ls-remote ${base}/repo\\.git;`),
    ],
    [
      "a repository that does not exist over HTTP",
      `${base}/missing/tree/main/web`,
      "ERR_GIT_CLONE_FAILED",
      /^Cannot fetch .*\/org\/missing\/tree\/main\/web: fatal: /,
      /credentials or your ssh agent/,
    ],
    [
      "a repository that does not exist over file://",
      `file://${ROOT}/org/missing.git#main:web`,
      "ERR_GIT_CLONE_FAILED",
      /does not appear to be a git repository/,
      /git ls-remote file:\/\//,
    ],
    [
      "a /blob/ URL",
      `${base}/repo/blob/main/apps/web/web.container`,
      "ERR_USAGE",
      /it names a file \(a \/blob\/ URL\), not a folder$/,
      new RegExp(`--source ${base}/repo/tree/main/apps/web$`),
    ],
  ];
  for (const [name, url, code, message, remedy] of cases) {
    await t.step(name, async () => {
      await inTempDir(async (tempDir) => {
        await rejects(
          fetchGitSource(url, { runner: isolated, tempDir }),
          (err: unknown) => {
            ok(err instanceof LegerError, String(err));
            strictEqual(err.code, code, err.message);
            ok(message.test(err.message), err.message);
            ok(remedy.test(err.remedy ?? ""), err.remedy);
            return true;
          },
        );
      });
    });
  }
});

Deno.test("fetchGitSource() uses credentials given in the URL but never shows them", async (t) => {
  await using server = await startGitHttpServer({
    root: ROOT,
    auth: { user: "alice", password: SECRET },
  });
  const host = server.url.slice("http://".length);
  const folder = "/org/repo/tree/main/apps/web";

  await t.step("with the right credentials", async () => {
    await inTempDir(async (tempDir) => {
      const deployment = await fetchGitSource(
        `http://alice:${SECRET}@${host}${folder}`,
        { runner: isolated, tempDir },
      );
      strictEqual(deployment.source.location, `http://${host}${folder}`);
      const shown = JSON.stringify({ ...deployment, files: [] });
      ok(!shown.includes(SECRET), shown);
      ok(!shown.includes("alice"), shown);
      ok(server.requests.some((r) => r.status === 401));
    });
  });

  const failures: [string, string, RegExp][] = [
    [
      "with a wrong password",
      `http://alice:wrong-${SECRET}@${host}${folder}`,
      /Authentication failed/,
    ],
    [
      "without credentials, failing instead of prompting",
      `http://${host}${folder}`,
      /could not read Username|terminal prompts disabled/,
    ],
  ];
  for (const [name, url, message] of failures) {
    await t.step(name, async () => {
      await inTempDir(async (tempDir) => {
        await rejects(
          fetchGitSource(url, { runner: isolated, tempDir }),
          (err: unknown) => {
            ok(err instanceof LegerError, String(err));
            strictEqual(err.code, "ERR_GIT_CLONE_FAILED");
            ok(message.test(err.message), err.message);
            const cause = err.cause as Error & { args?: string[] };
            const everything = JSON.stringify([
              err.message,
              err.details,
              err.remedy,
              cause.message,
              cause.args,
              String(err),
            ]);
            ok(!everything.includes(SECRET), everything);
            ok(everything.includes(`http://${host}`), everything);
            return true;
          },
        );
      });
    });
  }
});

Deno.test("leger deploy install --dry-run --json plans a Git folder over HTTP and never prints its credentials", async (t) => {
  await using server = await startGitHttpServer({
    root: ROOT,
    auth: { user: "alice", password: SECRET },
  });
  await using home = await tempFolder();
  const env = {
    ...ISOLATED_GIT_ENV,
    HOME: home.path,
    XDG_CONFIG_HOME: `${home.path}/config`,
    XDG_DATA_HOME: `${home.path}/data`,
  };
  const host = server.url.slice("http://".length);
  const folder = "/org/repo/tree/feature/x/apps/web";
  const leger = (url: string, json = true) =>
    runLeger([
      "deploy",
      "install",
      "--source",
      url,
      "--dry-run",
      ...(json ? ["--json"] : []),
      "--scope",
      "user",
    ], { env });

  await t.step("with the right credentials", async () => {
    const result = await leger(`http://alice:${SECRET}@${host}${folder}`);
    strictEqual(result.code, 0, result.stderr);
    const plan = JSON.parse(result.stdout);
    strictEqual(plan.deployment, "web-feature");
    deepStrictEqual(plan.source, {
      type: "git",
      location: `http://${host}${folder}`,
      ref: "feature/x",
      commit: REPO.commits.featureX,
    });
    strictEqual(plan.valid, true, result.stdout);
    ok(!`${result.stdout}${result.stderr}`.includes(SECRET));
  });

  await t.step("with a wrong password, on stderr", async () => {
    const result = await leger(
      `http://alice:x${SECRET}@${host}${folder}`,
      false,
    );
    strictEqual(result.code, 1, result.stderr);
    ok(result.stderr.includes("[ERR_GIT_CLONE_FAILED]"), result.stderr);
    ok(result.stderr.includes(`http://${host}`), result.stderr);
    ok(!`${result.stdout}${result.stderr}`.includes(SECRET), result.stderr);
  });

  await t.step("with a wrong password, in the --json plan", async () => {
    const result = await leger(`http://alice:x${SECRET}@${host}${folder}`);
    strictEqual(result.code, 1, result.stderr);
    const plan = JSON.parse(result.stdout);
    strictEqual(plan.errors[0]?.code, "ERR_GIT_CLONE_FAILED", result.stdout);
    ok(
      !`${result.stdout}${result.stderr}`.includes(SECRET),
      `the plan shows the credentials: ${JSON.stringify(plan.source)}`,
    );
  });
});

/** Fails when `promise` has not settled after `ms`: a bound, not a sleep. */
async function bounded<T>(promise: Promise<T>, ms: number, what: string) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`${what} took longer than ${ms} ms`)),
          ms,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** The command line of every process this user can see, words joined by spaces. */
async function commandLines(): Promise<string[]> {
  const lines: string[] = [];
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^[0-9]+$/.test(entry.name)) continue;
    try {
      const bytes = await Deno.readFile(`/proc/${entry.name}/cmdline`);
      lines.push(new TextDecoder().decode(bytes).replaceAll("\0", " "));
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return lines;
}

/** The text of every file below `dir` (files that vanish meanwhile are skipped). */
async function filesBelow(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const path of await listTree(dir)) {
    try {
      files.set(path, await Deno.readTextFile(`${dir}/${path}`));
    } catch {
      // A folder, or a lock file git removed meanwhile.
    }
  }
  return files;
}

Deno.test("fetchGitSource() never puts the credentials of a URL in a process's arguments or a file of the checkout", async () => {
  const token = `tok-${crypto.randomUUID()}`;
  const found: string[] = [];
  const seen = { requests: 0, gitProcesses: 0, configs: 0 };
  let host = "";
  let tempDir = "";
  await using server = await startGitHttpServer({
    root: ROOT,
    auth: { user: "alice", password: token },
    // git waits for this answer: every process and file is looked at now.
    beforeAnswer: async () => {
      seen.requests++;
      for (const line of await commandLines()) {
        if (line.includes(token)) found.push(`process: ${line}`);
        if (line.includes(host) && line.includes("git")) seen.gitProcesses++;
      }
      for (const top of await Array.fromAsync(Deno.readDir(tempDir))) {
        const mode = (await Deno.stat(`${tempDir}/${top.name}`)).mode! & 0o777;
        if (mode !== 0o700) found.push(`${top.name} is ${mode.toString(8)}`);
      }
      for (const [path, text] of await filesBelow(tempDir)) {
        if (path.endsWith(".git/config")) seen.configs++;
        if (text.includes(token)) found.push(`file: ${path}`);
      }
    },
  });
  host = server.url.slice("http://".length);
  await inTempDir(async (dir) => {
    tempDir = dir;
    const deployment = await fetchGitSource(
      `http://alice:${token}@${host}/org/repo/tree/main/apps/web`,
      { runner: isolated, tempDir },
    );
    strictEqual(deployment.source.commit, REPO.commits.main);
  });
  deepStrictEqual(found, []);
  // The samples were taken while git ran and the checkout existed.
  ok(seen.requests >= 4, JSON.stringify(seen));
  ok(seen.gitProcesses >= seen.requests, JSON.stringify(seen));
  ok(seen.configs >= 1, JSON.stringify(seen));
});

Deno.test("leger removes the checkout of a Git source when SIGINT, SIGTERM or SIGHUP stops it in the middle of a fetch", async (t) => {
  const token = `tok-${crypto.randomUUID()}`;
  const runs: [Deno.Signal, string[]][] = [
    ["SIGINT", ["deploy", "install", "--source", "URL", "--dry-run"]],
    ["SIGTERM", ["validate", "URL"]],
    ["SIGHUP", ["deploy", "install", "--source", "URL", "--dry-run", "--json"]],
  ];
  for (const [signal, words] of runs) {
    const command = words.filter((word) => /^[a-z]+$/.test(word)).join(" ");
    await t.step(`${signal} during leger ${command}`, async () => {
      const arrived = Promise.withResolvers<void>();
      const release = Promise.withResolvers<void>();
      // A slow server, one per run (git's helpers outlive a stopped git and
      // ask again): the first request is held until the run is over.
      await using server = await startGitHttpServer({
        root: ROOT,
        auth: { user: "alice", password: token },
        beforeAnswer: async () => {
          arrived.resolve();
          await release.promise;
        },
      });
      const url = `http://alice:${token}@${
        server.url.slice("http://".length)
      }/org/repo/tree/main/apps/web`;
      await using home = await tempFolder();
      const tmp = `${home.path}/tmp`;
      await Deno.mkdir(tmp);
      const child = new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--quiet",
          ...permissionFlags("leger"),
          `${LEGER_ROOT}/cli/main.ts`,
          ...words.map((word) => word === "URL" ? url : word),
          "--scope",
          "user",
        ],
        clearEnv: true,
        env: {
          ...ISOLATED_GIT_ENV,
          PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
          HOME: home.path,
          XDG_CONFIG_HOME: `${home.path}/config`,
          XDG_DATA_HOME: `${home.path}/data`,
          TMPDIR: tmp,
          NO_COLOR: "1",
          DENO_DIR,
        },
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const output = child.output();
      try {
        await bounded(arrived.promise, 60_000, "the first request of git");
        const entries = await Array.fromAsync(Deno.readDir(tmp));
        deepStrictEqual(entries.map((entry) => entry.name.slice(0, 10)), [
          "leger_git_",
        ]);
        strictEqual(
          (await Deno.stat(`${tmp}/${entries[0].name}`)).mode! & 0o777,
          0o700,
        );
        child.kill(signal);
        const { code, stdout, stderr } = await bounded(
          output,
          30_000,
          `leger after ${signal}`,
        );
        const text = new TextDecoder().decode(stdout) +
          new TextDecoder().decode(stderr);
        strictEqual(code, 130, text);
        ok(text.includes("ERR_INTERRUPTED"), text);
        ok(!text.includes(token), text);
        deepStrictEqual(await listTree(tmp), []);
      } finally {
        release.resolve();
        try {
          child.kill("SIGKILL");
        } catch {
          // It has ended.
        }
        await output;
      }
    });
  }
});

/** A loopback server that accepts connections and never answers. */
function silentServer(): { url: string } & AsyncDisposable {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const connections: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const connection of listener) connections.push(connection);
  })().catch(() => {});
  return {
    url: `http://127.0.0.1:${listener.addr.port}`,
    async [Symbol.asyncDispose]() {
      listener.close();
      await accepting;
      for (const connection of connections) connection.close();
    },
  };
}

Deno.test("fetchGitSource() gives up on a server that accepts and never answers, saying how long it waited", async (t) => {
  await using silent = silentServer();
  const url = `${silent.url}/org/repo.git#main:apps/web`;
  const shown = `${silent.url}/org/repo.git`;

  await t.step("after timeoutMs, stopping git", async () => {
    await inTempDir(async (tempDir) => {
      await rejects(
        bounded(
          fetchGitSource(url.replace("http://", "http://tok:en@"), {
            runner: isolated,
            tempDir,
            timeoutMs: 300,
          }),
          20_000,
          "fetchGitSource()",
        ),
        (err: unknown) => {
          ok(err instanceof LegerError, String(err));
          strictEqual(err.code, "ERR_GIT_CLONE_FAILED");
          ok(err.message.startsWith(`Cannot fetch ${shown}#main:apps/web:`));
          ok(
            /within the limit of 0\.3 s \(waited \d+(\.\d)? s\)/.test(
              err.message,
            ),
            err.message,
          );
          ok(!err.message.includes("tok:en"), err.message);
          return true;
        },
      );
    });
  });

  await t.step("when git's own low-speed limit ends it first", async () => {
    await inTempDir(async (tempDir) => {
      await rejects(
        bounded(
          fetchGitSource(url, {
            runner: isolated,
            tempDir,
            lowSpeedTime: 1,
          }),
          20_000,
          "fetchGitSource()",
        ),
        (err: unknown) => {
          ok(err instanceof LegerError, String(err));
          strictEqual(err.code, "ERR_GIT_CLONE_FAILED");
          ok(err.message.includes(shown), err.message);
          ok(/Operation too slow/.test(err.message), err.message);
          return true;
        },
      );
    });
  });

  await t.step("leger validate --timeout", async () => {
    const result = await bounded(
      runLeger(["validate", url, "--timeout", "0.5", "--scope", "user"], {
        env: ISOLATED_GIT_ENV,
      }),
      30_000,
      "leger validate",
    );
    strictEqual(result.code, 1, result.stderr);
    ok(result.stderr.includes("[ERR_GIT_CLONE_FAILED]"), result.stderr);
    ok(
      /within the limit of 0\.5 s \(waited \d+(\.\d)? s\)/.test(result.stderr),
      result.stderr,
    );
    ok(result.stderr.includes("--timeout"), result.stderr);
  });
});
