import { rejects, strictEqual } from "node:assert/strict";
import { imageExists, pullImage } from "./podman_images.ts";
import { fakeRunner } from "./fake_runner.ts";
import { CommandError } from "./command_error.ts";
import { LegerError } from "../errors/leger_error.ts";

Deno.test("imageExists() reads Podman's exit code", async () => {
  const cases: [number, boolean][] = [[0, true], [1, false]];
  for (const [code, expected] of cases) {
    const runner = fakeRunner([{
      bin: "podman",
      args: ["image", "exists", "docker.io/library/caddy:2"],
      result: { code },
    }]);
    strictEqual(
      await imageExists("docker.io/library/caddy:2", { runner }),
      expected,
    );
    runner.assertAllCalled();
  }
});

Deno.test("imageExists() throws CommandError when Podman fails otherwise", async () => {
  const runner = fakeRunner([{
    bin: "podman",
    args: ["image", "exists", "Caddy:2"],
    result: {
      code: 125,
      stderr:
        'Error: parsing reference "Caddy:2": repository name must be lowercase\n',
    },
  }]);
  await rejects(imageExists("Caddy:2", { runner }), {
    name: "CommandError",
    message: /exited with code 125: Error: parsing reference/,
  });
});

Deno.test("imageExists() and pullImage() pass the abort signal to the runner", async () => {
  const runner = fakeRunner([
    { bin: "podman", args: ["image", "exists", "a"] },
    { bin: "podman", args: ["pull", "--quiet", "a"] },
  ]);
  const { signal } = new AbortController();
  await imageExists("a", { runner, signal });
  await pullImage("a", { runner, signal });
  strictEqual(runner.calls[0].options.signal, signal);
  strictEqual(runner.calls[1].options.signal, signal);
  runner.assertAllCalled();
});

Deno.test("pullImage() runs podman pull --quiet and returns the image ID", async () => {
  const runner = fakeRunner([{
    bin: "podman",
    args: ["pull", "--quiet", "quay.io/app/web:1.4"],
    result: { stdout: "9f2ce41a0b1c\n" },
  }]);
  strictEqual(
    await pullImage("quay.io/app/web:1.4", { runner }),
    "9f2ce41a0b1c",
  );
  runner.assertAllCalled();
});

Deno.test("pullImage() throws CommandError with Podman's reason", async () => {
  const stderr = "Trying to pull docker.io/library/caddy:nope...\n" +
    "Error: initializing source docker://caddy:nope: reading manifest nope in docker.io/library/caddy: manifest unknown\n";
  const runner = fakeRunner([{
    bin: "podman",
    args: ["pull", "--quiet", "caddy:nope"],
    result: { code: 125, stderr },
  }]);
  await rejects(pullImage("caddy:nope", { runner }), (error) => {
    strictEqual(error instanceof CommandError, true);
    strictEqual(
      (error as CommandError).stderrTail.split("\n").at(-1),
      "Error: initializing source docker://caddy:nope: reading manifest nope in docker.io/library/caddy: manifest unknown",
    );
    return true;
  });
});

Deno.test("pullImage() throws LegerError when Podman is not installed", async () => {
  const error = new LegerError(
    "ERR_COMMAND_NOT_FOUND",
    'Cannot run "podman": it is not installed or not in PATH',
  );
  const runner = fakeRunner([
    { bin: "podman", args: ["pull", "--quiet", "a"], error },
  ]);
  await rejects(pullImage("a", { runner }), error);
});
