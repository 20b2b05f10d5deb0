import { deepStrictEqual } from "node:assert/strict";
import { findConflicts } from "./find_conflicts.ts";
import { makePort, makeQuadlet } from "../testing/make_quadlet.ts";

Deno.test("findConflicts() returns port findings, then name findings", () => {
  const web = makeQuadlet("web.container", {
    ports: [makePort("web.container", 3, "80:80")],
  });
  const findings = findConflicts([web, makeQuadlet("data.volume")], {
    installed: [],
    listening: [{ protocol: "tcp", address: "0.0.0.0", port: 80 }],
    volumes: ["systemd-data"],
  });
  deepStrictEqual(findings.map((f) => f.code), [
    "ERR_PORT_CONFLICT",
    "ERR_VOLUME_CONFLICT",
  ]);
});

Deno.test("findConflicts() returns nothing when the host is empty", () => {
  deepStrictEqual(
    findConflicts([makeQuadlet("web.container")], {
      installed: [],
      listening: [],
      volumes: [],
    }),
    [],
  );
});
