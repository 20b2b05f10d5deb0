import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { checkValues } from "./check_values.ts";
import { parseUnit } from "../unit/parse_unit.ts";
import type { QuadletKind } from "../quadlet/types.ts";

function lines(text: string, kind: QuadletKind): number[] {
  return checkValues(parseUnit(text, { file: `x.${kind}` }), kind).map((f) =>
    f.line!
  );
}

Deno.test("checkValues() reports what Podman rejects, at the offending line", async (t) => {
  const cases: {
    name: string;
    kind: QuadletKind;
    text: string;
    expected: number[];
  }[] = [
    {
      name: "Group without User",
      kind: "container",
      text: "[Container]\nImage=x\nGroup=100\n",
      expected: [3],
    },
    {
      name: "Group with User",
      kind: "container",
      text: "[Container]\nImage=x\nUser=1\nGroup=100\n",
      expected: [],
    },
    {
      name: "ReloadCmd and ReloadSignal",
      kind: "container",
      text: "[Container]\nReloadCmd=/bin/reload\nReloadSignal=SIGHUP\n",
      expected: [3],
    },
    {
      name: "ExposeHostPort ok",
      kind: "container",
      text: "[Container]\nExposeHostPort=8000-8010/udp\nExposeHostPort= 80 \n",
      expected: [],
    },
    {
      name: "ExposeHostPort bad",
      kind: "container",
      text: "[Container]\nExposeHostPort=http\n",
      expected: [2],
    },
    {
      name: "KillMode process",
      kind: "container",
      text: "[Container]\n[Service]\nKillMode=process\n",
      expected: [3],
    },
    {
      name: "KillMode mixed",
      kind: "kube",
      text: "[Kube]\n[Service]\nKillMode=mixed\n",
      expected: [],
    },
    {
      name: "Type simple",
      kind: "kube",
      text: "[Kube]\n[Service]\nType=simple\n",
      expected: [3],
    },
    {
      name: "Type oneshot",
      kind: "container",
      text: "[Container]\n[Service]\nType=oneshot\n",
      expected: [],
    },
    {
      name: "Type in a volume is systemd's",
      kind: "volume",
      text: "[Volume]\n[Service]\nType=simple\n",
      expected: [],
    },
    {
      name: "UserNS with RemapUsers",
      kind: "container",
      text: "[Container]\nUserNS=keep-id\nRemapUsers=auto\n",
      expected: [2],
    },
    {
      name: "UIDMap with RemapUid",
      kind: "pod",
      text: "[Pod]\nUIDMap=0:1:1\nRemapUid=0:1:1\n",
      expected: [2],
    },
    {
      name: "RemapUid without RemapUsers",
      kind: "container",
      text: "[Container]\nRemapUid=0:1:1\n",
      expected: [2],
    },
    {
      name: "RemapUsers=manual in kube",
      kind: "kube",
      text: "[Kube]\nRemapUsers=manual\n",
      expected: [2],
    },
    {
      name: "RemapUsers=manual in container",
      kind: "container",
      text: "[Container]\nRemapUsers=manual\n",
      expected: [],
    },
    {
      name: "RemapUsers=keep-id two uids",
      kind: "container",
      text: "[Container]\nRemapUsers=keep-id\nRemapUid=1\nRemapUid=2\n",
      expected: [2],
    },
    {
      name: "RemapUsers=bogus",
      kind: "pod",
      text: "[Pod]\nRemapUsers=bogus\n",
      expected: [2],
    },
    {
      name: "RemapUsers=auto",
      kind: "kube",
      text: "[Kube]\nRemapUsers=auto\nRemapUid=0:1:1\n",
      expected: [],
    },
    {
      name: "SetWorkingDirectory=file in kube",
      kind: "kube",
      text: "[Kube]\nSetWorkingDirectory=file\n",
      expected: [2],
    },
    {
      name: "SetWorkingDirectory=yaml in build",
      kind: "build",
      text: "[Build]\nSetWorkingDirectory=yaml\n",
      expected: [2],
    },
    {
      name: "SetWorkingDirectory=/x in kube",
      kind: "kube",
      text: "[Kube]\nSetWorkingDirectory=/srv\n",
      expected: [2],
    },
    {
      name: "SetWorkingDirectory=yaml, two Yaml",
      kind: "kube",
      text: "[Kube]\nYaml=a.yml\nYaml=b.yml\nSetWorkingDirectory=yaml\n",
      expected: [4],
    },
    {
      name: "SetWorkingDirectory=Unit in kube",
      kind: "kube",
      text: "[Kube]\nSetWorkingDirectory=Unit\n",
      expected: [],
    },
    {
      name: "gateway without subnet",
      kind: "network",
      text: "[Network]\nIPRange=10.0.0.0/28\nGateway=10.0.0.1\n",
      expected: [2],
    },
    {
      name: "two gateways, one subnet",
      kind: "network",
      text:
        "[Network]\nSubnet=10.0.0.0/24\nGateway=10.0.0.1\nGateway=10.0.0.2\n",
      expected: [4],
    },
    {
      name: "two ranges, one subnet",
      kind: "network",
      text: "[Network]\nSubnet=10.0.0.0/24\nIPRange=a\nIPRange=b\n",
      expected: [4],
    },
    {
      name: "subnets and gateways",
      kind: "network",
      text: "[Network]\nSubnet=a\nSubnet=b\nGateway=c\n",
      expected: [],
    },
    {
      name: "Type without Device",
      kind: "volume",
      text: "[Volume]\nType=nfs\n",
      expected: [2],
    },
    {
      name: "Type with Device",
      kind: "volume",
      text: "[Volume]\nType=nfs\nDevice=srv:/x\n",
      expected: [],
    },
    {
      name: "Type with image driver",
      kind: "volume",
      text: "[Volume]\nDriver=image\nImage=x\nType=nfs\n",
      expected: [],
    },
  ];
  for (const c of cases) {
    await t.step(
      c.name,
      () => deepStrictEqual(lines(c.text, c.kind), c.expected),
    );
  }
});

Deno.test("checkValues() quotes Podman's own message", () => {
  const [finding] = checkValues(
    parseUnit("[Network]\nGateway=10.0.0.1\n", { file: "llm.network" }),
    "network",
  );
  strictEqual(
    finding.message,
    'Cannot convert "llm.network": Gateway= is set without Subnet= (Podman: "cannot set gateway or range without subnet")',
  );
  strictEqual(finding.code, "ERR_UNIT_INVALID_VALUE");
  strictEqual(finding.file, "llm.network");
});
