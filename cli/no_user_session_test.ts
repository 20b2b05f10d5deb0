import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { CommandError } from "../lib/adapters/command_error.ts";
import type { RuntimeFolder } from "../lib/auth/user_session_error.ts";
import { LegerError } from "../lib/errors/mod.ts";
import {
  commandFixture,
  installDeployment,
} from "../tests/fakes/command_fixture.ts";
import { noUserSession } from "./no_user_session.ts";
import { runProgram } from "./program.ts";

const BUS_262 =
  "Failed to connect to user scope bus via local transport: No such file or directory";
const BUS_249 = "Failed to connect to bus: No medium found";
const REMEDY =
  "Log in as the user (not with su or sudo -u), or run `loginctl enable-linger $USER` and `export XDG_RUNTIME_DIR=/run/user/$(id -u)`";

function systemctlFailed(args: string[], stderr: string): CommandError {
  return new CommandError("systemctl", args, 1, `${stderr}\n`);
}

/** noUserSession() over one XDG_RUNTIME_DIR and one folder, and the paths it looked at. */
function judge(error: unknown, value: string, folder: RuntimeFolder) {
  const looked: string[] = [];
  const result = noUserSession(error, {
    env: (name) => name === "XDG_RUNTIME_DIR" ? value : undefined,
    uid: 1000,
    stat: (path) => {
      looked.push(path);
      return folder;
    },
  });
  return { result, looked };
}

Deno.test("noUserSession() turns a systemctl --user that reached no manager into ERR_SYSTEMD_NOT_RUNNING, with systemctl's error as its cause", () => {
  for (const said of [BUS_262, BUS_249]) {
    const failed = systemctlFailed(["--user", "show", "web.service"], said);
    const { result, looked } = judge(failed, "/run", {
      kind: "folder",
      uid: 0,
    });
    deepStrictEqual(
      [result?.code, result?.message, result?.remedy, result?.cause],
      [
        "ERR_SYSTEMD_NOT_RUNNING",
        `Cannot reach the user's systemd (systemctl --user): XDG_RUNTIME_DIR is "/run", a folder of uid 0, not of uid 1000, so this is not a login session of uid 1000`,
        REMEDY,
        failed,
      ],
    );
    deepStrictEqual(looked, ["/run"]);
  }
});

Deno.test("noUserSession() finds the failure among the causes of the error a command threw", () => {
  const failed = systemctlFailed(
    ["--user", "start", "--", "web.service"],
    BUS_262,
  );
  const wrapped = new LegerError(
    "ERR_SERVICE_START_FAILED",
    "Cannot start web",
    {
      cause: new Error("step", { cause: failed }),
    },
  );
  const { result } = judge(wrapped, "relative", { kind: "folder", uid: 1000 });
  strictEqual(result?.code, "ERR_SYSTEMD_NOT_RUNNING");
  strictEqual(result?.cause, failed);
  match(
    result?.message ?? "",
    /XDG_RUNTIME_DIR is "relative", not an absolute path/,
  );
});

Deno.test("noUserSession() leaves every other error alone, and looks at nothing for it", async (t) => {
  const loop = new Error("loop");
  (loop as { cause?: unknown }).cause = loop;
  const cases: [string, unknown][] = [
    [
      "a unit that failed",
      systemctlFailed(
        ["--user", "start", "web.service"],
        "Job for web.service failed.",
      ),
    ],
    [
      "the system's systemctl",
      systemctlFailed(
        ["show", "web.service"],
        "Failed to connect to bus: No such file or directory",
      ),
    ],
    ["podman", new CommandError("podman", ["ps"], 125, `Error: ${BUS_262}\n`)],
    [
      "a leger error without cause",
      new LegerError("ERR_LOCKED", "Cannot lock"),
    ],
    ["a cause that loops", loop],
    ["not an error", "text"],
  ];
  for (const [name, error] of cases) {
    await t.step(name, () => {
      const { result, looked } = judge(error, "", { kind: "missing" });
      strictEqual(result, null);
      deepStrictEqual(looked, []);
    });
  }
});

Deno.test("leger status and leger service restart say XDG_RUNTIME_DIR is no login session when systemctl --user reaches no manager", async (t) => {
  await using fixture = await commandFixture();
  await installDeployment(fixture, "web");
  const runner = fixture.deps.runner;
  fixture.deps.runner = (bin, args, options) =>
    bin === "systemctl" && args[0] === "--user"
      ? Promise.reject(new CommandError(bin, args, 1, `${BUS_262}\n`))
      : runner(bin, args, options);
  fixture.deps.context = {
    ...fixture.deps.context,
    env: (name) => name === "XDG_RUNTIME_DIR" ? "" : undefined,
  };
  for (const args of [["status"], ["service", "restart", "web"]]) {
    await t.step(args.join(" "), async () => {
      fixture.clearOutput();
      strictEqual(await runProgram(args, fixture.deps), 1);
      const lines = fixture.output.stderr.trimEnd().split("\n");
      strictEqual(
        lines[0],
        "Error: Cannot reach the user's systemd (systemctl --user): XDG_RUNTIME_DIR is empty, so this is not a login session of uid 1000",
      );
      deepStrictEqual(lines.slice(-2), [REMEDY, "[ERR_SYSTEMD_NOT_RUNNING]"]);
      ok(
        lines.some((line) =>
          line.startsWith('  cause: Cannot run "systemctl --user ')
        ),
        fixture.output.stderr,
      );
    });
  }
  await t.step("status --json", async () => {
    fixture.clearOutput();
    strictEqual(await runProgram(["status", "--json"], fixture.deps), 1);
    const { error } = JSON.parse(fixture.output.stdout);
    strictEqual(error.code, "ERR_SYSTEMD_NOT_RUNNING");
    strictEqual(error.remedy, REMEDY);
  });
});
