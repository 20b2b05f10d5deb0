// These tests start real processes: run.ts is the one module allowed to.
// The child is Deno itself (`deno eval`), so the tests need nothing else installed.
import { deepStrictEqual, rejects, strictEqual } from "node:assert/strict";
import { run } from "./run.ts";
import { CommandError } from "./command_error.ts";
import { LegerError } from "../errors/leger_error.ts";

const DENO = Deno.execPath();
const ENV = { DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" };

function evalArgs(code: string, ...rest: string[]): string[] {
  return ["eval", code, ...rest];
}

Deno.test("run() captures stdout, stderr and the exit code when the program succeeds", async () => {
  const result = await run(
    DENO,
    evalArgs("console.log('out'); console.error('err')"),
    { env: ENV },
  );
  deepStrictEqual(result, { code: 0, stdout: "out\n", stderr: "err\n" });
});

Deno.test("run() passes each argument as one value when it holds spaces, quotes or shell syntax", async () => {
  const values = [
    "a b",
    "it's",
    '"q"',
    "{{.Name}}",
    "",
    "x\ny",
    "$HOME",
    "*",
    "; rm -rf /",
    "`id`",
  ];
  const { stdout } = await run(
    DENO,
    evalArgs("console.log(JSON.stringify(Deno.args))", ...values),
    { env: ENV },
  );
  deepStrictEqual(JSON.parse(stdout), values);
});

Deno.test("run() writes options.stdin to the program when it is given", async () => {
  const { stdout } = await run(
    DENO,
    evalArgs("console.log(await new Response(Deno.stdin.readable).text())"),
    { stdin: "s3cret-value", env: ENV },
  );
  strictEqual(stdout, "s3cret-value\n");
});

Deno.test("run() gives the program an empty stdin when none is given", async () => {
  const { stdout } = await run(
    DENO,
    evalArgs(
      "console.log(JSON.stringify(await new Response(Deno.stdin.readable).text()))",
    ),
    { env: ENV },
  );
  strictEqual(stdout, '""\n');
});

Deno.test("run() runs in options.cwd and adds options.env", async () => {
  const dir = await Deno.makeTempDir({ prefix: "leger_" });
  try {
    const { stdout } = await run(
      DENO,
      evalArgs(
        "console.log(Deno.cwd()); console.log(Deno.env.get('LEGER_TEST_VAR'))",
      ),
      { cwd: dir, env: { ...ENV, LEGER_TEST_VAR: "yes" } },
    );
    strictEqual(stdout, `${await Deno.realPath(dir)}\nyes\n`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("run() throws CommandError with the stderr tail and without stdin when the exit code is not allowed", async () => {
  const err = await run(
    DENO,
    evalArgs("console.error('Error: no such volume'); Deno.exit(125)", "arg1"),
    { stdin: "s3cret-value", env: ENV },
  ).then(() => undefined, (e) => e);
  strictEqual(err instanceof CommandError, true);
  strictEqual(err.code, 125);
  strictEqual(err.bin, DENO);
  deepStrictEqual(err.args.at(-1), "arg1");
  strictEqual(err.stderrTail, "Error: no such volume");
  strictEqual(
    err.message.endsWith("it exited with code 125: Error: no such volume"),
    true,
  );
  strictEqual(JSON.stringify(err).includes("s3cret"), false);
  strictEqual(err.message.includes("s3cret"), false);
});

Deno.test("run() returns the result when the exit code is in options.allowedExitCodes", async () => {
  const { code } = await run(DENO, evalArgs("Deno.exit(3)"), {
    allowedExitCodes: [3],
    env: ENV,
  });
  strictEqual(code, 3);
});

Deno.test("run() throws ERR_COMMAND_NOT_FOUND when the program does not exist", async () => {
  await rejects(run("leger-no-such-program", ["--version"]), (err) => {
    strictEqual(err instanceof LegerError, true);
    strictEqual((err as LegerError).code, "ERR_COMMAND_NOT_FOUND");
    strictEqual(
      (err as LegerError).message,
      'Cannot run "leger-no-such-program": it is not installed or not in PATH',
    );
    return true;
  });
});

Deno.test("run() stops the program and rejects with the reason when the signal aborts", async () => {
  const controller = new AbortController();
  const started = Date.now();
  const pending = run(
    DENO,
    evalArgs(
      "console.log('ready'); await new Promise((r) => setTimeout(r, 30000))",
    ),
    { signal: controller.signal, env: ENV },
  );
  queueMicrotask(() => controller.abort(new Error("shutting down")));
  await rejects(pending, { message: "shutting down" });
  strictEqual(Date.now() - started < 20000, true);
});

Deno.test("run() rejects at once when the signal is already aborted", async () => {
  await rejects(
    run(DENO, ["--version"], { signal: AbortSignal.abort(new Error("late")) }),
    { message: "late" },
  );
});

Deno.test("run() starts the real program, never a shell's builtin", async () => {
  const { stdout } = await run("echo", ["-n", "plain"]);
  // /usr/bin/echo honours -n.
  strictEqual(stdout, "plain");
});

Deno.test({
  name:
    "run() rejects with NotCapable when --allow-run does not cover the program",
  permissions: { read: true, env: true, run: false },
  async fn() {
    await rejects(run(DENO, ["--version"]), Deno.errors.NotCapable);
  },
});

Deno.test({
  name:
    "run() throws ERR_COMMAND_NOT_FOUND for a missing program even without --allow-run for it",
  permissions: { read: true, env: true, run: false },
  async fn() {
    await rejects(run("leger-no-such-program", []), {
      code: "ERR_COMMAND_NOT_FOUND",
    });
  },
});
