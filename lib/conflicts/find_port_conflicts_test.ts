import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { findPortConflicts } from "./find_port_conflicts.ts";
import { makePort, makeQuadlet } from "../testing/make_quadlet.ts";
import type { HostSnapshot } from "./types.ts";
import type { ListeningSocket } from "./parse_proc_net.ts";
import type { QuadletUnit } from "../quadlet/types.ts";

function web(...specs: string[]): QuadletUnit {
  return makeQuadlet("web.container", {
    ports: specs.map((spec, i) => makePort("web.container", 10 + i, spec)),
  });
}

function host(overrides: Partial<HostSnapshot> = {}): HostSnapshot {
  return { installed: [], listening: [], volumes: [], ...overrides };
}

function tcp(address: string, port: number): ListeningSocket {
  return { protocol: "tcp", address, port };
}

Deno.test("findPortConflicts() reports a port already listened on", async (t) => {
  const cases: {
    name: string;
    spec: string;
    listening: ListeningSocket[];
    conflict: boolean;
  }[] = [
    {
      name: "same port, all addresses",
      spec: "8080:80",
      listening: [tcp("127.0.0.1", 8080)],
      conflict: true,
    },
    {
      name: "other port",
      spec: "8080:80",
      listening: [tcp("127.0.0.1", 8081)],
      conflict: false,
    },
    {
      name: "other protocol",
      spec: "8080:80/udp",
      listening: [tcp("0.0.0.0", 8080)],
      conflict: false,
    },
    {
      name: "specific vs wildcard",
      spec: "127.0.0.1:8080:80",
      listening: [tcp("0.0.0.0", 8080)],
      conflict: true,
    },
    {
      name: "different specific",
      spec: "127.0.0.1:8080:80",
      listening: [tcp("10.0.0.1", 8080)],
      conflict: false,
    },
    {
      name: "v4 vs dual-stack ::",
      spec: "127.0.0.1:8080:80",
      listening: [tcp("::", 8080)],
      conflict: true,
    },
    {
      name: "v4 wildcard vs ::1",
      spec: "0.0.0.0:8080:80",
      listening: [tcp("::1", 8080)],
      conflict: false,
    },
    {
      name: "inside a range",
      spec: "8000-8010:8000-8010",
      listening: [tcp("0.0.0.0", 8005)],
      conflict: true,
    },
    {
      name: "no host port",
      spec: "127.0.0.1::80",
      listening: [tcp("0.0.0.0", 80)],
      conflict: false,
    },
    {
      name: "specifier host port",
      spec: "%i:80",
      listening: [tcp("0.0.0.0", 80)],
      conflict: false,
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      const findings = findPortConflicts(
        [web(c.spec)],
        host({ listening: c.listening }),
      );
      strictEqual(findings.length, c.conflict ? 1 : 0);
    });
  }
});

Deno.test("findPortConflicts() names the address and points at the line", () => {
  const findings = findPortConflicts(
    [web("3000:8080")],
    host({ listening: [tcp("::1", 3000), tcp("127.0.0.1", 3000)] }),
  );
  deepStrictEqual(findings, [{
    code: "ERR_PORT_CONFLICT",
    message:
      'Cannot publish host port 3000/tcp from "web.container": a program already listens on [::1]:3000, 127.0.0.1:3000',
    file: "web.container",
    line: 10,
    remedy:
      "Change PublishPort= in web.container, or stop the program (`ss -ltnp 'sport = :3000'` shows it)",
  }]);
});

Deno.test("findPortConflicts() names the unit and deployment that already publish the port", () => {
  const metabase = makeQuadlet("metabase.container", {
    ports: [makePort("metabase.container", 4, "3000:3000")],
  });
  const findings = findPortConflicts(
    [web("3000:8080")],
    host({
      installed: [{ deployment: "bi", quadlet: metabase }],
      // metabase's own forwarder listens there: reported once, through the unit
      listening: [tcp("0.0.0.0", 3000)],
    }),
    { deployment: "monitoring" },
  );
  deepStrictEqual(findings, [{
    code: "ERR_PORT_CONFLICT",
    message:
      'Cannot publish host port 3000/tcp from "web.container": it is already published by "metabase.container" (deployment "bi")',
    file: "web.container",
    line: 10,
    remedy:
      "Change PublishPort= in web.container, or remove the other deployment with `leger deploy remove bi`",
  }]);
});

Deno.test("findPortConflicts() says when the other unit was installed outside leger", () => {
  const other = makeQuadlet("other.container", {
    ports: [makePort("other.container", 4, "3000:3000")],
  });
  const [finding] = findPortConflicts(
    [web("3000:8080")],
    host({ installed: [{ quadlet: other }] }),
  );
  strictEqual(finding.message.endsWith("(installed outside leger)"), true);
  strictEqual(
    finding.remedy,
    'Change PublishPort= in web.container, or remove "other.container" from the quadlet folder',
  );
});

Deno.test("findPortConflicts() ignores the deployment's own installed units and their sockets", () => {
  const previous = web("3000:8080");
  const findings = findPortConflicts(
    [web("3000:8080")],
    host({
      installed: [{ deployment: "monitoring", quadlet: previous }],
      listening: [tcp("0.0.0.0", 3000), tcp("::", 3000)],
    }),
    { deployment: "monitoring" },
  );
  deepStrictEqual(findings, []);
});

Deno.test("findPortConflicts() reports a host port published twice within the deployment", () => {
  const a = makeQuadlet("a.container", {
    ports: [makePort("a.container", 5, "443:443")],
  });
  const b = makeQuadlet("b.container", {
    ports: [
      makePort("b.container", 6, "443:8443"),
      makePort("b.container", 7, "443:443/udp"),
    ],
  });
  const findings = findPortConflicts([a, b], host());
  deepStrictEqual(findings.map((f) => [f.file, f.line, f.message]), [[
    "b.container",
    6,
    'Cannot publish host port 443/tcp from "b.container": "a.container" of the same deployment publishes it too',
  ]]);
});

Deno.test("findPortConflicts() reports two lines of one unit that publish the same port", () => {
  const findings = findPortConflicts(
    [web("8080:80", "0.0.0.0:8080:81")],
    host(),
  );
  deepStrictEqual(findings.map((f) => f.message), [
    'Cannot publish host port 8080/tcp from "web.container": line 10 publishes it too',
  ]);
});

Deno.test("findPortConflicts() says how many more sockets hold a range", () => {
  const listening = [8000, 8001, 8002, 8003, 8004].map((p) =>
    tcp("0.0.0.0", p)
  );
  const [finding] = findPortConflicts(
    [web("8000-8010:8000-8010")],
    host({ listening }),
  );
  strictEqual(
    finding.message,
    'Cannot publish host ports 8000-8010/tcp from "web.container": a program already listens on 0.0.0.0:8000, 0.0.0.0:8001, 0.0.0.0:8002 and 2 more',
  );
});

Deno.test("findPortConflicts() suggests ss -lunp for a UDP port", () => {
  const [finding] = findPortConflicts(
    [web("53:53/udp")],
    host({ listening: [{ protocol: "udp", address: "127.0.0.53", port: 53 }] }),
  );
  strictEqual(finding.remedy?.includes("`ss -lunp 'sport = :53'`"), true);
});

Deno.test("findPortConflicts() counts a template's ports only when it starts a default instance", async (t) => {
  const ports = (file: string) => [makePort(file, 3, "8080:80")];
  const template = (overrides: Partial<QuadletUnit> = {}) =>
    makeQuadlet("worker@.container", {
      ports: ports("worker@.container"),
      ...overrides,
    });
  // An instance symlink has the template's text, and so its ports.
  const instance = makeQuadlet("worker@two.container", {
    ports: ports("worker@two.container"),
  });
  const cases: {
    name: string;
    units: QuadletUnit[];
    installed?: QuadletUnit[];
    expected: string[];
  }[] = [
    {
      name: "a template and its instance symlink",
      units: [template(), instance],
      expected: [],
    },
    {
      name: "a template alone",
      units: [template()],
      installed: [
        makeQuadlet("web.container", { ports: ports("web.container") }),
      ],
      expected: [],
    },
    {
      name: "a template with DefaultInstance= and an instance: both run",
      units: [template({ defaultInstance: "one" }), instance],
      expected: [
        'Cannot publish host port 8080/tcp from "worker@two.container": "worker@.container" of the same deployment publishes it too',
      ],
    },
    {
      name: "an installed template without instance takes no port",
      units: [makeQuadlet("web.container", { ports: ports("web.container") })],
      installed: [template()],
      expected: [],
    },
    {
      name: "an installed instance file does",
      units: [makeQuadlet("web.container", { ports: ports("web.container") })],
      installed: [instance],
      expected: [
        'Cannot publish host port 8080/tcp from "web.container": it is already published by "worker@two.container" (deployment "other")',
      ],
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      const findings = findPortConflicts(
        c.units,
        host({
          installed: (c.installed ?? []).map((quadlet) => ({
            deployment: "other",
            quadlet,
          })),
        }),
        { deployment: "mine" },
      );
      deepStrictEqual(findings.map((f) => f.message), c.expected);
    });
  }
});
