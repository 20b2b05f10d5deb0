import { deepStrictEqual, rejects, strictEqual } from "node:assert/strict";
import type { RunResult } from "../adapters/run.ts";
import { waitUntilHealthy } from "./wait_until_healthy.ts";

/** A service whose state moves on at each look (`systemctl list-units`). */
function service(states: string[]) {
  let looks = 0;
  let state = states[0];
  const runner = (bin: string, args: readonly string[]): Promise<RunResult> => {
    if (bin === "podman") {
      return Promise.resolve({ code: 0, stdout: "[]", stderr: "" });
    }
    if (args.includes("list-units")) {
      state = states[Math.min(looks++, states.length - 1)];
      const [active, sub] = state.split("/");
      return Promise.resolve({
        code: 0,
        stdout: `web.service loaded ${active} ${sub} web\n`,
        stderr: "",
      });
    }
    const [active, sub] = state.split("/");
    return Promise.resolve({
      code: 0,
      stdout:
        `Id=web.service\nLoadState=loaded\nActiveState=${active}\nSubState=${sub}\nResult=success\n`,
      stderr: "",
    });
  };
  return { runner, looks: () => looks };
}

const check = {
  type: "http" as const,
  url: "http://127.0.0.1:8080/health",
  file: "web.container",
  line: 5,
};

Deno.test("waitUntilHealthy() returns once the service is active and its check healthy", async () => {
  const { runner, looks } = service([
    "activating/start",
    "active/running",
    "active/running",
  ]);
  const answers = [503, 200];
  const fetch = () =>
    Promise.resolve(new Response(null, { status: answers.shift() ?? 200 }));
  const slept: number[] = [];
  const status = await waitUntilHealthy("user", {
    service: "web.service",
    check,
  }, {
    runner,
    fetch: fetch as typeof globalThis.fetch,
    retries: 0,
    sleep: (ms) => {
      slept.push(ms);
      return Promise.resolve();
    },
  });
  strictEqual(status.health.state, "healthy");
  strictEqual(looks(), 3);
  deepStrictEqual(slept, [1000, 1000]);
});

Deno.test("waitUntilHealthy() gives up after its bound, naming the service, the check, the last answer and the fix", async () => {
  const { runner, looks } = service(["active/running"]);
  const fetch = () => Promise.resolve(new Response("no", { status: 500 }));
  let clock = 0;
  await rejects(
    waitUntilHealthy("user", { service: "web.service", check }, {
      runner,
      fetch: fetch as typeof globalThis.fetch,
      retries: 0,
      waitMs: 3000,
      now: () => clock,
      sleep: (ms) => {
        clock += ms;
        return Promise.resolve();
      },
    }),
    (error: Error & { code: string; details: string[]; remedy: string }) => {
      strictEqual(error.code, "ERR_SERVICE_UNHEALTHY");
      strictEqual(
        error.message,
        "Cannot confirm that web.service is healthy: its HTTP check of http://127.0.0.1:8080/health still says unhealthy after 3 s",
      );
      deepStrictEqual(error.details, [
        "last answer: HTTP 500 (1 attempt)",
      ]);
      strictEqual(
        error.remedy,
        "See why with `leger service logs web`, fix it, then restart it again",
      );
      return true;
    },
  );
  strictEqual(looks(), 4);
});

Deno.test("waitUntilHealthy() stops at once when the service fails", async () => {
  const { runner, looks } = service(["failed/failed"]);
  await rejects(
    waitUntilHealthy("user", { service: "web.service", check: null }, {
      runner,
      sleep: () => Promise.reject(new Error("no wait expected")),
    }),
    {
      code: "ERR_SERVICE_UNHEALTHY",
      message:
        "Cannot confirm that web.service is healthy: it failed (failed/failed)",
    },
  );
  strictEqual(looks(), 1);
});

Deno.test("waitUntilHealthy() never looks more often than its bound, even with a clock that stands still", async () => {
  const { runner, looks } = service(["activating/start"]);
  await rejects(
    waitUntilHealthy("user", { service: "web.service", check: null }, {
      runner,
      waitMs: 5000,
      intervalMs: 1000,
      now: () => 0,
      sleep: () => Promise.resolve(),
    }),
    {
      code: "ERR_SERVICE_UNHEALTHY",
      message: /is activating\/start after 5 s/,
    },
  );
  strictEqual(looks(), 6);
});
