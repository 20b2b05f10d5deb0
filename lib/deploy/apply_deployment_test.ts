import { deepStrictEqual, rejects } from "node:assert/strict";
import { CommandError } from "../adapters/command_error.ts";
import type { UnitState } from "../adapters/systemctl.ts";
import { applyDeployment } from "./apply_deployment.ts";
import type { HostOps } from "../adapters/host_ops.ts";

/** A host that records every call and fails where a test says. */
function fakeHost(options: {
  canReplace?: boolean;
  failStart?: boolean;
  failInstall?: string;
  states?: (calls: number) => Record<string, string>;
} = {}) {
  const calls: string[] = [];
  let stateCalls = 0;
  const ops: HostOps = {
    canReplace: options.canReplace ?? false,
    installFiles(dir, files, replace) {
      calls.push(
        `install${replace ? " --replace" : ""} ${dir} ${files.join(" ")}`,
      );
      if (options.failInstall === dir) {
        return Promise.reject(
          new CommandError("podman", [], 125, "Error: bad unit"),
        );
      }
      return Promise.resolve();
    },
    removeFiles(files) {
      calls.push(`remove ${files.join(" ")}`);
      return Promise.resolve();
    },
    deleteFiles(files) {
      calls.push(`delete ${files.join(" ")}`);
      return Promise.resolve();
    },
    start(services) {
      calls.push(`start ${services.join(" ")}`);
      if (options.failStart) {
        return Promise.reject(
          new CommandError("systemctl", [], 1, "Job failed"),
        );
      }
      return Promise.resolve();
    },
    stop(services) {
      calls.push(`stop ${services.join(" ")}`);
      return Promise.resolve();
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
    resetFailed(services) {
      calls.push(`reset-failed ${services.join(" ")}`);
      return Promise.resolve();
    },
    existingResources: () =>
      Promise.resolve({
        volumes: new Set(["old-data"]),
        networks: new Set<string>(),
      }),
    removeVolumes(names) {
      calls.push(`volume rm ${names.join(" ")}`);
      return Promise.resolve();
    },
    removeNetworks(names) {
      calls.push(`network rm ${names.join(" ")}`);
      return Promise.resolve();
    },
    journalTail: (service) => Promise.resolve([`${service}: boom`]),
    journalCommand: (service) => `journalctl -u ${service}`,
  };
  return { ops, calls };
}

const NEXT = {
  dir: "/staged/app",
  files: ["web.container", "data.volume"],
  services: ["web.service"],
  unitServices: ["web.service", "data-volume.service"],
  volumes: ["systemd-data", "old-data"],
  networks: [],
};
const PREVIOUS = {
  dir: "/active/app",
  files: ["web.container"],
  services: ["web.service"],
  unitServices: ["web.service"],
  volumes: ["old-data"],
  networks: [],
  running: ["web.service"],
};
/** What undoing does last: forget what the change created (not "old-data", which existed). */
const FORGET_CREATED = [
  "reset-failed web.service data-volume.service",
  "volume rm systemd-data",
  "network rm ",
];
const fast = { settleChecks: 2, pause: () => Promise.resolve() };

Deno.test("applyDeployment() installs and starts a new deployment", async () => {
  const { ops, calls } = fakeHost();
  await applyDeployment(NEXT, null, ops, { start: true, ...fast });
  deepStrictEqual(calls, [
    "install /staged/app web.container data.volume",
    "start web.service",
  ]);
});

Deno.test("applyDeployment() installs over the previous version where the host can replace files", async () => {
  const { ops, calls } = fakeHost({ canReplace: true });
  const previous = { ...PREVIOUS, files: ["web.container", "old.network"] };
  await applyDeployment(NEXT, previous, ops, { start: true, ...fast });
  deepStrictEqual(calls, [
    "stop web.service",
    "install --replace /staged/app web.container data.volume",
    "delete old.network",
    "start web.service",
  ]);
});

Deno.test("applyDeployment() undoes an install over the previous version by putting it back", async () => {
  const { ops, calls } = fakeHost({
    canReplace: true,
    failStart: true,
    states: () => ({ "web.service": "failed" }),
  });
  const previous = { ...PREVIOUS, files: ["web.container", "old.network"] };
  await rejects(
    applyDeployment(NEXT, previous, ops, { start: true, ...fast }),
    { code: "ERR_SERVICE_START_FAILED" },
  );
  deepStrictEqual(calls, [
    "stop web.service",
    "install --replace /staged/app web.container data.volume",
    "delete old.network",
    "start web.service",
    // undo, newest first
    "stop web.service",
    "stop web.service data-volume.service",
    "delete data.volume",
    "install --replace /active/app web.container old.network",
    "start web.service",
    ...FORGET_CREATED,
  ]);
});

Deno.test("applyDeployment() replaces the previous version by removing it first without --replace", async () => {
  const { ops, calls } = fakeHost();
  await applyDeployment(NEXT, PREVIOUS, ops, { start: true, ...fast });
  deepStrictEqual(calls, [
    "stop web.service",
    "remove web.container",
    "install /staged/app web.container data.volume",
    "start web.service",
  ]);
});

Deno.test("applyDeployment() does not start services with start: false", async () => {
  const { ops, calls } = fakeHost();
  await applyDeployment(NEXT, null, ops, { start: false, ...fast });
  deepStrictEqual(calls, ["install /staged/app web.container data.volume"]);
});

Deno.test("applyDeployment() rolls back to the previous version when a service exits after starting", async () => {
  const { ops, calls } = fakeHost({
    states: (n): Record<string, string> =>
      n === 1 ? { "web.service": "failed" } : {},
  });
  await rejects(
    applyDeployment(NEXT, PREVIOUS, ops, { start: true, ...fast }),
    (error: Error & { code?: string; details?: string[] }) => {
      deepStrictEqual(error.code, "ERR_SERVICE_START_FAILED");
      deepStrictEqual(
        error.message,
        'Cannot start "web.service": it is failed (failed, exit-code)',
      );
      deepStrictEqual(error.details, [
        "last journal lines:",
        "  web.service: boom",
      ]);
      return true;
    },
  );
  deepStrictEqual(calls, [
    "stop web.service",
    "remove web.container",
    "install /staged/app web.container data.volume",
    "start web.service",
    // undo, newest first
    "stop web.service",
    "stop web.service data-volume.service",
    "remove web.container data.volume",
    "install /active/app web.container",
    "start web.service",
    ...FORGET_CREATED,
  ]);
});

Deno.test("applyDeployment() removes the new units when systemctl start fails", async () => {
  const { ops, calls } = fakeHost({
    failStart: true,
    states: () => ({ "web.service": "failed" }),
  });
  await rejects(applyDeployment(NEXT, null, ops, { start: true, ...fast }), {
    code: "ERR_SERVICE_START_FAILED",
  });
  deepStrictEqual(calls, [
    "install /staged/app web.container data.volume",
    "start web.service",
    "stop web.service",
    "stop web.service data-volume.service",
    "remove web.container data.volume",
    ...FORGET_CREATED,
  ]);
});

Deno.test("applyDeployment() reports Podman's refusal and restores the previous version", async () => {
  const { ops, calls } = fakeHost({ failInstall: "/staged/app" });
  await rejects(
    applyDeployment(NEXT, PREVIOUS, ops, { start: true, ...fast }),
    {
      code: "ERR_PODMAN_INSTALL_FAILED",
      message: /podman exited with code 125/,
    },
  );
  deepStrictEqual(calls, [
    "stop web.service",
    "remove web.container",
    "install /staged/app web.container data.volume",
    "install /active/app web.container",
    "start web.service",
    ...FORGET_CREATED,
  ]);
});

Deno.test("applyDeployment() undoes what it did when interrupted", async () => {
  const { ops, calls } = fakeHost();
  const controller = new AbortController();
  await rejects(
    applyDeployment(NEXT, null, ops, {
      start: true,
      signal: controller.signal,
      progress: (line) => {
        if (line.startsWith("Starting")) controller.abort();
      },
      ...fast,
    }),
    { code: "ERR_INTERRUPTED" },
  );
  deepStrictEqual(calls, [
    "install /staged/app web.container data.volume",
    "start web.service",
    "stop web.service",
    "stop web.service data-volume.service",
    "remove web.container data.volume",
    ...FORGET_CREATED,
  ]);
});
