import { deepStrictEqual, rejects, strictEqual } from "node:assert/strict";
import { fakeRunner } from "./fake_runner.ts";
import {
  runningServices,
  startServices,
  tryRestartServices,
} from "./systemctl_services.ts";

const LIST = ["list-units", "--all", "--plain", "--no-legend", "--full", "--"];

Deno.test("runningServices() asks once, expands templates and keeps active, activating and reloading units", async () => {
  const runner = fakeRunner([{
    bin: "systemctl",
    args: [
      ...LIST,
      "a.service",
      "b.service",
      "c.service",
      "d.service",
      "w@*.service",
    ],
    result: {
      stdout: [
        "a.service loaded active running A",
        "b.service loaded inactive dead B",
        "● c.service loaded failed failed C",
        "d.service loaded activating start D",
        "w@1.service loaded active running W 1",
        "w@2.service loaded reloading reload W 2",
        "",
      ].join("\n"),
    },
  }]);
  deepStrictEqual(
    await runningServices(runner, "system", [
      "a.service",
      "b.service",
      "c.service",
      "d.service",
      "w@.service",
    ]),
    ["a.service", "d.service", "w@1.service", "w@2.service"],
  );
  runner.assertAllCalled();
});

Deno.test("runningServices() runs nothing for no services", async () => {
  const runner = fakeRunner([]);
  deepStrictEqual(await runningServices(runner, "user", []), []);
  strictEqual(runner.calls.length, 0);
});

Deno.test("tryRestartServices() and startServices() make one call each in the scope", async () => {
  const runner = fakeRunner([
    {
      bin: "systemctl",
      args: ["--user", "try-restart", "--", "a.service", "b.service"],
    },
    { bin: "systemctl", args: ["start", "--", "c.service"] },
  ]);
  await tryRestartServices(runner, "user", ["a.service", "b.service"]);
  await startServices(runner, "system", ["c.service"]);
  await tryRestartServices(runner, "user", []);
  await startServices(runner, "user", []);
  runner.assertAllCalled();
  strictEqual(runner.calls.length, 2);
});

Deno.test("startServices() names the services and systemctl's message when a start fails", async () => {
  const runner = fakeRunner([{
    bin: "systemctl",
    args: ["--user", "start", "--", "web.service"],
    result: {
      code: 1,
      stderr:
        "Job for web.service failed because the control process exited with error code.\n",
    },
  }]);
  await rejects(startServices(runner, "user", ["web.service"]), {
    name: "LegerError",
    code: "ERR_SERVICE_START_FAILED",
    message:
      "Cannot start web.service: `systemctl --user start` exited with code 1: Job for web.service failed because the control process exited with error code.",
  });
});
