import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { CommandError } from "../adapters/command_error.ts";
import { parsePodmanPs } from "../adapters/podman_ps.ts";
import type { RunOptions, RunResult } from "../adapters/run.ts";
import type { HealthCheck } from "./health_check_of.ts";
import { readServiceStatus } from "./read_service_status.ts";

const PS = await Deno.readTextFile(
  new URL("../adapters/testdata/podman_ps_health.out", import.meta.url),
);

interface Unit {
  active: string;
  sub: string;
}

/**
 * systemctl list-units and show, and podman ps, over fixed states; records
 * each call as `bin verb` with the units asked about.
 */
function host(
  units: Record<string, Unit>,
  ps: () => string = () => PS,
): {
  runner: (
    bin: string,
    args: readonly string[],
    options?: RunOptions,
  ) => Promise<RunResult>;
  calls: string[];
} {
  const calls: string[] = [];
  return {
    calls,
    runner(bin, args) {
      if (bin === "podman") {
        calls.push(`podman ${args[0]}`);
        return Promise.resolve({ code: 0, stdout: ps(), stderr: "" });
      }
      const verb = args[args[0] === "--user" ? 1 : 0];
      const names = args.slice(args.indexOf("--") + 1);
      calls.push(`systemctl ${verb} ${names.join(" ")}`);
      if (verb === "list-units") {
        const stdout = names.filter((name) => units[name] !== undefined)
          .map((name) =>
            `${name} loaded ${units[name].active} ${units[name].sub} ${name}\n`
          ).join("");
        return Promise.resolve({ code: 0, stdout, stderr: "" });
      }
      const stdout = names.map((name) => {
        const unit = units[name];
        return [
          `Id=${name}`,
          `LoadState=${unit ? "loaded" : "not-found"}`,
          `ActiveState=${unit?.active ?? "inactive"}`,
          `SubState=${unit?.sub ?? "dead"}`,
          "Result=success",
          `ActiveEnterTimestamp=${unit ? "@1796064081" : ""}`,
          `StateChangeTimestamp=${unit ? "@1796064090" : ""}`,
          "",
        ].join("\n");
      }).join("\n");
      return Promise.resolve({ code: 0, stdout, stderr: "" });
    },
  };
}

/** `podman ps` with a running container for each service. */
function psOf(services: string[]): string {
  return JSON.stringify(services.map((service, i) => ({
    Id: `${i}`.padStart(64, "0"),
    Names: [`systemd-${service.replace(/\.service$/, "")}`],
    Image: "localhost/bb:latest",
    Labels: { PODMAN_SYSTEMD_UNIT: service },
    State: "running",
    Status: "Up 2 minutes",
    StartedAt: 1796064000,
    Ports: null,
  })));
}

const podmanCheck = (file: string): HealthCheck => ({
  type: "podman",
  command: "/bin/busybox true",
  file,
  line: null,
});

Deno.test("readServiceStatus() reads 30 services with one systemctl list-units and one podman ps", async () => {
  const units: Record<string, Unit> = {};
  const services = Array.from({ length: 30 }, (_, i) => {
    units[`s${i}.service`] = { active: "active", sub: "running" };
    return { service: `s${i}.service`, check: null };
  });
  const names = services.map((s) => s.service);
  const { runner, calls } = host(units, () => psOf(names));
  const statuses = await readServiceStatus("system", services, { runner });
  strictEqual(statuses.length, 30);
  // Podman's start time of each container is since when it is active.
  strictEqual(statuses[29].since, "2026-11-30T18:40:00.000Z");
  deepStrictEqual(calls.sort(), [
    "podman ps",
    `systemctl list-units ${names.join(" ")}`,
  ]);
});

Deno.test("readServiceStatus() asks systemctl show only about units list-units lacks and times Podman does not give", async () => {
  const { runner, calls } = host({
    "up.service": { active: "active", sub: "running" },
    "bare.service": { active: "active", sub: "exited" },
    "down.service": { active: "failed", sub: "failed" },
  }, () => psOf(["up.service"]));
  const statuses = await readServiceStatus("user", [
    { service: "up.service", check: null },
    { service: "bare.service", check: null },
    { service: "down.service", check: null },
    { service: "gone.service", check: null },
  ], { runner });
  deepStrictEqual(
    statuses.map((s) => [s.service, s.load_state, s.active_state, s.since]),
    [
      ["up.service", "loaded", "active", "2026-11-30T18:40:00.000Z"],
      ["bare.service", "loaded", "active", "2026-11-30T18:41:21.000Z"],
      ["down.service", "loaded", "failed", "2026-11-30T18:41:30.000Z"],
      ["gone.service", "not-found", "inactive", null],
    ],
  );
  deepStrictEqual(calls.filter((c) => c.startsWith("systemctl show")), [
    "systemctl show bare.service down.service gone.service",
  ]);
  // Without since, only the unit list-units lacks.
  calls.length = 0;
  await readServiceStatus("user", [
    { service: "bare.service", check: null },
    { service: "gone.service", check: null },
  ], { runner, since: false, podman: false });
  deepStrictEqual(calls, [
    "systemctl list-units bare.service gone.service",
    "systemctl show gone.service",
  ]);
});

Deno.test("readServiceStatus() takes Podman's health, image, ports and container for a HealthCmd= unit", async () => {
  const { runner } = host({
    "probe-ok.service": { active: "active", sub: "running" },
    "probe-bad.service": { active: "active", sub: "running" },
    "probe-slow.service": { active: "active", sub: "running" },
  });
  const statuses = await readServiceStatus("system", [
    { service: "probe-ok.service", check: podmanCheck("probe-ok.container") },
    { service: "probe-bad.service", check: podmanCheck("probe-bad.container") },
    {
      service: "probe-slow.service",
      check: podmanCheck("probe-slow.container"),
    },
  ], { runner });
  deepStrictEqual(
    statuses.map((s) => [s.service, s.health.state, s.health.check]),
    [
      ["probe-ok.service", "healthy", "podman"],
      ["probe-bad.service", "unhealthy", "podman"],
      ["probe-slow.service", "starting", "podman"],
    ],
  );
  const [ok] = statuses;
  deepStrictEqual(
    [ok.since, ok.image, ok.ports, ok.container],
    [
      "2026-11-30T18:41:49.000Z",
      "localhost/bb:latest",
      ["127.0.0.1:18555->8080/tcp"],
      "systemd-probe-ok",
    ],
  );
  strictEqual(
    statuses[1].health.detail,
    "Podman's health check of systemd-probe-bad: unhealthy",
  );
});

Deno.test("readServiceStatus() checks an active service's URL over HTTP, and not a stopped one's", async () => {
  let fetched: string[] = [];
  const fetch = (url: string | URL | Request) => {
    fetched.push(String(url));
    return Promise.resolve(
      new Response(null, { status: String(url).includes("bad") ? 500 : 200 }),
    );
  };
  const { runner } = host({
    "web.service": { active: "active", sub: "running" },
    "api.service": { active: "active", sub: "running" },
    "down.service": { active: "failed", sub: "failed" },
  });
  const http = (url: string): HealthCheck => ({
    type: "http",
    url,
    file: "x.container",
    line: 4,
  });
  const statuses = await readServiceStatus("user", [
    { service: "web.service", check: http("http://127.0.0.1:8080/ok") },
    { service: "api.service", check: http("http://127.0.0.1:8081/bad") },
    { service: "down.service", check: http("http://127.0.0.1:8082/ok") },
    { service: "far.service", check: http("http://10.0.0.5/ok") },
  ], {
    runner,
    fetch: fetch as typeof globalThis.fetch,
    retryDelayMs: 0,
  });
  deepStrictEqual(statuses.map((s) => s.health.state), [
    "healthy",
    "unhealthy",
    "unknown",
    "unknown",
  ]);
  strictEqual(
    statuses[2].health.detail,
    "not checked: the service is failed (failed)",
  );
  strictEqual(statuses[2].since, "2026-11-30T18:41:30.000Z");
  deepStrictEqual(fetched.sort(), [
    "http://127.0.0.1:8080/ok",
    "http://127.0.0.1:8081/bad",
    "http://127.0.0.1:8081/bad",
    "http://127.0.0.1:8081/bad",
  ]);
  fetched = [];
});

Deno.test("readServiceStatus() falls back to the unit's image and ports without a container, and says why Podman cannot tell", async () => {
  const units = { "web.service": { active: "active", sub: "running" } };
  const service = {
    service: "web.service",
    check: podmanCheck("web.container"),
    image: "localhost/web:1",
    ports: ["127.0.0.1:8080->80/tcp"],
  };
  const none = await readServiceStatus("user", [service], {
    runner: host(units).runner,
  });
  deepStrictEqual(
    [none[0].image, none[0].ports, none[0].container, none[0].health.detail],
    [
      "localhost/web:1",
      ["127.0.0.1:8080->80/tcp"],
      null,
      "no container of the service runs",
    ],
  );
  const failing = host(units, () => {
    throw new CommandError(
      "podman",
      ["ps"],
      125,
      "Error: database is locked\n",
    );
  });
  const [failed] = await readServiceStatus("user", [service], {
    runner: failing.runner,
  });
  deepStrictEqual(
    [failed.health.state, failed.health.detail, failed.health.unreadable],
    ["unknown", "podman ps failed: Error: database is locked", true],
  );
  const other = host(units);
  const [elsewhere] = await readServiceStatus("user", [service], {
    runner: other.runner,
    podman: false,
  });
  deepStrictEqual(
    [elsewhere.health.state, elsewhere.health.unreadable],
    ["unknown", false],
  );
  deepStrictEqual(other.calls.map((c) => c.split(" ")[0]), [
    "systemctl",
    "systemctl",
  ]);
});

Deno.test("readServiceStatus() runs nothing for no service", async () => {
  const { runner, calls } = host({});
  deepStrictEqual(await readServiceStatus("user", [], { runner }), []);
  deepStrictEqual(calls, []);
});

Deno.test("readServiceStatus() uses a podman ps already under way, and its failure as its own", async () => {
  const { runner, calls } = host({
    "probe-ok.service": { active: "active", sub: "running" },
  });
  const service = {
    service: "probe-ok.service",
    check: podmanCheck("probe-ok.container"),
  };
  const [ok] = await readServiceStatus("user", [service], {
    runner,
    containers: Promise.resolve(
      parsePodmanPs(PS),
    ),
  });
  strictEqual(ok.health.state, "healthy");
  deepStrictEqual(calls.map((c) => c.split(" ").slice(0, 2).join(" ")), [
    "systemctl list-units",
  ]);
  const [failed] = await readServiceStatus("user", [service], {
    runner,
    containers: Promise.reject(
      new CommandError("podman", ["ps"], 125, "Error: no such runtime\n"),
    ),
  });
  strictEqual(failed.health.detail, "podman ps failed: Error: no such runtime");
  // With no service, one under way is waited for and its failure ignored.
  deepStrictEqual(
    await readServiceStatus("user", [], {
      runner,
      containers: Promise.reject(new CommandError("podman", ["ps"], 1, "")),
    }),
    [],
  );
});

Deno.test("readServiceStatus() resolves %i per instance and shows a URL without its credentials", async () => {
  const fetched: string[] = [];
  const fetch = (url: string | URL | Request) => {
    fetched.push(String(url));
    return Promise.resolve(new Response(null, { status: 500 }));
  };
  const { runner } = host({
    "worker@81.service": { active: "active", sub: "running" },
    "web.service": { active: "active", sub: "running" },
  });
  const statuses = await readServiceStatus("user", [
    {
      service: "worker@81.service",
      check: {
        type: "http",
        url: "http://127.0.0.1:80%i/%p",
        file: "worker@.container",
        line: 4,
      },
    },
    {
      service: "web.service",
      check: {
        type: "http",
        url: "http://admin:hunter2SECRET@127.0.0.1:23109/",
        file: "web.container",
        line: 4,
      },
    },
  ], { runner, fetch: fetch as typeof globalThis.fetch, retries: 0 });
  deepStrictEqual(statuses.map((s) => s.health.url), [
    "http://127.0.0.1:8081/worker",
    "http://127.0.0.1:23109/",
  ]);
  strictEqual(JSON.stringify(statuses).includes("hunter2SECRET"), false);
  deepStrictEqual(fetched.sort(), [
    "http://127.0.0.1:8081/worker",
    "http://admin:hunter2SECRET@127.0.0.1:23109/",
  ]);
});

Deno.test("readServiceStatus() lists ports by host port, then container port, as numbers", async () => {
  const units = { "web.service": { active: "active", sub: "running" } };
  const [web] = await readServiceStatus("user", [{
    service: "web.service",
    check: null,
    image: "localhost/web:1",
    ports: [
      "23102->80/tcp",
      "127.0.0.1:9000->9000/tcp",
      "23101->443/tcp",
      "23101->80/udp",
    ],
  }], { runner: host(units).runner });
  deepStrictEqual(web.ports, [
    "127.0.0.1:9000->9000/tcp",
    "23101->80/udp",
    "23101->443/tcp",
    "23102->80/tcp",
  ]);
});
