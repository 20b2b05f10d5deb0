import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
import { parseUnit } from "../unit/parse_unit.ts";
import type { UnitFile } from "../unit/types.ts";
import { parseNetwork } from "./parse_network.ts";
import type { NetworkRef } from "./types.ts";

const SIBLINGS = new Map<string, UnitFile>([
  [
    "service-name.network",
    parseUnit("[Network]\nNetworkName=test-network\n", {
      file: "service-name.network",
    }),
  ],
  [
    "name.container",
    parseUnit("[Container]\nContainerName=foobar\n", {
      file: "name.container",
    }),
  ],
  [
    "basic.container",
    parseUnit("[Container]\nImage=x\n", { file: "basic.container" }),
  ],
]);

type Parsed = Pick<NetworkRef, "unit" | "resolvedName" | "spec">;

const CASES: ReadonlyArray<[string, Parsed]> = [
  ["host", { unit: null, resolvedName: "host", spec: "host" }],
  ["none", { unit: null, resolvedName: "none", spec: "none" }],
  ["mynet", { unit: null, resolvedName: "mynet", spec: "mynet" }],
  ["mynet:ip=10.88.0.9,mac=aa:bb:cc:dd:ee:ff", {
    unit: null,
    resolvedName: "mynet",
    spec: "mynet:ip=10.88.0.9,mac=aa:bb:cc:dd:ee:ff",
  }],
  ["container:db", {
    unit: null,
    resolvedName: "container",
    spec: "container:db",
  }],
  ["basic.network", {
    unit: "basic.network",
    resolvedName: "systemd-basic",
    spec: "systemd-basic",
  }],
  ["service-name.network", {
    unit: "service-name.network",
    resolvedName: "test-network",
    spec: "test-network",
  }],
  ["basic.network:ip=10.0.0.5", {
    unit: "basic.network",
    resolvedName: "systemd-basic",
    spec: "systemd-basic:ip=10.0.0.5",
  }],
  ["template-dependency@.network", {
    unit: "template-dependency@.network",
    resolvedName: "systemd-template-dependency-%i",
    spec: "systemd-template-dependency-%i",
  }],
  ["basic.container", {
    unit: "basic.container",
    resolvedName: "systemd-basic",
    spec: "container:systemd-basic",
  }],
  ["name.container", {
    unit: "name.container",
    resolvedName: "foobar",
    spec: "container:foobar",
  }],
  ["missing.container", {
    unit: "missing.container",
    resolvedName: "systemd-missing",
    spec: "container:systemd-missing",
  }],
];

Deno.test("parseNetwork() gives the --network argument Podman makes of Network=", () => {
  for (const [value, expected] of CASES) {
    assertEquals(
      parseNetwork(value, {
        file: "web.container",
        line: 4,
        siblings: SIBLINGS,
      }),
      { value, ...expected, line: 4, file: "web.container" },
      value,
    );
  }
});

Deno.test("parseNetwork() rejects what Podman's generator rejects", () => {
  throws(
    () => parseNetwork("basic.container:ip=10.0.0.5", { siblings: SIBLINGS }),
    {
      name: "SyntaxError",
      message: /no options when joining another container's network/,
    },
  );
  throws(() => parseNetwork("app@.container"), {
    name: "RangeError",
    message:
      /Cannot join the network of "app@.container": its container name holds a systemd specifier/,
  });
});
