import { deepStrictEqual, strictEqual, throws } from "node:assert/strict";
import { fakeRunner } from "./fake_runner.ts";
import {
  formatContainerPort,
  listPodmanContainers,
  parsePodmanPs,
} from "./podman_ps.ts";

const REAL = await Deno.readTextFile(
  new URL("./testdata/podman_ps_health.out", import.meta.url),
);

Deno.test("parsePodmanPs() reads Podman 5.8's real output: unit, state, health, image, ports, start", () => {
  const containers = parsePodmanPs(REAL);
  deepStrictEqual(
    containers.map((c) => [c.names[0], c.unit, c.state, c.health]),
    [
      ["systemd-probe-bad", "probe-bad.service", "running", "unhealthy"],
      ["systemd-probe-ok", "probe-ok.service", "running", "healthy"],
      ["probe-exited", null, "exited", null],
      ["systemd-probe-slow", "probe-slow.service", "running", "starting"],
    ],
  );
  const ok = containers[1];
  strictEqual(ok.image, "localhost/bb:latest");
  deepStrictEqual(ok.ports.map(formatContainerPort), [
    "127.0.0.1:18555->8080/tcp",
  ]);
  strictEqual(ok.startedAt, "2026-11-30T18:41:49.000Z");
  strictEqual(ok.isInfra, false);
  deepStrictEqual(containers[0].ports, []);
});

Deno.test("parsePodmanPs() reads an empty list, nothing and null as no container", () => {
  for (const stdout of ["[]", "", "null\n"]) {
    deepStrictEqual(parsePodmanPs(stdout), []);
  }
});

Deno.test("parsePodmanPs() refuses what is not Podman's list", () => {
  for (
    const [stdout, message] of [
      ["{", /it is not JSON/],
      ['{"Id":"x"}', /expected a JSON list/],
      ["[1]", /entry 0 is not an object/],
      ['[{"Names":["a"]}]', /entry 0 has no "Id"/],
    ] as const
  ) {
    throws(() => parsePodmanPs(stdout), { name: "SyntaxError", message });
  }
});

Deno.test("listPodmanContainers() runs one podman ps --all --format json", async () => {
  const runner = fakeRunner([{
    bin: "podman",
    args: ["ps", "--all", "--format", "json"],
    result: { stdout: REAL },
  }]);
  strictEqual((await listPodmanContainers({ runner })).length, 4);
  runner.assertAllCalled();
});

Deno.test("formatContainerPort() writes ranges and every address as podman ps does", () => {
  strictEqual(
    formatContainerPort({
      hostIp: "",
      hostPort: 9000,
      containerPort: 9000,
      range: 2,
      protocol: "udp",
    }),
    "0.0.0.0:9000-9001->9000-9001/udp",
  );
});
