import {
  deepStrictEqual,
  rejects,
  strictEqual,
  throws,
} from "node:assert/strict";
import { fakeRunner } from "./fake_runner.ts";
import { CommandError } from "./command_error.ts";
import { LegerError } from "../errors/leger_error.ts";

Deno.test("fakeRunner() answers an expected call with its canned result", async () => {
  const runner = fakeRunner([
    { bin: "podman", args: ["volume", "ls"], result: { stdout: "data\n" } },
  ]);
  deepStrictEqual(await runner("podman", ["volume", "ls"]), {
    code: 0,
    stdout: "data\n",
    stderr: "",
  });
  runner.assertAllCalled();
});

Deno.test("fakeRunner() throws on a call nobody expected", async () => {
  const cases = [
    { name: "other program", bin: "git", args: ["volume", "ls"] },
    { name: "other arguments", bin: "podman", args: ["volume", "ls", "-q"] },
    { name: "fewer arguments", bin: "podman", args: ["volume"] },
  ];
  for (const { bin, args } of cases) {
    const runner = fakeRunner([{ bin: "podman", args: ["volume", "ls"] }]);
    await rejects(runner(bin, args), {
      message: `Unexpected call: ${[bin, ...args].join(" ")}`,
    });
  }
});

Deno.test("fakeRunner() throws CommandError when the canned code is not allowed", async () => {
  const runner = fakeRunner([
    {
      bin: "systemctl",
      args: ["is-active", "a"],
      result: { code: 3 },
      times: 2,
    },
  ]);
  await rejects(
    runner("systemctl", ["is-active", "a"]),
    (err) => err instanceof CommandError,
  );
  strictEqual(
    (await runner("systemctl", ["is-active", "a"], { allowedExitCodes: [3] }))
      .code,
    3,
  );
});

Deno.test("fakeRunner() throws the canned error when one is given", async () => {
  const error = new LegerError("ERR_COMMAND_NOT_FOUND", 'Cannot run "podman"');
  const runner = fakeRunner([{ bin: "podman", args: ["--version"], error }]);
  await rejects(runner("podman", ["--version"]), error);
});

Deno.test("fakeRunner() checks stdin when the call names it", async () => {
  const runner = fakeRunner([
    {
      bin: "podman",
      args: ["secret", "create", "k", "-"],
      stdin: "v",
      times: 2,
    },
  ]);
  await runner("podman", ["secret", "create", "k", "-"], { stdin: "v" });
  await rejects(
    runner("podman", ["secret", "create", "k", "-"], { stdin: "w" }),
    /Unexpected stdin/,
  );
});

Deno.test("fakeRunner() assertAllCalled() fails when an expected call was not made", async () => {
  const runner = fakeRunner([
    { bin: "podman", args: ["a"] },
    { bin: "podman", args: ["b"], times: 2 },
  ]);
  await runner("podman", ["a"]);
  await runner("podman", ["b"]);
  throws(() => runner.assertAllCalled(), {
    message: "Expected calls not made: podman b",
  });
  await runner("podman", ["b"]);
  runner.assertAllCalled();
  strictEqual(runner.calls.length, 3);
});

Deno.test("fakeRunner() answers a call only as often as expected", async () => {
  const runner = fakeRunner([{ bin: "podman", args: ["a"] }]);
  await runner("podman", ["a"]);
  await rejects(runner("podman", ["a"]), /Unexpected call/);
});
