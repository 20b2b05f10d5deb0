import { deepStrictEqual, match, strictEqual } from "node:assert/strict";
import type { PodmanContainer } from "../adapters/podman_ps.ts";
import type { PublishedPort } from "../quadlet/types.ts";
import { checkPorts, type PortFacts } from "./check_ports.ts";

function port(spec: string, line = 3, file = "web.container"): PublishedPort {
  const [hostPort, containerPort] = spec.split(":");
  const [, protocol = "tcp"] = containerPort.split("/");
  return {
    hostIp: null,
    hostPort,
    containerPort: containerPort.split("/")[0],
    protocol: protocol as PublishedPort["protocol"],
    spec,
    line,
    file,
  };
}

function container(
  unit: string | null,
  hostPort: number,
  state = "running",
): PodmanContainer {
  return {
    id: "4f1c2a9b8c7d6e5f",
    names: [
      unit === null ? "stray" : `systemd-${unit.replace(/\.service$/, "")}`,
    ],
    unit,
    state,
    health: null,
    image: "localhost/bb:latest",
    ports: [{
      hostIp: "",
      hostPort,
      containerPort: 8080,
      range: 1,
      protocol: "tcp",
    }],
    startedAt: null,
    isInfra: false,
  };
}

const FACTS: PortFacts = {
  deployment: "web",
  ports: [{ service: "web.service", port: port("18080:8080") }],
  // Podman's forwarder (rootless) or conmon (root) listens on the port.
  sockets: [{ protocol: "tcp", address: "::", port: 18080 }],
  containers: [container("web.service", 18080)],
};

Deno.test("checkPorts() passes a port held by the deployment's own running container, or free", () => {
  const own = checkPorts(FACTS);
  deepStrictEqual([own.status, own.title], [
    "pass",
    "web: ports 18080/tcp are free or its own",
  ]);
  strictEqual(
    checkPorts({ ...FACTS, sockets: [], containers: [] }).status,
    "pass",
  );
  // A UDP socket does not hold a TCP port, nor another address's.
  strictEqual(
    checkPorts({
      ...FACTS,
      ports: [{
        service: "web.service",
        port: { ...port("18080:8080"), hostIp: "127.0.0.1" },
      }],
      sockets: [
        { protocol: "udp", address: "0.0.0.0", port: 18080 },
        { protocol: "tcp", address: "10.0.0.5", port: 18080 },
      ],
      containers: [],
    }).status,
    "pass",
  );
});

Deno.test("checkPorts() fails a port another program holds, naming the port, the unit line and the deployment", () => {
  const check = checkPorts({
    ...FACTS,
    // The service is stopped: its container exited; something else listens.
    containers: [container("web.service", 18080, "exited")],
    sockets: [{ protocol: "tcp", address: "0.0.0.0", port: 18080 }],
  });
  strictEqual(check.status, "fail");
  strictEqual(check.id, "ports:web");
  strictEqual(check.title, "web: 1 of its ports is taken");
  strictEqual(
    check.detail,
    "Port 18080/tcp of web.container line 3 (PublishPort=18080:8080) is held by another process: web.service cannot start until it is free.",
  );
  deepStrictEqual(check.fix!.split("\n"), [
    "sudo ss -ltnp 'sport = :18080'   # which process holds it: stop it",
    "leger service restart web   # then, or publish it on another port (PublishPort=) and update the deployment",
  ]);
});

Deno.test("checkPorts() names another container that publishes the port, and reads ranges", () => {
  const check = checkPorts({
    ...FACTS,
    ports: [{ service: "web.service", port: port("18000-18010:8000-8010") }],
    sockets: [{ protocol: "tcp", address: "::", port: 18005 }],
    containers: [container(null, 18005)],
  });
  strictEqual(check.status, "fail");
  match(
    check.detail,
    /^Port 18000-18010\/tcp of web.container line 3 \(PublishPort=18000-18010:8000-8010\) is published by the container stray:/,
  );
  match(check.fix!, /^podman stop stray\n/);
  // Ports Podman picks, or leger cannot read, are not checked.
  const unfixed = checkPorts({
    ...FACTS,
    ports: [{
      service: "web.service",
      port: { ...port("x:8080"), hostPort: null },
    }],
  });
  deepStrictEqual([unfixed.status, unfixed.title], [
    "pass",
    "web publishes no fixed host port",
  ]);
});

Deno.test("checkPorts() warns when the sockets cannot be read", () => {
  const check = checkPorts({
    ...FACTS,
    sockets: new Error("Permission denied"),
  });
  strictEqual(check.status, "warn");
  match(check.detail, /Permission denied/);
});

Deno.test("checkPorts() lists ports in numerical order, whatever the units' order", () => {
  const check = checkPorts({
    deployment: "web",
    ports: ["23102:80", "9999:80/udp", "23101:80", "23103:80", "9999:80"].map(
      (spec) => ({ service: "web.service", port: port(spec) }),
    ),
    sockets: [],
    containers: [],
  });
  strictEqual(
    check.title,
    "web: ports 9999/tcp, 9999/udp, 23101/tcp, 23102/tcp, 23103/tcp are free or its own",
  );
});
