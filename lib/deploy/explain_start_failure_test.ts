import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { CommandError } from "../adapters/command_error.ts";
import type { UnitState } from "../adapters/systemctl.ts";
import {
  explainStartFailure,
  type StartFailureHost,
} from "./explain_start_failure.ts";

interface FakeUnit {
  state?: "active" | "failed" | "inactive";
  requires?: string[];
  journal?: string[];
}

/** A host of units with states, requirements and journals; what it was asked, in `asked`. */
function host(
  units: Record<string, FakeUnit>,
  failing: { journal?: boolean; dependencies?: boolean } = {},
): StartFailureHost & { asked: string[] } {
  const asked: string[] = [];
  const stateOf = (id: string): UnitState => {
    const state = units[id]?.state ?? "inactive";
    return {
      id,
      loadState: units[id] === undefined ? "not-found" : "loaded",
      activeState: state,
      subState: state === "failed"
        ? "failed"
        : state === "active"
        ? "running"
        : "dead",
      result: state === "failed" ? "exit-code" : "success",
    };
  };
  return {
    asked,
    states(services) {
      asked.push(`states ${services.join(" ")}`);
      return Promise.resolve(services.map(stateOf));
    },
    dependencies(service) {
      asked.push(`dependencies ${service}`);
      if (failing.dependencies) {
        return Promise.reject(
          new CommandError("systemctl", ["show"], 1, "Failed to connect"),
        );
      }
      return Promise.resolve(units[service]?.requires ?? []);
    },
    journalTail(service, lines) {
      asked.push(`journal ${service} ${lines}`);
      if (failing.journal) {
        return Promise.reject(
          new CommandError("journalctl", ["-u", service], 1, "No journal"),
        );
      }
      return Promise.resolve((units[service]?.journal ?? []).slice(-lines));
    },
    journalCommand: (service) => `journalctl --user -u ${service}`,
  };
}

Deno.test("explainStartFailure() gives each cause in a journal its own code", async (t) => {
  const cases: {
    name: string;
    journal: string[];
    code: string;
    message: string;
  }[] = [
    {
      name: "a missing secret",
      journal: [
        'Error: no secret with name or id "db_password": no such secret',
        "api.service: Main process exited, code=exited, status=125/n/a",
      ],
      code: "ERR_SECRET_MISSING",
      message: 'Cannot start "api.service": Podman has no secret "db_password"',
    },
    {
      name: "a secret not found",
      journal: ["Error: secret api_key not found"],
      code: "ERR_SECRET_MISSING",
      message: 'Cannot start "api.service": Podman has no secret "api_key"',
    },
    {
      name: "a port taken, rootless",
      journal: [
        "Error: rootlessport listen tcp 0.0.0.0:8080: bind: address already in use",
      ],
      code: "ERR_PORT_CONFLICT",
      message: 'Cannot start "api.service": host port 8080 is already in use',
    },
    {
      name: "a port taken, as root",
      journal: [
        "Error: cannot listen on the TCP port: listen tcp4 :18080: bind: address already in use",
      ],
      code: "ERR_PORT_CONFLICT",
      message: 'Cannot start "api.service": host port 18080 is already in use',
    },
    {
      name: "a port taken on IPv6",
      journal: ["listen tcp [::]:9090: bind: address already in use"],
      code: "ERR_PORT_CONFLICT",
      message: 'Cannot start "api.service": host port 9090 is already in use',
    },
    {
      name: "a port taken, no number",
      journal: ["Error: address already in use"],
      code: "ERR_PORT_CONFLICT",
      message:
        'Cannot start "api.service": a host port it publishes is already in use',
    },
    {
      name: "an image that does not exist",
      journal: [
        "Trying to pull docker.io/library/nosuch:latest...",
        "Error: initializing source docker://nosuch:latest: reading manifest latest in docker.io/library/nosuch: requested access to the resource is denied",
      ],
      code: "ERR_IMAGE_PULL_FAILED",
      message:
        'Cannot start "api.service": image "docker.io/library/nosuch:latest" cannot be pulled',
    },
    {
      name: "a tag that does not exist",
      journal: [
        "Error: reading manifest 9.9 in quay.io/org/app: manifest unknown",
      ],
      code: "ERR_IMAGE_PULL_FAILED",
      message: 'Cannot start "api.service": its image cannot be pulled',
    },
    {
      name: "a repository name unknown",
      journal: ["Error: unable to pull quay.io/org/nosuch: name unknown"],
      code: "ERR_IMAGE_PULL_FAILED",
      message:
        'Cannot start "api.service": image "quay.io/org/nosuch" cannot be pulled',
    },
    {
      name: "an image Podman cannot find",
      journal: ["Error: localhost/app:dev: image not known"],
      code: "ERR_IMAGE_PULL_FAILED",
      message: 'Cannot start "api.service": its image cannot be pulled',
    },
    {
      name: "a pull that worked, then the program failed",
      journal: [
        "Trying to pull docker.io/library/busybox:latest...",
        "Writing manifest to image destination",
        "panic: cannot open /data/db",
      ],
      code: "ERR_SERVICE_START_FAILED",
      message: 'Cannot start "api.service": it is failed (failed, exit-code)',
    },
    {
      name: "a privileged port is no conflict",
      journal: [
        "Error: rootlessport cannot expose privileged port 80, you can add 'net.ipv4.ip_unprivileged_port_start=80' to /etc/sysctl.conf (currently 1024), or choose a larger port number (>= 1024): listen tcp 0.0.0.0:80: bind: permission denied",
      ],
      code: "ERR_SERVICE_START_FAILED",
      message: 'Cannot start "api.service": it is failed (failed, exit-code)',
    },
    {
      name: "a subnet in use",
      journal: [
        "Error: subnet 10.89.0.0/24 is already used on the host or by another config",
      ],
      code: "ERR_SERVICE_START_FAILED",
      message:
        'Cannot start "api.service": its subnet is already in use (failed, exit-code)',
    },
    {
      name: "nothing in the journal",
      journal: [],
      code: "ERR_SERVICE_START_FAILED",
      message: 'Cannot start "api.service": it is failed (failed, exit-code)',
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      const error = await explainStartFailure(
        "api.service",
        host({ "api.service": { state: "failed", journal: c.journal } }),
      );
      deepStrictEqual([error.code, error.message], [c.code, c.message]);
      deepStrictEqual(
        error.details,
        c.journal.length === 0
          ? []
          : ["last journal lines:", ...c.journal.map((l) => `  ${l}`)],
      );
    });
  }
});

Deno.test("explainStartFailure() says the fix and always how to read the whole log", async (t) => {
  const cases: { name: string; journal: string[]; remedy: string }[] = [
    {
      name: "secret",
      journal: [
        'Error: no secret with name or id "db_password": no such secret',
      ],
      remedy:
        "Add it to leger.run with `leger secrets set db_password`, then install again. Read the whole log with `journalctl --user -u api.service`",
    },
    {
      name: "a secret whose name leger.run cannot hold",
      journal: ['Error: no secret with name or id "db.pass": no such secret'],
      remedy:
        "Create it in Podman with `podman secret create db.pass -` (type the value, then Ctrl-D) or `podman secret create db.pass FILE`, then install again. Read the whole log with `journalctl --user -u api.service`",
    },
    {
      name: "port",
      journal: [
        "Error: rootlessport listen tcp 0.0.0.0:8080: bind: address already in use",
      ],
      remedy:
        "Change PublishPort= of its unit, or stop the program that holds the port (`ss -ltnp 'sport = :8080'` shows it), then install again. Read the whole log with `journalctl --user -u api.service`",
    },
    {
      name: "image",
      journal: ["Error: unable to pull quay.io/org/nosuch: name unknown"],
      remedy:
        "Check Image= (name, tag, registry; `podman login` for a private one) and try `podman pull quay.io/org/nosuch`, then install again. Read the whole log with `journalctl --user -u api.service`",
    },
    {
      name: "anything else",
      journal: ["panic"],
      remedy:
        "Read the whole log with `journalctl --user -u api.service`, fix the unit and install again",
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      const error = await explainStartFailure(
        "api.service",
        host({ "api.service": { state: "failed", journal: c.journal } }),
      );
      strictEqual(error.remedy, c.remedy);
    });
  }
  await t.step("with a preface and another retry", async () => {
    const error = await explainStartFailure(
      "api.service",
      host({ "api.service": { state: "failed" } }),
      { preface: "Everything was rolled back.", retry: "start it again" },
    );
    strictEqual(
      error.remedy,
      "Everything was rolled back. Read the whole log with `journalctl --user -u api.service`, fix the unit and start it again",
    );
  });
});

Deno.test("explainStartFailure() follows the requirements of a service to the unit that failed", async (t) => {
  const subnet =
    "Error: subnet 10.89.0.0/24 is already used on the host or by another config";
  const cases: {
    name: string;
    units: Record<string, FakeUnit>;
    failed: string;
    code: string;
  }[] = [
    {
      name: "a network whose subnet is taken (issue 9)",
      units: {
        "api.service": { requires: ["notes-network.service", "-.mount"] },
        "notes-network.service": { state: "failed", journal: [subnet] },
        "-.mount": { state: "active" },
      },
      failed: "notes-network.service",
      code: "ERR_SERVICE_START_FAILED",
    },
    {
      name: "through a service that only waited",
      units: {
        "api.service": { requires: ["db.service", "cache.service"] },
        "cache.service": { state: "active" },
        "db.service": { requires: ["db-data-volume.service"] },
        "db-data-volume.service": {
          state: "failed",
          journal: ['Error: no secret with name or id "pg": no such secret'],
        },
      },
      failed: "db-data-volume.service",
      code: "ERR_SECRET_MISSING",
    },
    {
      name: "a failed pod the container is bound to, behind its own failure",
      units: {
        "web.service": {
          state: "failed",
          requires: ["app-pod.service"],
          journal: ["stopped"],
        },
        "app-pod.service": {
          state: "failed",
          journal: [
            "Error: rootlessport listen tcp 0.0.0.0:80: bind: address already in use",
          ],
        },
      },
      failed: "app-pod.service",
      code: "ERR_PORT_CONFLICT",
    },
    {
      name: "the service itself when its requirements are up",
      units: {
        "api.service": {
          state: "failed",
          requires: ["notes-network.service"],
          journal: ["Error: manifest unknown"],
        },
        "notes-network.service": { state: "active" },
      },
      failed: "api.service",
      code: "ERR_IMAGE_PULL_FAILED",
    },
    {
      name: "requirements in a loop",
      units: {
        "a.service": { requires: ["b.service"] },
        "b.service": { requires: ["a.service"] },
      },
      failed: "a.service",
      code: "ERR_SERVICE_START_FAILED",
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      const service = Object.keys(c.units)[0];
      const error = await explainStartFailure(service, host(c.units));
      strictEqual(error.code, c.code);
      strictEqual(
        error.message.startsWith(`Cannot start "${c.failed}": `),
        true,
        error.message,
      );
      strictEqual(
        error.details.includes(`the service that needed it: ${service}`),
        c.failed !== service,
      );
      strictEqual(
        error.remedy?.includes(`\`journalctl --user -u ${c.failed}\``),
        true,
      );
    });
  }
});

Deno.test("explainStartFailure() stops at the depth given", async () => {
  const units: Record<string, FakeUnit> = {
    "a.service": { requires: ["b.service"] },
    "b.service": { requires: ["c.service"] },
    "c.service": { state: "failed" },
  };
  strictEqual(
    (await explainStartFailure("a.service", host(units), { depth: 1 }))
      .message,
    'Cannot start "a.service": it is inactive (dead)',
  );
  strictEqual(
    (await explainStartFailure("a.service", host(units), { depth: 2 }))
      .message,
    'Cannot start "c.service": it is failed (failed, exit-code)',
  );
});

Deno.test("explainStartFailure() explains what it can when the host cannot be read", async () => {
  const units: Record<string, FakeUnit> = {
    "api.service": { state: "failed", requires: ["x.service"] },
    "x.service": { state: "failed" },
  };
  const error = await explainStartFailure(
    "api.service",
    host(units, { journal: true, dependencies: true }),
  );
  strictEqual(error.code, "ERR_SERVICE_START_FAILED");
  strictEqual(
    error.message,
    'Cannot start "api.service": it is failed (failed, exit-code)',
  );
  deepStrictEqual(error.details, [
    'its journal cannot be read: Cannot run "journalctl -u api.service": it exited with code 1: No journal',
  ]);
});

Deno.test("explainStartFailure() reads the journal once, of the failed unit, with the lines asked", async () => {
  const ops = host({
    "api.service": { requires: ["n.service"] },
    "n.service": { state: "failed", journal: ["1", "2", "3"] },
  });
  const error = await explainStartFailure("api.service", ops, {
    journalLines: 2,
  });
  deepStrictEqual(ops.asked, [
    "states api.service",
    "dependencies api.service",
    "states n.service",
    "dependencies n.service",
    "journal n.service 2",
  ]);
  deepStrictEqual(error.details, [
    "the service that needed it: api.service",
    "last journal lines:",
    "  2",
    "  3",
  ]);
});

Deno.test("explainStartFailure() says a service in start-limit-hit is failed and gives `systemctl reset-failed` in the fix", async (t) => {
  for (const [scope, flag] of [["user", "--user "], ["system", ""]]) {
    await t.step(`${scope} scope`, async () => {
      const ops: StartFailureHost = {
        states: (units) =>
          Promise.resolve(units.map((id) => ({
            id,
            loadState: "loaded",
            activeState: "failed",
            subState: "failed",
            result: "start-limit-hit",
          }))),
        dependencies: () => Promise.resolve([]),
        journalTail: () =>
          Promise.resolve(["ff1.service: Start request repeated too quickly."]),
        journalCommand: (unit) =>
          `journalctl ${scope === "user" ? "--user " : ""}-u ${unit}`,
      };
      const error = await explainStartFailure("ff1.service", ops, {
        retry: "run `leger service start ff1` again",
      });
      strictEqual(error.code, "ERR_SERVICE_START_FAILED");
      strictEqual(
        error.message,
        'Cannot start "ff1.service": it failed too often in a row, and systemd no longer starts it (failed, start-limit-hit)',
      );
      strictEqual(
        error.remedy,
        `Fix the cause its journal gives, then run \`systemctl ${flag}reset-failed ff1.service\`, then run \`leger service start ff1\` again. Read the whole log with \`journalctl ${flag}-u ff1.service\``,
      );
    });
  }
});

Deno.test("explainStartFailure() shows, for a service in start-limit-hit, the journal lines before systemd's restart loop", async () => {
  // As the e2e host's journal shows Miniflux's loop, its cause first.
  const journal = [
    "Nov 30 22:13:02 host systemd[71]: Starting miniflux.service - Miniflux...",
    "Nov 30 22:13:02 host miniflux[1025]: Error: crun: open `memory.max` for writing: No such file or directory",
    "Nov 30 22:13:02 host systemd[71]: miniflux.service: Main process exited, code=exited, status=127/n/a",
    "Nov 30 22:13:02 host systemd[71]: miniflux.service: Failed to read pids.max for control group /user.slice/x, ignoring: No data available",
    "Nov 30 22:13:02 host systemd[71]: miniflux.service: Failed with result 'exit-code'.",
    "Nov 30 22:13:02 host systemd[71]: Failed to start miniflux.service - Miniflux.",
    "Nov 30 22:13:02 host systemd[71]: miniflux.service: Scheduled restart job, restart counter is at 5.",
    "Nov 30 22:13:02 host systemd[71]: miniflux.service: Start request repeated too quickly.",
    "Nov 30 22:13:02 host systemd[71]: miniflux.service: Failed with result 'start-limit-hit'.",
    "Nov 30 22:13:02 host systemd[71]: Failed to start miniflux.service - Miniflux.",
  ];
  const asked: number[] = [];
  const ops: StartFailureHost = {
    states: (units) =>
      Promise.resolve(units.map((id) => ({
        id,
        loadState: "loaded",
        activeState: "failed",
        subState: "failed",
        result: "start-limit-hit",
      }))),
    dependencies: () => Promise.resolve([]),
    journalTail: (_unit, lines) => {
      asked.push(lines);
      return Promise.resolve(journal.slice(-lines));
    },
    journalCommand: (unit) => `journalctl --user -u ${unit}`,
  };
  const error = await explainStartFailure("miniflux.service", ops, {
    journalLines: 3,
  });
  deepStrictEqual(asked, [15]);
  deepStrictEqual(error.details, [
    "last journal lines:",
    `  ${journal[1]}`,
  ]);
});
