import { deepStrictEqual, rejects } from "node:assert/strict";
import { CommandError } from "../adapters/command_error.ts";
import type { HostOps } from "../adapters/host_ops.ts";
import type { UnitState } from "../adapters/systemctl.ts";
import type { IntentJournal } from "../state/intent_journal.ts";
import { applyUpdate, undoUpdate } from "./apply_update.ts";

/** A host that records every call; `down` services are not active. */
function fakeOps(options: { down?: string[]; failRestart?: boolean } = {}) {
  const calls: string[] = [];
  const record = (line: string) => {
    calls.push(line);
    return Promise.resolve();
  };
  const ops: HostOps = {
    canReplace: true,
    installFiles: (dir, files, replace) =>
      record(`install${replace ? " --replace" : ""} ${dir} ${files.join(" ")}`),
    restoreFiles: (dir, files) => record(`copy ${dir} ${files.join(" ")}`),
    removeFiles: (files) => record(`remove ${files.join(" ")}`),
    start: (services) => record(`start ${services.join(" ")}`),
    restart(services) {
      calls.push(`restart ${services.join(" ")}`);
      return options.failRestart
        ? Promise.reject(new CommandError("systemctl", [], 1, "Job failed"))
        : Promise.resolve();
    },
    stop: (services) => record(`stop ${services.join(" ")}`),
    states: (services) =>
      Promise.resolve(services.map((id): UnitState => {
        const down = options.down?.includes(id) ?? false;
        return {
          id,
          loadState: "loaded",
          activeState: down ? "failed" : "active",
          subState: down ? "failed" : "running",
          result: down ? "exit-code" : "success",
        };
      })),
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

/** web.conf changed (web restarts), cache added, worker and its net dropped. */
const UPDATE: IntentJournal = {
  change_id: "c1",
  operation: "update",
  deployment: "app",
  pid: 1,
  started_at: "2026-11-30T12:00:00.000Z",
  staged_dir: "/staged/.app.c1",
  files: ["web.container", "web.conf", "db.container", "cache.container"],
  unit_services: ["web.service", "db.service", "cache.service"],
  services: ["web.service", "cache.service"],
  volumes: ["systemd-cache"],
  networks: [],
  previous: {
    dir: "/active/app",
    files: [
      "web.container",
      "web.conf",
      "db.container",
      "worker.container",
      "worker.network",
    ],
    services: ["web.service", "db.service", "worker.service"],
    unit_services: [
      "web.service",
      "db.service",
      "worker.service",
      "worker-network.service",
    ],
    running: ["web.service", "db.service", "worker.service"],
  },
  update: {
    written: ["web.conf", "cache.container"],
    removed: ["worker.container", "worker.network"],
    restarted: ["web.service"],
    started: ["cache.service"],
    stopped: ["worker.service", "worker-network.service"],
    added_services: ["cache.service"],
  },
  remove_volumes: false,
  podman_markers: {},
};
const fast = { settleChecks: 2, pause: () => Promise.resolve() };

Deno.test("applyUpdate() touches only what changed, dropped units file by file", async () => {
  const { ops, calls } = fakeOps();
  await applyUpdate(UPDATE, ops, {
    ...fast,
    removeNetworks: ["systemd-worker"],
  });
  deepStrictEqual(calls, [
    "stop worker.service worker-network.service",
    "remove worker.container worker.network",
    "network rm systemd-worker",
    "copy /staged/.app.c1 web.conf",
    "install /staged/.app.c1 cache.container",
    "restart web.service",
    "start cache.service",
  ]);
});

Deno.test("applyUpdate() copies added files that hold no unit (Podman 5.8 refuses them alone)", async () => {
  const { ops, calls } = fakeOps();
  await applyUpdate(
    {
      ...UPDATE,
      update: {
        ...UPDATE.update!,
        written: ["web.conf", "extra.env"],
        removed: [],
        stopped: [],
        started: [],
        added_services: [],
      },
    },
    ops,
    fast,
  );
  deepStrictEqual(calls, [
    "copy /staged/.app.c1 web.conf",
    "copy /staged/.app.c1 extra.env",
    "restart web.service",
  ]);
});

Deno.test("applyUpdate() fails when a restarted service does not stay up, naming it", async () => {
  const { ops } = fakeOps({ down: ["web.service"] });
  await rejects(applyUpdate(UPDATE, ops, fast), {
    code: "ERR_SERVICE_START_FAILED",
    message: /web\.service/,
  });
  const failing = fakeOps({ failRestart: true, down: ["web.service"] });
  await rejects(applyUpdate(UPDATE, failing.ops, fast), {
    code: "ERR_SERVICE_START_FAILED",
  });
});

Deno.test("applyUpdate() stops at the next step once aborted", async () => {
  const { ops, calls } = fakeOps();
  const controller = new AbortController();
  controller.abort();
  await rejects(applyUpdate(UPDATE, ops, { signal: controller.signal }), {
    code: "ERR_INTERRUPTED",
  });
  deepStrictEqual(calls, []);
});

Deno.test("undoUpdate() puts back only what the update touched", async () => {
  const { ops, calls } = fakeOps();
  deepStrictEqual(await undoUpdate(UPDATE, ops), []);
  deepStrictEqual(calls, [
    "stop cache.service",
    "remove cache.container",
    "copy /active/app web.conf worker.container worker.network",
    "restore markers",
    // worker-network.service was not running before (a oneshot the fake
    // reports inactive is not in `running`): it is left stopped.
    "stop worker-network.service",
    "restart web.service worker.service",
    "reset-failed cache.service web.service worker.service worker-network.service",
    "volume rm systemd-cache",
    "network rm ",
  ]);
});
