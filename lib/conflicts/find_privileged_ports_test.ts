import { deepStrictEqual, match, strictEqual } from "node:assert/strict";
import { findPrivilegedPorts } from "./find_privileged_ports.ts";
import { findConflicts } from "./find_conflicts.ts";
import { parseUnit } from "../unit/parse_unit.ts";
import { toQuadletUnit } from "../quadlet/to_quadlet_unit.ts";
import type { HostSnapshot } from "./types.ts";

function web(ports: string[]) {
  return toQuadletUnit(parseUnit(
    `[Container]\nImage=busybox\n${
      ports.map((p) => `PublishPort=${p}\n`).join("")
    }`,
    { file: "web.container" },
  ));
}

function host(limit?: number): HostSnapshot {
  return {
    installed: [],
    listening: [],
    volumes: [],
    ...(limit === undefined ? {} : { unprivilegedPortStart: limit }),
  };
}

Deno.test("findPrivilegedPorts() refuses host ports below the unprivileged port start", async (t) => {
  const cases: { name: string; port: string; limit: number; shown: string }[] =
    [
      { name: "port 80", port: "80:80", limit: 1024, shown: "80" },
      {
        name: "with an address",
        port: "127.0.0.1:443:443",
        limit: 1024,
        shown: "443",
      },
      { name: "just below", port: "1023:80", limit: 1024, shown: "1023" },
      {
        name: "a range reaching below",
        port: "1000-1030:1000-1030",
        limit: 1024,
        shown: "1000-1030",
      },
      { name: "a raised limit", port: "2000:80", limit: 3000, shown: "2000" },
      { name: "IPv6", port: "[::1]:22:22/udp", limit: 1024, shown: "22" },
    ];
  for (const c of cases) {
    await t.step(c.name, () => {
      const findings = findPrivilegedPorts([web([c.port])], host(c.limit));
      strictEqual(findings.length, 1, JSON.stringify(findings));
      const [f] = findings;
      strictEqual(f.code, "ERR_PORT_PRIVILEGED");
      strictEqual(f.severity, undefined);
      strictEqual(f.file, "web.container");
      strictEqual(f.line, 3);
      match(
        f.message,
        new RegExp(
          `^Cannot publish host port ${c.shown} of PublishPort=.* in the user scope: .*only ports from ${c.limit} \\(/proc/sys/net/ipv4/ip_unprivileged_port_start\\)`,
        ),
      );
      match(
        f.remedy!,
        new RegExp(
          `host port of ${c.limit} or above in PublishPort= at web\\.container:3`,
        ),
      );
      match(f.remedy!, /sysctl net\.ipv4\.ip_unprivileged_port_start=\d+/);
      match(f.remedy!, /system scope/);
    });
  }
});

Deno.test("findPrivilegedPorts() passes ports at or above the limit, ports Podman picks, and hosts without a limit", () => {
  const unit = web([
    "1024:80",
    "8080:80",
    "::80",
    "80",
    "127.0.0.1::80",
    "${P}:80",
  ]);
  deepStrictEqual(findPrivilegedPorts([unit], host(1024)), []);
  // The system scope, or a kernel without the file: readHost leaves it out.
  deepStrictEqual(findPrivilegedPorts([web(["80:80"])], host()), []);
  deepStrictEqual(findPrivilegedPorts([web(["80:80"])], host(0)), []);
});

Deno.test("findConflicts() includes ports below the limit", () => {
  deepStrictEqual(
    findConflicts([web(["80:80"])], host(1024)).map((f) => f.code),
    ["ERR_PORT_PRIVILEGED"],
  );
});
