import { deepStrictEqual, ok, rejects, strictEqual } from "node:assert/strict";
import { CommandError } from "./command_error.ts";
import { fakeRunner } from "./fake_runner.ts";
import { run } from "./run.ts";
import {
  checkoutDetached,
  fetchShallow,
  GIT_ENV,
  initRepository,
  lsRemote,
  lsTreeEntry,
  revParse,
  sparseCheckoutFolder,
} from "./git.ts";

const A = "a".repeat(40);
const B = "b".repeat(40);

Deno.test("lsRemote() parses refs and symbolic refs and drops peeled tags", async () => {
  const runner = fakeRunner([{
    bin: "git",
    args: ["ls-remote", "--symref", "--", "https://host/r.git", "HEAD"],
    result: {
      stdout: [
        "ref: refs/heads/trunk\tHEAD",
        `${A}\tHEAD`,
        `${B}\trefs/tags/v1`,
        `${A}\trefs/tags/v1^{}`,
        "",
      ].join("\n"),
    },
  }]);
  deepStrictEqual(
    await lsRemote("https://host/r.git", {
      runner,
      symref: true,
      patterns: ["HEAD"],
    }),
    {
      refs: [{ name: "HEAD", object: A }, { name: "refs/tags/v1", object: B }],
      symrefs: { HEAD: "refs/heads/trunk" },
    },
  );
  runner.assertAllCalled();
});

Deno.test("lsRemote() throws SyntaxError when a line is not OBJECT<TAB>REF", async () => {
  const runner = fakeRunner([{
    bin: "git",
    args: ["ls-remote", "--", "https://host/r.git"],
    result: { stdout: "warning: something\n" },
  }]);
  await rejects(lsRemote("https://host/r.git", { runner }), {
    name: "SyntaxError",
    message: /Cannot read the output of "git ls-remote"/,
  });
});

Deno.test("sparseCheckoutFolder() anchors the folder and escapes pattern characters", async (t) => {
  for (
    const [path, pattern] of [
      ["apps/web", "/apps/web/\n"],
      ["a*b/c?d", "/a\\*b/c\\?d/\n"],
      ["x[1]/!y/#z", "/x\\[1\\]/\\!y/\\#z/\n"],
      ["back\\slash", "/back\\\\slash/\n"],
    ]
  ) {
    await t.step(path, async () => {
      const runner = fakeRunner([{
        bin: "git",
        args: ["sparse-checkout", "set", "--no-cone", "--stdin"],
        stdin: pattern,
      }]);
      await sparseCheckoutFolder("/tmp/x", path, { runner });
      runner.assertAllCalled();
      strictEqual(runner.calls[0].options.cwd, "/tmp/x");
    });
  }
});

Deno.test("lsTreeEntry() returns undefined when the commit has no such path", async () => {
  const runner = fakeRunner([{
    bin: "git",
    args: ["--literal-pathspecs", "ls-tree", "-z", A, "--", "nope"],
    result: { stdout: "" },
  }]);
  strictEqual(await lsTreeEntry("/tmp/x", A, "nope", { runner }), undefined);
});

Deno.test("lsTreeEntry() reads a file entry whose name holds spaces", async () => {
  const runner = fakeRunner([{
    bin: "git",
    args: ["--literal-pathspecs", "ls-tree", "-z", A, "--", "my app/a b"],
    result: { stdout: `100644 blob ${B}\tmy app/a b\0` },
  }]);
  deepStrictEqual(await lsTreeEntry("/tmp/x", A, "my app/a b", { runner }), {
    mode: "100644",
    type: "blob",
    object: B,
    path: "my app/a b",
  });
});

Deno.test("git adapters never let git prompt, and run in the repository", async () => {
  const runner = fakeRunner([
    { bin: "git", args: ["init", "--quiet", "--template=", "--", "/tmp/x"] },
    { bin: "git", args: ["remote", "add", "--", "origin", "file:///r.git"] },
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
        "v1",
      ],
    },
    {
      bin: "git",
      args: ["rev-parse", "--verify", "FETCH_HEAD^{commit}"],
      result: { stdout: `${A}\n` },
    },
    {
      bin: "git",
      args: [
        "-c",
        "advice.detachedHead=false",
        "checkout",
        "--quiet",
        "--detach",
        A,
      ],
    },
  ]);
  await initRepository("/tmp/x", "file:///r.git", { runner });
  await fetchShallow("/tmp/x", "v1", { runner });
  strictEqual(await revParse("/tmp/x", "FETCH_HEAD", { runner }), A);
  await checkoutDetached("/tmp/x", A, { runner });
  runner.assertAllCalled();
  for (const call of runner.calls) {
    deepStrictEqual(call.options.env, GIT_ENV);
  }
  deepStrictEqual(
    runner.calls.map((call) => call.options.cwd),
    [undefined, "/tmp/x", "/tmp/x", "/tmp/x", "/tmp/x"],
  );
  strictEqual(GIT_ENV.GIT_TERMINAL_PROMPT, "0");
});

Deno.test("git adapters hand credentials to git through its environment and a helper, never in its arguments", async () => {
  await using dir = await tempDir();
  const marker = `${dir.path}/ran`;
  const password = `p@ss w'o"rd $(touch ${marker}) \\ %41 \`touch ${marker}\``;
  const credentials = {
    protocol: "https",
    host: "host:8443",
    username: "alice",
    password,
  };
  const runner = fakeRunner([{
    bin: "git",
    args: ["ls-remote", "--heads", "--tags", "--", "https://host/r.git"],
  }]);
  const seen: { args: readonly string[]; env?: Record<string, string> }[] = [];
  await lsRemote("https://host/r.git", {
    headsAndTags: true,
    credentials,
    lowSpeedTime: 5,
    runner: (bin, args, options = {}) => {
      seen.push({ args, env: options.env });
      // The helper's configuration comes first; the fake checks the rest.
      return runner(bin, args.slice(4), options);
    },
  });
  runner.assertAllCalled();
  const [{ args, env }] = seen;
  strictEqual(args.join(" ").includes("p@ss"), false);
  deepStrictEqual(env, {
    ...GIT_ENV,
    GIT_HTTP_LOW_SPEED_TIME: "5",
    LEGER_GIT_PROTOCOL: "https",
    LEGER_GIT_HOST: "host:8443",
    LEGER_GIT_USERNAME: "alice",
    LEGER_GIT_PASSWORD: password,
  });

  // The real git, asked for credentials with that configuration, gets them
  // exactly from the helper, which runs none of the password as shell code,
  // and for that protocol and host only (not where a redirect leads).
  const fill = (asked: string) =>
    run("git", [...args.slice(0, 4), "credential", "fill"], {
      env: { ...env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" },
      stdin: `${asked}\n`,
    });
  const { stdout } = await fill("protocol=https\nhost=host:8443\n");
  strictEqual(
    stdout,
    `protocol=https\nhost=host:8443\nusername=alice\npassword=${password}\n`,
  );
  for (
    const elsewhere of [
      "protocol=https\nhost=other:8443\n",
      "protocol=https\nhost=host\n",
      "protocol=http\nhost=host:8443\n",
    ]
  ) {
    await rejects(fill(elsewhere), (error: unknown) => {
      ok(error instanceof CommandError, String(error));
      ok(/terminal prompts disabled/.test(error.stderrTail), error.stderrTail);
      return true;
    });
  }
  await rejects(Deno.stat(marker), Deno.errors.NotFound);
});

async function tempDir(): Promise<{ path: string } & AsyncDisposable> {
  const path = await Deno.makeTempDir({ prefix: "leger_git_test_" });
  return {
    path,
    [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }),
  };
}
