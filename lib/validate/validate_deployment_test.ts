import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { validateDeployment } from "./validate_deployment.ts";
import { parseUnit } from "../unit/parse_unit.ts";
import { toQuadletUnit } from "../quadlet/to_quadlet_unit.ts";
import { quadletKindOf } from "../quadlet/kind.ts";
import type { UnitFile } from "../unit/types.ts";

const RENDERED = new URL(
  "../../tests/testdata/leger-run-rendered/",
  import.meta.url,
);

function deployment(files: Record<string, string>) {
  const units = new Map<string, UnitFile>();
  for (const [file, text] of Object.entries(files)) {
    if (quadletKindOf(file) !== null) {
      units.set(file, parseUnit(text, { file }));
    }
  }
  return [...units.values()].map((unit) => ({
    unit,
    quadlet: toQuadletUnit(unit, { siblings: units }),
  }));
}

async function readRendered(version: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for await (const entry of Deno.readDir(new URL(`${version}/`, RENDERED))) {
    files[entry.name] = await Deno.readTextFile(
      new URL(`${version}/${entry.name}`, RENDERED),
    );
  }
  return files;
}

Deno.test("validateDeployment() returns nothing for a sound deployment", () => {
  const files = {
    "web.container":
      "[Unit]\nRequires=llm-network.service\n[Container]\nImage=docker.io/nginx\nNetwork=llm.network\nVolume=data.volume:/data\nEnvironmentFile=web.env\n",
    "llm.network": "[Network]\nSubnet=10.89.0.0/24\n",
    "data.volume": "[Volume]\n",
    "web.env": "A=1\n",
  };
  deepStrictEqual(
    validateDeployment(deployment(files), {
      deploymentFiles: Object.keys(files),
    }),
    [],
  );
});

Deno.test("validateDeployment() gathers every check's findings sorted by file and line", () => {
  const files = {
    "b.container":
      "[Container]\nImage=x\nContainerName=dup\nRestartPolicy=always\n",
    "a.container":
      "[Unit]\nAfter=db.volume.service\n[Container]\nContainerName=dup\nVolume=db.volume:/d\n",
  };
  const findings = validateDeployment(deployment(files), {
    deploymentFiles: Object.keys(files),
    installedUnits: new Set(["db.volume"]),
  });
  deepStrictEqual(findings.map((f) => [f.file, f.line, f.code]), [
    ["a.container", undefined, "ERR_DUPLICATE_NAME"],
    ["a.container", 2, "ERR_UNIT_MISSING_REFERENCE"],
    ["a.container", 3, "ERR_UNIT_MISSING_KEY"],
    ["b.container", 4, "ERR_UNIT_UNKNOWN_KEY"],
  ]);
});

Deno.test("validateDeployment() explains both leger.run defects of a rendered deployment", async () => {
  const files = await readRendered("v1");
  const findings = validateDeployment(deployment(files), {
    deploymentFiles: Object.keys(files),
  });
  ok(findings.length > 0);
  strictEqual(
    findings.every((f) => f.code === "ERR_UNIT_MISSING_REFERENCE"),
    true,
  );
  const volume = findings.find((f) =>
    f.file === "openwebui.container" && f.message.includes('"openwebui.volume"')
  );
  strictEqual(
    volume?.remedy,
    "Rename `openwebui.volume.volume` to `openwebui.volume`: Podman names a unit by its whole file name",
  );
  const network = findings.find((f) =>
    f.file === "openwebui.container" &&
    f.message.includes("llm.network.service")
  );
  strictEqual(
    network?.message,
    'Cannot start "openwebui.container": After=llm.network.service at line 7 names a service that will not exist, since Podman names the service of "llm.network" "llm-network.service"',
  );
  strictEqual(
    network?.remedy,
    "Write `After=llm-network.service`, or `After=llm.network` and let Podman translate it",
  );
});

Deno.test("validateDeployment() accepts the rendered deployment once both defects are fixed", async () => {
  const rendered = await readRendered("v2");
  const files: Record<string, string> = {};
  for (const [name, text] of Object.entries(rendered)) {
    files[name.replace(/\.volume\.volume$/, ".volume")] = text.replaceAll(
      "llm.network.service",
      "llm-network.service",
    );
  }
  deepStrictEqual(
    validateDeployment(deployment(files), {
      deploymentFiles: Object.keys(files),
    }),
    [],
  );
});

Deno.test("validateDeployment() reports a unit file name systemd refuses, parsed or not", () => {
  const files = {
    "my web.container": "[Container]\nImage=x\n",
    "wéb.volume": "[Volume]\n",
  };
  const findings = validateDeployment(deployment(files), {
    deploymentFiles: [...Object.keys(files), "bad name.network"],
  });
  deepStrictEqual(findings.map((f) => [f.file, f.code]), [
    ["bad name.network", "ERR_UNIT_NAME_INVALID"],
    ["my web.container", "ERR_UNIT_NAME_INVALID"],
    ["wéb.volume", "ERR_UNIT_NAME_INVALID"],
  ]);
});

Deno.test("validateDeployment() checks .leger.yaml health: against the units, as HealthURL=", () => {
  const unit = parseUnit("[Container]\nImage=docker.io/nginx\n", {
    file: "k1.container",
  });
  const findings = validateDeployment(
    [{ unit, quadlet: toQuadletUnit(unit) }],
    {
      deploymentFiles: ["k1.container"],
      manifestHealth: {
        nosuch: "http://127.0.0.1:8080/",
        "k1.container": "http://example.com/",
      },
      manifestText:
        "health:\n  nosuch: http://127.0.0.1:8080/\n  k1.container: http://example.com/\n",
    },
  );
  deepStrictEqual(
    findings.map((f) => [f.code, f.file, f.line, f.severity]),
    [
      ["ERR_MANIFEST_INVALID", ".leger.yaml", 2, undefined],
      ["ERR_UNIT_INVALID_VALUE", ".leger.yaml", 3, "warning"],
    ],
  );
});
