import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { findNameConflicts } from "./find_name_conflicts.ts";
import { makeQuadlet } from "../testing/make_quadlet.ts";
import type { HostSnapshot, InstalledQuadlet } from "./types.ts";

function host(overrides: Partial<HostSnapshot> = {}): HostSnapshot {
  return { installed: [], listening: [], volumes: [], ...overrides };
}

function codes(findings: { code: string }[]): string[] {
  return findings.map((f) => f.code);
}

Deno.test("findNameConflicts() reports a service name an installed unit already has", () => {
  const installed: InstalledQuadlet[] = [{
    deployment: "blog",
    quadlet: makeQuadlet("web.container"),
  }];
  const findings = findNameConflicts(
    [makeQuadlet("web.container")],
    host({ installed }),
    { deployment: "shop" },
  );
  deepStrictEqual(findings, [{
    code: "ERR_NAME_CONFLICT",
    message:
      'Cannot install "web.container": service "web.service" already comes from "web.container" (deployment "blog")',
    file: "web.container",
    remedy:
      "Rename web.container or set ServiceName= in it, or remove the other deployment with `leger deploy remove blog`",
  }]);
});

Deno.test("findNameConflicts() reports a resource name of the same kind an installed unit uses", async (t) => {
  const cases = [
    {
      name: "container",
      mine: makeQuadlet("a.container", { resourceName: "web" }),
      theirs: makeQuadlet("b.container", { resourceName: "web" }),
      code: "ERR_NAME_CONFLICT",
    },
    {
      name: "network",
      mine: makeQuadlet("a.network", { resourceName: "llm" }),
      theirs: makeQuadlet("b.network", { resourceName: "llm" }),
      code: "ERR_NAME_CONFLICT",
    },
    {
      name: "pod",
      mine: makeQuadlet("a.pod", { resourceName: "p" }),
      theirs: makeQuadlet("b.pod", { resourceName: "p" }),
      code: "ERR_NAME_CONFLICT",
    },
    {
      name: "volume",
      mine: makeQuadlet("a.volume", { resourceName: "data" }),
      theirs: makeQuadlet("b.volume", { resourceName: "data" }),
      code: "ERR_VOLUME_CONFLICT",
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      const findings = findNameConflicts(
        [c.mine],
        host({ installed: [{ quadlet: c.theirs }] }),
      );
      deepStrictEqual(codes(findings), [c.code]);
      strictEqual(
        findings[0].message.includes("(installed outside leger)"),
        true,
      );
    });
  }
});

Deno.test("findNameConflicts() ignores equal names of different kinds", () => {
  const findings = findNameConflicts(
    [makeQuadlet("a.network", { resourceName: "x" })],
    host({
      installed: [{ quadlet: makeQuadlet("b.volume", { resourceName: "x" }) }],
    }),
  );
  deepStrictEqual(findings, []);
});

Deno.test("findNameConflicts() ignores the deployment's own installed units", () => {
  const installed: InstalledQuadlet[] = [
    { deployment: "shop", quadlet: makeQuadlet("web.container") },
    { deployment: "shop", quadlet: makeQuadlet("data.volume") },
  ];
  const findings = findNameConflicts(
    [makeQuadlet("web.container"), makeQuadlet("data.volume")],
    host({ installed, volumes: ["systemd-data"], containers: ["systemd-web"] }),
    { deployment: "shop" },
  );
  deepStrictEqual(findings, []);
});

Deno.test("findNameConflicts() reports an existing volume the deployment does not own", async (t) => {
  const cases = [
    {
      name: "fresh install",
      installed: [],
      owned: [],
      expected: ["ERR_VOLUME_CONFLICT"],
    },
    {
      name: "owned by a kept record",
      installed: [],
      owned: ["systemd-data"],
      expected: [],
    },
    {
      name: "created by our installed unit",
      installed: [{ deployment: "shop", quadlet: makeQuadlet("data.volume") }],
      owned: [],
      expected: [],
    },
    {
      name: "created by another deployment's unit (reported once)",
      installed: [{ deployment: "blog", quadlet: makeQuadlet("data.volume") }],
      owned: [],
      expected: ["ERR_NAME_CONFLICT"],
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      const findings = findNameConflicts(
        [makeQuadlet("data.volume")],
        host({
          installed: c.installed,
          volumes: ["systemd-data", "unrelated"],
        }),
        { deployment: "shop", ownedVolumes: c.owned },
      );
      deepStrictEqual(codes(findings), c.expected);
    });
  }
});

Deno.test("findNameConflicts() explains the volume conflict and its remedy", () => {
  const [finding] = findNameConflicts(
    [makeQuadlet("data.volume")],
    host({ volumes: ["systemd-data"] }),
    { deployment: "shop" },
  );
  deepStrictEqual(finding, {
    code: "ERR_VOLUME_CONFLICT",
    message:
      'Cannot create volume "systemd-data" for "data.volume": a volume of that name already exists and does not belong to deployment "shop"',
    file: "data.volume",
    remedy:
      "Set VolumeName= in data.volume to a free name, or remove the old volume with `podman volume rm systemd-data` (this deletes its data)",
  });
});

Deno.test("findNameConflicts() reports a container or network made by hand", () => {
  const findings = findNameConflicts(
    [
      makeQuadlet("web.container"),
      makeQuadlet("llm.network", { resourceName: "llm" }),
    ],
    host({ containers: ["systemd-web"], networks: ["llm", "podman"] }),
  );
  deepStrictEqual(findings.map((f) => f.message), [
    'Cannot install "web.container": a container named "systemd-web" already exists and no installed unit creates it (Podman would replace it)',
    'Cannot install "llm.network": a network named "llm" already exists and no installed unit creates it (Podman would reuse it as it is)',
  ]);
});

Deno.test("findNameConflicts() skips names that hold a systemd specifier", () => {
  const template = makeQuadlet("app@.container", {
    serviceName: "app@.service",
    resourceName: "systemd-app-%i",
  });
  const findings = findNameConflicts(
    [template],
    host({
      installed: [{
        quadlet: makeQuadlet("b@.container", {
          resourceName: "systemd-app-%i",
        }),
      }],
    }),
  );
  deepStrictEqual(findings, []);
});

Deno.test("findNameConflicts() compares the default instance of a template with other services", async (t) => {
  const cases = [
    {
      name: "a default instance that an installed instance file runs",
      mine: makeQuadlet("worker@.container", { defaultInstance: "two" }),
      theirs: makeQuadlet("worker@two.container"),
      service: "worker@two.service",
    },
    {
      name:
        "an instance file that an installed template's default instance runs",
      mine: makeQuadlet("worker@one.container"),
      theirs: makeQuadlet("worker@.container", { defaultInstance: "one" }),
      service: "worker@one.service",
    },
    {
      name: "two default instances",
      mine: makeQuadlet("x@.container", {
        defaultInstance: "a",
        serviceName: "worker@.service",
      }),
      theirs: makeQuadlet("worker@.container", { defaultInstance: "a" }),
      service: "worker@.service",
    },
    {
      name: "other instances",
      mine: makeQuadlet("worker@.container", { defaultInstance: "one" }),
      theirs: makeQuadlet("worker@two.container"),
      service: null,
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      const findings = findNameConflicts(
        [c.mine],
        host({ installed: [{ deployment: "blog", quadlet: c.theirs }] }),
        { deployment: "shop" },
      );
      deepStrictEqual(
        findings.map((f) => f.message),
        c.service === null ? [] : [
          `Cannot install "${c.mine.file}": service "${c.service}" already comes from "${c.theirs.file}" (deployment "blog")`,
        ],
      );
    });
  }
});
