import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { tempFolder } from "../../tests/_folders.ts";
import { runChild } from "./processes.ts";

/** An executable shell script at `dir/name`. */
async function script(
  dir: string,
  name: string,
  body: string,
): Promise<string> {
  const path = `${dir}/${name}`;
  await Deno.writeTextFile(path, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return path;
}

/** Waits, 10 s at most, until `path` exists. */
async function pollFor(path: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await Deno.lstat(path).then(() => true, () => false))) {
    if (Date.now() > deadline) throw new Error(`${path} never appeared`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

Deno.test("runChild() returns the exit code and stdout of a program that exits", async () => {
  await using dir = await tempFolder();
  const path = await script(dir.path, "p", "echo leger 0.1.0; exit 3");
  const result = await runChild(path, [], { stderr: "null" });
  deepStrictEqual(
    { ...result, stdout: new TextDecoder().decode(result.stdout) },
    { code: 3, stdout: "leger 0.1.0\n", timedOut: false, stopped: false },
  );
});

Deno.test("runChild() kills a program that does not answer within the bound, even one whose child holds its stdout", async () => {
  await using dir = await tempFolder();
  for (
    const body of ["exec sleep 600", "echo started; sleep 600; echo never"]
  ) {
    const path = await script(dir.path, "hang", body);
    const started = performance.now();
    const result = await runChild(path, [], { timeoutMs: 100 });
    ok(performance.now() - started < 10_000, "not killed in time");
    strictEqual(result.timedOut, true);
    strictEqual(result.code, 137);
  }
});

Deno.test("runChild() stops a program when the signal is aborted: SIGTERM, then SIGKILL after the grace", async () => {
  await using dir = await tempFolder();
  const ready = `${dir.path}/ready`;
  const cases: [string, number][] = [
    [`touch ${ready}; exec sleep 600`, 143],
    // Ignores SIGTERM: killed after the grace.
    [`trap '' TERM; touch ${ready}; while :; do sleep 0.05; done`, 137],
  ];
  for (const [body, code] of cases) {
    await Deno.remove(ready).catch((error) => {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    });
    const path = await script(dir.path, "stoppable", body);
    const controller = new AbortController();
    const running = runChild(path, [], {
      signal: controller.signal,
      graceMs: 100,
    });
    await pollFor(ready);
    controller.abort();
    const result = await running;
    strictEqual(result.stopped, true, body);
    strictEqual(result.timedOut, false);
    strictEqual(result.code, code, body);
  }
  // Aborted before it starts: not started at all.
  const controller = new AbortController();
  controller.abort();
  const marker = `${dir.path}/ran`;
  const path = await script(dir.path, "never", `touch ${marker}`);
  strictEqual(
    (await runChild(path, [], { signal: controller.signal })).stopped,
    true,
  );
  strictEqual(await Deno.lstat(marker).then(() => true, () => false), false);
});
