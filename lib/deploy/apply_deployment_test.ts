import { deepStrictEqual, rejects } from "node:assert/strict";
import { CommandError } from "../adapters/command_error.ts";
import type { HostOps } from "../adapters/host_ops.ts";
import type { UnitState } from "../adapters/systemctl.ts";
import type { IntentJournal } from "../state/intent_journal.ts";
import { applyDeployment, undoInstall } from "./apply_deployment.ts";

/** A host that records every call and fails where a test says. */
function fakeOps(options: {
  canReplace?: boolean;
  failStart?: boolean;
  failInstall?: boolean;
  failStop?: boolean;
  states?: (calls: number) => Record<string, string>;
  onStart?: () => void;
} = {}) {
  const calls: string[] = [];
  let stateCalls = 0;
  const record = (line: string) => {
    calls.push(line);
    return Promise.resolve();
  };
  const ops: HostOps = {
    canReplace: options.canReplace ?? true,
    installFiles(dir, files, replace) {
      calls.push(
        `install${replace ? " --replace" : ""} ${dir} ${files.join(" ")}`,
      );
      return options.failInstall
        ? Promise.reject(new CommandError("podman", [], 125, "Error: bad unit"))
        : Promise.resolve();
    },
    restoreFiles: (dir, files) => record(`restore ${dir} ${files.join(" ")}`),
    removeFiles: (files) => record(`remove ${files.join(" ")}`),
    start(services) {
      calls.push(`start ${services.join(" ")}`);
      options.onStart?.();
      return options.failStart
        ? Promise.reject(new CommandError("systemctl", [], 1, "Job failed"))
        : Promise.resolve();
    },
    restart: (services) => record(`restart ${services.join(" ")}`),
    stop(services) {
      calls.push(`stop ${services.join(" ")}`);
      return options.failStop
        ? Promise.reject(new CommandError("systemctl", [], 1, "Bus error"))
        : Promise.resolve();
    },
    states(services) {
      const active = options.states?.(stateCalls++) ?? {};
      return Promise.resolve(services.map((id): UnitState => ({
        id,
        loadState: "loaded",
        activeState: active[id] ?? "active",
        subState: active[id] === "failed" ? "failed" : "running",
        result: active[id] === "failed" ? "exit-code" : "success",
      })));
    },
    resetFailed: (services) => record(`reset-failed ${services.join(" ")}`),
    removeVolumes: (names) => record(`volume rm ${names.join(" ")}`),
    removeNetworks: (names) => record(`network rm ${names.join(" ")}`),
    journalTail: (service) => Promise.resolve([`${service}: boom`]),
    journalCommand: (service) => `journalctl -u ${service}`,
    dependencies: () => Promise.resolve([]),
    loadedInstances: () => Promise.resolve([]),
    readMarkers: () => Promise.resolve({}),
    restoreMarkers: () => record("restore markers"),
  };
  return { ops, calls };
}

const FRESH: IntentJournal = {
  change_id: "c1",
  operation: "install",
  deployment: "app",
  pid: 1,
  started_at: "2026-11-30T12:00:00.000Z",
  staged_dir: "/staged/.app.c1",
  files: ["web.container", "data.volume", "web.conf"],
  unit_services: ["web.service", "data-volume.service"],
  services: ["web.service"],
  volumes: ["systemd-data"],
  networks: [],
  previous: null,
  remove_volumes: false,
};
const OVER: IntentJournal = {
  ...FRESH,
  previous: {
    dir: "/active/app",
    files: ["web.container", "old.conf"],
    services: ["web.service"],
    unit_services: ["web.service"],
    running: ["web.service"],
  },
};
const fast = { settleChecks: 2, pause: () => Promise.resolve() };

Deno.test("applyDeployment() takes the steps of an install, in order", async (t) => {
  const cases: {
    name: string;
    intent: IntentJournal;
    canReplace?: boolean;
    start?: boolean;
    calls: string[];
  }[] = [
    {
      name: "a new deployment",
      intent: FRESH,
      calls: [
        "install /staged/.app.c1 web.container data.volume web.conf",
        "start web.service",
      ],
    },
    {
      name: "over the previous version, where files can be replaced",
      intent: OVER,
      calls: [
        "stop web.service",
        "install --replace /staged/.app.c1 web.container data.volume web.conf",
        "remove old.conf",
        "start web.service",
      ],
    },
    {
      name: "over the previous version, without --replace",
      intent: OVER,
      canReplace: false,
      calls: [
        "stop web.service",
        "remove web.container old.conf",
        "install /staged/.app.c1 web.container data.volume web.conf",
        "start web.service",
      ],
    },
    {
      name: "with start: false",
      intent: FRESH,
      start: false,
      calls: ["install /staged/.app.c1 web.container data.volume web.conf"],
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      const { ops, calls } = fakeOps({ canReplace: c.canReplace });
      await applyDeployment(c.intent, ops, { start: c.start ?? true, ...fast });
      deepStrictEqual(calls, c.calls);
    });
  }
});

Deno.test("applyDeployment() says why an install fails", async (t) => {
  const cases = [
    {
      name: "Podman refuses the units",
      host: { failInstall: true },
      error: {
        code: "ERR_PODMAN_INSTALL_FAILED",
        message: /podman exited with code 125/,
      },
    },
    {
      name: "systemctl start fails",
      host: { failStart: true, states: () => ({ "web.service": "failed" }) },
      error: {
        code: "ERR_SERVICE_START_FAILED",
        message: /"web.service": it is failed/,
      },
    },
    {
      name: "a service exits a moment after starting",
      host: {
        states: (n: number): Record<string, string> =>
          n === 0 ? {} : { "web.service": "failed" },
      },
      error: {
        code: "ERR_SERVICE_START_FAILED",
        message: /"web.service": it is failed \(failed, exit-code\)/,
      },
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      const { ops } = fakeOps(c.host);
      await rejects(
        applyDeployment(FRESH, ops, { start: true, ...fast }),
        c.error,
      );
    });
  }
});

Deno.test("applyDeployment() reports a signal as the cause, whatever the processes in flight said", async (t) => {
  await t.step("before the first step", async () => {
    const { ops, calls } = fakeOps();
    const controller = new AbortController();
    controller.abort();
    await rejects(
      applyDeployment(FRESH, ops, {
        start: true,
        signal: controller.signal,
        ...fast,
      }),
      { code: "ERR_INTERRUPTED" },
    );
    deepStrictEqual(calls, []);
  });
  await t.step(
    "while systemctl start runs (and dies of the same Ctrl-C)",
    async () => {
      const controller = new AbortController();
      const { ops } = fakeOps({
        failStart: true,
        onStart: () => controller.abort(),
      });
      await rejects(
        applyDeployment(FRESH, ops, {
          start: true,
          signal: controller.signal,
          ...fast,
        }),
        { code: "ERR_INTERRUPTED" },
      );
    },
  );
});

Deno.test("undoInstall() puts the host back as the journal describes it", async (t) => {
  const cases = [
    {
      name: "a new deployment",
      intent: FRESH,
      calls: [
        "stop web.service data-volume.service",
        "remove web.container data.volume web.conf",
        "reset-failed web.service data-volume.service",
        "volume rm systemd-data",
        "network rm ",
      ],
    },
    {
      name: "over a previous version",
      intent: OVER,
      calls: [
        "stop web.service data-volume.service",
        "remove data.volume web.conf",
        "restore /active/app web.container old.conf",
        "start web.service",
        "reset-failed web.service data-volume.service",
        "volume rm systemd-data",
        "network rm ",
      ],
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      const { ops, calls } = fakeOps();
      deepStrictEqual(await undoInstall(c.intent, ops), []);
      deepStrictEqual(calls, c.calls);
    });
  }
  await t.step("a step that fails does not stop the others", async () => {
    const { ops, calls } = fakeOps({ failStop: true });
    const failures = await undoInstall(OVER, ops);
    deepStrictEqual(failures.map((f) => f.what), ["stop the new services"]);
    deepStrictEqual(calls.length, 7);
  });
});
