import { rejects, strictEqual } from "node:assert/strict";
import { readTailscaleStatus } from "./tailscale.ts";
import { fakeRunner } from "./fake_runner.ts";
import { LegerError } from "../errors/leger_error.ts";
import { startFakeLocalApi } from "../../tests/fakes/tailscale_local_api.ts";

const FAKES = new URL("../../tests/fakes/tailscale/", import.meta.url);
const STATUS_ARGS = ["status", "--json"];
const NOT_FOUND = new LegerError(
  "ERR_COMMAND_NOT_FOUND",
  'Cannot run "tailscale": it is not installed or not in PATH',
);

function recorded(name: string): string {
  return Deno.readTextFileSync(new URL(`${name}.json`, FAKES));
}

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "leger_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("readTailscaleStatus() parses `tailscale status --json` in every backend state", async () => {
  for (
    const [file, state] of [
      ["running", "Running"],
      ["needs_login", "NeedsLogin"],
      ["needs_machine_auth", "NeedsMachineAuth"],
      ["stopped", "Stopped"],
      ["starting", "Starting"],
      ["no_state", "NoState"],
    ]
  ) {
    const runner = fakeRunner([
      {
        bin: "tailscale",
        args: STATUS_ARGS,
        result: { stdout: recorded(file) },
      },
    ]);
    const { status, source } = await readTailscaleStatus({ runner });
    strictEqual(status.backendState, state);
    strictEqual(source, "cli");
    runner.assertAllCalled();
  }
});

Deno.test("readTailscaleStatus() throws ERR_TAILSCALE_NOT_RUNNING when tailscaled does not answer the CLI", async () => {
  const runner = fakeRunner([{
    bin: "tailscale",
    args: STATUS_ARGS,
    result: {
      code: 1,
      stderr:
        "failed to connect to local tailscaled; it doesn't appear to be running (sudo systemctl start tailscaled ?)\n",
    },
  }]);
  await rejects(
    readTailscaleStatus({ runner, action: "log in to leger.run" }),
    {
      name: "LegerError",
      code: "ERR_TAILSCALE_NOT_RUNNING",
      message: "Cannot log in to leger.run: tailscaled is not running",
      remedy: "Run `sudo systemctl start tailscaled`, then `sudo tailscale up`",
    },
  );
});

Deno.test("readTailscaleStatus() throws ERR_TAILSCALE_STATUS_UNREADABLE when the CLI fails otherwise or prints no status", async () => {
  const cases: [
    string,
    { code?: number; stdout?: string; stderr?: string },
    RegExp,
  ][] = [
    [
      "exit 2",
      { code: 2, stderr: "flag provided but not defined: -json\n" },
      /exited with code 2: flag provided/,
    ],
    [
      "not JSON",
      { stdout: "Logged out.\n" },
      /did not give a Tailscale status document/,
    ],
    ["no state", { stdout: "{}" }, /did not give a Tailscale status document/],
  ];
  for (const [name, result, message] of cases) {
    const runner = fakeRunner([{
      bin: "tailscale",
      args: STATUS_ARGS,
      result,
    }]);
    await rejects(readTailscaleStatus({ runner }), {
      name: "LegerError",
      code: "ERR_TAILSCALE_STATUS_UNREADABLE",
      message,
    }, name);
  }
});

Deno.test("readTailscaleStatus() reads the LocalAPI socket when the binary is missing", async () => {
  await withTempDir(async (dir) => {
    await using api = await startFakeLocalApi(`${dir}/tailscaled.sock`, {
      status: recorded("running"),
    });
    const runner = fakeRunner([{
      bin: "tailscale",
      args: STATUS_ARGS,
      error: NOT_FOUND,
    }]);
    const { status, source } = await readTailscaleStatus({
      runner,
      socketPath: api.path,
    });
    strictEqual(source, "localapi");
    strictEqual(status.self?.userId, "9007199254740993");
    strictEqual(api.requests.length, 1);
  });
});

Deno.test("readTailscaleStatus() asks only the LocalAPI, running nothing, with cli: false", async () => {
  await withTempDir(async (dir) => {
    await using api = await startFakeLocalApi(`${dir}/tailscaled.sock`, {
      status: recorded("running"),
    });
    const runner = fakeRunner([]);
    const { status, source } = await readTailscaleStatus({
      runner,
      socketPath: api.path,
      cli: false,
    });
    strictEqual(source, "localapi");
    strictEqual(status.self?.userId, "9007199254740993");
    strictEqual(runner.calls.length, 0);
  });
});

Deno.test("readTailscaleStatus() throws ERR_TAILSCALE_NOT_INSTALLED when there is no binary and no socket", async () => {
  await withTempDir(async (dir) => {
    const runner = fakeRunner([{
      bin: "tailscale",
      args: STATUS_ARGS,
      error: NOT_FOUND,
    }]);
    await rejects(
      readTailscaleStatus({ runner, socketPath: `${dir}/tailscaled.sock` }),
      {
        name: "LegerError",
        code: "ERR_TAILSCALE_NOT_INSTALLED",
        message:
          `Cannot read the Tailscale identity: Tailscale is not installed (no "tailscale" in PATH and no tailscaled socket at ${dir}/tailscaled.sock)`,
        remedy: /tailscale\.com\/install\.sh.*then run `sudo tailscale up`/,
      },
    );
  });
});

Deno.test("readTailscaleStatus() throws ERR_TAILSCALE_NOT_RUNNING when the socket is left but nothing listens", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/tailscaled.sock`;
    await Deno.writeTextFile(path, "");
    const runner = fakeRunner([{
      bin: "tailscale",
      args: STATUS_ARGS,
      error: NOT_FOUND,
    }]);
    await rejects(readTailscaleStatus({ runner, socketPath: path }), {
      name: "LegerError",
      code: "ERR_TAILSCALE_NOT_RUNNING",
      message:
        `Cannot read the Tailscale identity: tailscaled does not answer on ${path}`,
    });
  });
});

Deno.test("readTailscaleStatus() throws ERR_NETWORK_NOT_ALLOWED when the permission does not cover the socket", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/tailscaled.sock`;
    await Deno.writeTextFile(path, "");
    const runner = fakeRunner([{
      bin: "tailscale",
      args: STATUS_ARGS,
      error: NOT_FOUND,
    }]);
    const localApiGet = () =>
      Promise.reject(
        new Deno.errors.NotCapable(`Requires net access to "unix:${path}"`),
      );
    await rejects(
      readTailscaleStatus({ runner, socketPath: path, localApiGet }),
      {
        name: "LegerError",
        code: "ERR_NETWORK_NOT_ALLOWED",
        remedy: new RegExp(`--allow-net=local-tailscaled\\.sock,unix:${path}`),
      },
    );
  });
});

Deno.test("readTailscaleStatus() throws ERR_TAILSCALE_STATUS_UNREADABLE when the LocalAPI refuses", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/tailscaled.sock`;
    await Deno.writeTextFile(path, "");
    const runner = fakeRunner([{
      bin: "tailscale",
      args: STATUS_ARGS,
      error: NOT_FOUND,
    }]);
    const localApiGet = () =>
      Promise.resolve({ status: 403, body: "invalid localapi request\n" });
    await rejects(
      readTailscaleStatus({ runner, socketPath: path, localApiGet }),
      {
        name: "LegerError",
        code: "ERR_TAILSCALE_STATUS_UNREADABLE",
        message:
          "Cannot read the Tailscale identity: tailscaled's LocalAPI answered HTTP 403: invalid localapi request",
      },
    );
  });
});

Deno.test("readTailscaleStatus() rethrows an error it does not expect", async () => {
  const runner = fakeRunner([
    { bin: "tailscale", args: STATUS_ARGS, error: new RangeError("boom") },
  ]);
  await rejects(readTailscaleStatus({ runner }), RangeError);
});
