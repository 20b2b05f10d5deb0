import { deepStrictEqual, ok, rejects, strictEqual } from "node:assert/strict";
import { CommandError } from "../adapters/command_error.ts";
import { type FakeCall, fakeRunner } from "../adapters/fake_runner.ts";
import { GIT_ENV } from "../adapters/git.ts";
import type { Runner, RunOptions } from "../adapters/run.ts";
import { LegerError } from "../errors/mod.ts";
import { dirname } from "node:path";
import { fetchGitSource } from "./fetch_git_source.ts";

const COMMIT = "c".repeat(40);
const UNITS = {
  "web.container": "[Container]\nImage=docker.io/library/nginx:1\n",
  "data.volume": "[Volume]\n",
};

/** Expected git calls after `git init` (whose folder is not known in advance). */
function fetchCalls(options: {
  url: string;
  fetchRef: string;
  path: string;
  tree?: string;
}): FakeCall[] {
  const { url, fetchRef, path, tree } = options;
  return [
    { bin: "git", args: ["remote", "add", "--", "origin", url] },
    ...(path === "" ? [] : [{
      bin: "git",
      args: ["sparse-checkout", "set", "--no-cone", "--stdin"],
      stdin: `/${path}/\n`,
    }]),
    {
      bin: "git",
      args: [
        "fetch",
        "--quiet",
        "--no-tags",
        "--depth",
        "1",
        "--filter=blob:none",
        "--",
        "origin",
        fetchRef,
      ],
    },
    {
      bin: "git",
      args: ["rev-parse", "--verify", "FETCH_HEAD^{commit}"],
      result: { stdout: `${COMMIT}\n` },
    },
    {
      bin: "git",
      args: [
        "-c",
        "advice.detachedHead=false",
        "checkout",
        "--quiet",
        "--detach",
        COMMIT,
      ],
    },
    // Asked only when the checkout left the folder missing or empty.
    ...(tree === undefined ? [] : [{
      bin: "git",
      args: ["--literal-pathspecs", "ls-tree", "-z", COMMIT, "--", path],
      result: { stdout: tree === "" ? "" : `${tree}\t${path}\0` },
    }]),
  ];
}

/**
 * A fake runner that also answers `git init -- DIR` (a temporary folder) and,
 * on checkout, writes `files` below `path` in the repository, as git would.
 */
function gitFake(
  calls: FakeCall[],
  files: Record<string, string>,
  path: string,
) {
  const fake = fakeRunner(calls);
  const inits: RunOptions[] = [];
  const runner: Runner = async (bin, args, options = {}) => {
    if (bin === "git" && args[0] === "init") {
      inits.push(options);
      return { code: 0, stdout: "", stderr: "" };
    }
    const result = await fake(bin, args, options);
    if (args.includes("checkout")) {
      for (const [name, text] of Object.entries(files)) {
        const file = `${options.cwd}/${path}/${name}`.replace("//", "/");
        await Deno.mkdir(file.slice(0, file.lastIndexOf("/")), {
          recursive: true,
        });
        await Deno.writeTextFile(file, text);
      }
    }
    return result;
  };
  return { runner, fake, inits };
}

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "leger_test_" });
  try {
    await fn(dir);
    deepStrictEqual(
      await Array.fromAsync(Deno.readDir(dir)),
      [],
      "the temporary checkout was not removed",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("fetchGitSource() fetches one commit, sparse, when the URL names REF:PATH", async () => {
  await withTempDir(async (tempDir) => {
    const url = "https://host/org/repo.git";
    const { runner, fake, inits } = gitFake(
      fetchCalls({ url, fetchRef: "v1", path: "apps/web" }),
      UNITS,
      "apps/web",
    );
    const deployment = await fetchGitSource(`${url}#v1:apps/web`, {
      runner,
      tempDir,
    });
    fake.assertAllCalled();
    strictEqual(inits.length, 1);
    strictEqual(deployment.name, "web");
    deepStrictEqual(deployment.source, {
      type: "git",
      location: "https://host/org/repo.git#v1:apps/web",
      ref: "v1",
      commit: COMMIT,
    });
    deepStrictEqual(deployment.files.map((f) => f.path), [
      "data.volume",
      "web.container",
    ]);
    for (const call of fake.calls) deepStrictEqual(call.options.env, GIT_ENV);
  });
});

Deno.test("fetchGitSource() splits tree/REF/PATH against the remote's branches and tags", async () => {
  await withTempDir(async (tempDir) => {
    const url = "https://host/org/repo";
    const { runner, fake } = gitFake(
      [
        {
          bin: "git",
          args: ["ls-remote", "--heads", "--tags", "--", url],
          result: {
            stdout: `${"f".repeat(40)}\trefs/heads/feature\n` +
              `${COMMIT}\trefs/heads/feature/x\n`,
          },
        },
        // The object ls-remote listed is fetched by id.
        ...fetchCalls({ url, fetchRef: COMMIT, path: "apps/web" }),
      ],
      UNITS,
      "apps/web",
    );
    const deployment = await fetchGitSource(
      `${url}/tree/feature/x/apps/web`,
      { runner, tempDir },
    );
    fake.assertAllCalled();
    deepStrictEqual(deployment.source, {
      type: "git",
      location: `${url}/tree/feature/x/apps/web`,
      ref: "feature/x",
      commit: COMMIT,
    });
  });
});

Deno.test("fetchGitSource() records the default branch and names the deployment after the repository when the URL names neither ref nor folder", async () => {
  await withTempDir(async (tempDir) => {
    const url = "git@host:org/solo.git";
    const { runner, fake } = gitFake(
      [
        {
          bin: "git",
          args: ["ls-remote", "--symref", "--", url, "HEAD"],
          result: { stdout: `ref: refs/heads/trunk\tHEAD\n${COMMIT}\tHEAD\n` },
        },
        ...fetchCalls({ url, fetchRef: COMMIT, path: "" }),
      ],
      UNITS,
      "",
    );
    const deployment = await fetchGitSource(url, { runner, tempDir });
    fake.assertAllCalled();
    strictEqual(deployment.name, "solo");
    deepStrictEqual(deployment.source, {
      type: "git",
      location: url,
      ref: "trunk",
      commit: COMMIT,
    });
  });
});

Deno.test("fetchGitSource() takes the name from .leger.yaml when it gives one", async () => {
  await withTempDir(async (tempDir) => {
    const url = "file:///srv/repo.git";
    const { runner } = gitFake(
      fetchCalls({ url, fetchRef: "main", path: "web" }),
      { ...UNITS, ".leger.yaml": "name: shop\n" },
      "web",
    );
    const deployment = await fetchGitSource(`${url}#main:web`, {
      runner,
      tempDir,
    });
    strictEqual(deployment.name, "shop");
  });
});

Deno.test("fetchGitSource() reports ERR_GIT_CLONE_FAILED with git's message and no credentials when git fails", async () => {
  await withTempDir(async (tempDir) => {
    const url = "https://alice:s3cret@host/org/repo.git";
    const [remote, sparse] = fetchCalls({
      url: "https://host/org/repo.git",
      fetchRef: "nope",
      path: "web",
    });
    const { runner: fake } = gitFake(
      [remote, sparse, {
        bin: "git",
        args: [
          "fetch",
          "--quiet",
          "--no-tags",
          "--depth",
          "1",
          "--filter=blob:none",
          "--",
          "origin",
          "nope",
        ],
        result: {
          code: 128,
          stderr:
            "warning: redirecting to https://alice:s3cret@host/org/repo.git/\n" +
            "fatal: couldn't find remote ref nope\n",
        },
      }],
      UNITS,
      "web",
    );
    // Every call gets the credentials in its environment and the helper
    // that prints them, and none has them in its arguments.
    const runner: Runner = (bin, args, options = {}) => {
      deepStrictEqual(args.slice(0, 3), ["-c", "credential.helper=", "-c"]);
      ok(args[3].startsWith("credential.helper=!"), args[3]);
      ok(!args.join(" ").includes("s3cret"), args.join(" "));
      strictEqual(options.env?.LEGER_GIT_USERNAME, "alice");
      strictEqual(options.env?.LEGER_GIT_PASSWORD, "s3cret");
      return fake(bin, args.slice(4), options);
    };
    await rejects(
      fetchGitSource(`${url}#nope:web`, { runner, tempDir }),
      (err: unknown) => {
        ok(err instanceof LegerError);
        strictEqual(err.code, "ERR_GIT_CLONE_FAILED");
        strictEqual(
          err.message,
          'Cannot fetch https://host/org/repo.git#nope:web at "nope": fatal: couldn\'t find remote ref nope',
        );
        deepStrictEqual(err.details, [
          "warning: redirecting to https://host/org/repo.git/",
        ]);
        ok(err.remedy?.includes("git ls-remote https://host/org/repo.git;"));
        ok(err.cause instanceof CommandError);
        const everything = JSON.stringify([
          err.message,
          err.details,
          err.remedy,
          err.cause.message,
          err.cause.args,
          err.cause.stderrTail,
        ]);
        ok(!everything.includes("s3cret"), everything);
        return true;
      },
    );
  });
});

Deno.test("fetchGitSource() reports ERR_SOURCE_NOT_FOUND naming the path, ref and commit when the folder is not a folder of the commit", async (t) => {
  for (
    const [name, tree, why] of [
      ["missing", "", "it does not exist"],
      ["a file", `100644 blob ${"e".repeat(40)}`, "it is a file, not a folder"],
      [
        "a submodule",
        `160000 commit ${"e".repeat(40)}`,
        "it is a submodule, not a folder",
      ],
    ]
  ) {
    await t.step(name, async () => {
      await withTempDir(async (tempDir) => {
        const url = "https://host/org/repo.git";
        const calls = fetchCalls({ url, fetchRef: "main", path: "x/y", tree });
        const { runner, fake } = gitFake(calls, {}, "x/y");
        await rejects(fetchGitSource(`${url}#main:x/y`, { runner, tempDir }), {
          name: "LegerError",
          code: "ERR_SOURCE_NOT_FOUND",
          message:
            `Cannot find folder "x/y" in https://host/org/repo.git at "main" (commit ${
              COMMIT.slice(0, 12)
            }): ${why}`,
        });
        fake.assertAllCalled();
      });
    });
  }
});

Deno.test("fetchGitSource() names the URL, not the temporary folder, when the folder is no deployment", async () => {
  await withTempDir(async (tempDir) => {
    const url = "https://host/org/repo.git";
    const { runner } = gitFake(
      fetchCalls({ url, fetchRef: "main", path: "docs" }),
      { "README.md": "# Docs\n" },
      "docs",
    );
    await rejects(
      fetchGitSource(`${url}#main:docs`, { runner, tempDir }),
      (err: unknown) => {
        ok(err instanceof LegerError);
        strictEqual(err.code, "ERR_NO_UNITS");
        strictEqual(
          err.message,
          'Cannot use "https://host/org/repo.git#main:docs" as a deployment: it holds no quadlet unit',
        );
        return true;
      },
    );
  });
});

Deno.test("fetchGitSource() refuses a URL before running git when it cannot use it", async () => {
  const runner = fakeRunner([]);
  await rejects(
    fetchGitSource("https://github.com/org/repo/blob/main/web/a.container", {
      runner,
    }),
    { name: "LegerError", code: "ERR_USAGE" },
  );
  strictEqual(runner.calls.length, 0);
});

Deno.test("fetchGitSource() stops and removes the checkout when the signal aborts", async () => {
  await withTempDir(async (tempDir) => {
    const controller = new AbortController();
    const url = "https://host/org/repo.git";
    const reason = new Error("Cancelled");
    const runner: Runner = (_bin, args, options = {}) => {
      if (args[0] === "fetch") controller.abort(reason);
      options.signal?.throwIfAborted();
      return Promise.resolve({ code: 0, stdout: "", stderr: "" });
    };
    await rejects(
      fetchGitSource(`${url}#main:web`, {
        runner,
        tempDir,
        signal: controller.signal,
      }),
      (err: unknown) => err === reason,
    );
  });
});

Deno.test("fetchGitSource() makes the checkout in a folder only the user can enter", async () => {
  await withTempDir(async (tempDir) => {
    const url = "https://host/org/repo.git";
    const { runner: fake } = gitFake(
      fetchCalls({ url, fetchRef: "v1", path: "apps/web" }),
      UNITS,
      "apps/web",
    );
    const modes: Record<string, number> = {};
    const runner: Runner = async (bin, args, options) => {
      if (args[0] === "init") {
        const repo = args.at(-1)!;
        modes.repo = (await Deno.stat(repo)).mode! & 0o777;
        modes.top = (await Deno.stat(dirname(repo))).mode! & 0o777;
        strictEqual(dirname(dirname(repo)), tempDir);
      }
      return await fake(bin, args, options);
    };
    const umask = Deno.umask(0o022);
    try {
      await fetchGitSource(`${url}#v1:apps/web`, { runner, tempDir });
    } finally {
      Deno.umask(umask);
    }
    deepStrictEqual(modes, { repo: 0o700, top: 0o700 });
  });
});

Deno.test("fetchGitSource() stops git, removes the checkout and says how long it waited when the fetch outlasts timeoutMs", async () => {
  await withTempDir(async (tempDir) => {
    let stopped = 0;
    // A remote that never answers: only the abort ends the call.
    const runner: Runner = (_bin, args, options = {}) => {
      if (!args.includes("ls-remote")) {
        return Promise.resolve({ code: 0, stdout: "", stderr: "" });
      }
      const { signal } = options;
      return new Promise((_resolve, reject) => {
        signal?.addEventListener("abort", () => {
          stopped++;
          reject(signal.reason);
        });
      });
    };
    await rejects(
      fetchGitSource("https://tok@host/org/repo/tree/main/web", {
        runner,
        tempDir,
        timeoutMs: 50,
      }),
      (err: unknown) => {
        ok(err instanceof LegerError, String(err));
        strictEqual(err.code, "ERR_GIT_CLONE_FAILED");
        ok(
          /^Cannot fetch https:\/\/host\/org\/repo\/tree\/main\/web: git did not finish within the limit of 0\.1 s \(waited \d+(\.\d)? s\), so leger stopped it$/
            .test(err.message),
          err.message,
        );
        ok(err.remedy.includes("--timeout"), err.remedy);
        ok(!JSON.stringify([err.details, err.remedy]).includes("tok"));
        return true;
      },
    );
    strictEqual(stopped, 1);
  });
});
