import { match, strictEqual } from "node:assert/strict";
import { CommandError } from "../adapters/command_error.ts";
import { checkSystemd, type SystemdFacts } from "./check_systemd.ts";

const USER: SystemdFacts = {
  scope: "user",
  uid: 1000,
  user: "alice",
  booted: true,
  runtimeDir: "/run/user/1000",
  userBus: true,
  state: { code: 0, stdout: "running\n", stderr: "" },
};

Deno.test("checkSystemd() reads the manager's state", () => {
  const cases: [string, number, string, RegExp | null][] = [
    ["running", 0, "pass", null],
    ["degraded", 1, "warn", /^systemctl --user --failed/],
    ["starting", 1, "warn", /is-system-running --wait/],
    ["stopping", 1, "fail", /^systemctl --user status/],
  ];
  for (const [answer, code, status, fix] of cases) {
    const check = checkSystemd({
      ...USER,
      state: { code, stdout: `${answer}\n`, stderr: "" },
    });
    strictEqual(check.status, status, answer);
    strictEqual(check.title, `The systemd user manager of alice is ${answer}`);
    if (fix === null) strictEqual(check.fix, null);
    else match(check.fix!, fix);
  }
  const system = checkSystemd({ ...USER, scope: "system", uid: 0 });
  strictEqual(system.title, "systemd is running");
});

Deno.test("checkSystemd() fails without systemd as PID 1", () => {
  const check = checkSystemd({ ...USER, scope: "system", booted: false });
  strictEqual(check.status, "fail");
  match(check.detail, /no \/run\/systemd\/system/);
});

Deno.test("checkSystemd() tells a shell without XDG_RUNTIME_DIR where the user manager is", () => {
  const unreachable = {
    code: 1,
    stdout: "",
    stderr:
      "Failed to connect to user scope bus via local transport: $DBUS_SESSION_BUS_ADDRESS and $XDG_RUNTIME_DIR not defined",
  };
  const running = checkSystemd({
    ...USER,
    runtimeDir: undefined,
    state: unreachable,
  });
  strictEqual(running.status, "fail");
  match(running.detail, /XDG_RUNTIME_DIR is not set/);
  strictEqual(
    running.fix,
    "export XDG_RUNTIME_DIR=/run/user/1000 DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/1000/bus",
  );
  // No manager at all: linger starts it.
  const none = checkSystemd({
    ...USER,
    runtimeDir: undefined,
    userBus: false,
    state: unreachable,
  });
  match(none.detail, /does not run \(there is no \/run\/user\/1000\/bus\)/);
  match(none.fix!, /^sudo loginctl enable-linger alice /);
  // systemctl itself failing as root.
  const root = checkSystemd({
    ...USER,
    scope: "system",
    state: new CommandError(
      "systemctl",
      ["is-system-running"],
      1,
      "Failed to connect to bus: No such file or directory",
    ),
  });
  strictEqual(root.status, "fail");
  match(root.detail, /No such file or directory/);
});
