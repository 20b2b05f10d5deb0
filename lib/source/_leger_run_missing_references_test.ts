import { deepStrictEqual, throws } from "node:assert/strict";
import { findMissingReferences } from "./_leger_run_missing_references.ts";
import type { DeploymentFile } from "./types.ts";

const encoder = new TextEncoder();

function files(entries: Record<string, string>): DeploymentFile[] {
  return Object.entries(entries).map(([path, text]) => ({
    path,
    bytes: encoder.encode(text),
    sha256: "",
  }));
}

Deno.test("findMissingReferences() lists the files units name that the deployment lacks", async (t) => {
  const cases: {
    name: string;
    files: Record<string, string>;
    expected: [string, string, string, number][];
  }[] = [
    {
      name: "a network unit",
      files: { "web.container": "[Container]\nImage=x\nNetwork=llm.network\n" },
      expected: [["llm.network", "web.container", "Network", 3]],
    },
    {
      name: "an environment file, a relative volume source and a dependency",
      files: {
        "web.container":
          "[Unit]\nRequires=db.container\n[Container]\nImage=x\nEnvironmentFile=web.env\nVolume=./conf/Caddyfile:/etc/caddy/Caddyfile:ro\n",
      },
      expected: [
        ["db.container", "web.container", "Requires", 2],
        ["web.env", "web.container", "EnvironmentFile", 5],
        ["conf/Caddyfile", "web.container", "Volume", 6],
      ],
    },
    {
      name: "each path once, at its first line",
      files: {
        "a.container": "[Container]\nImage=x\nNetwork=llm.network\n",
        "b.container": "[Container]\nImage=x\nNetwork=llm.network\n",
      },
      expected: [["llm.network", "a.container", "Network", 3]],
    },
    {
      name: "nothing for a doubled volume name (defect 1) or a present file",
      files: {
        "web.container":
          "[Container]\nImage=x\nVolume=web.volume:/d\nNetwork=llm.network\n",
        "web.volume.volume": "[Volume]\n",
        "llm.network": "[Network]\n",
      },
      expected: [],
    },
    {
      name:
        "nothing for absolute paths, specifiers, paths outside, or named volumes",
      files: {
        "web.container":
          "[Container]\nImage=x\nEnvironmentFile=/etc/web.env\nEnvironmentFile=%h/web.env\nVolume=../up:/up\nVolume=named:/n\nVolume=/srv:/srv\n",
      },
      expected: [],
    },
    {
      name: "nothing from a unit that does not parse",
      files: { "web.container": "[Container]\nNetwork llm.network\n" },
      expected: [],
    },
  ];
  for (const { name, files: entries, expected } of cases) {
    await t.step(name, () => {
      deepStrictEqual(
        findMissingReferences(files(entries)),
        expected.map(([path, unit, key, line]) => ({ path, unit, key, line })),
      );
    });
  }
});

Deno.test("findMissingReferences() refuses a referenced name that is not bare", async (t) => {
  const cases: [string, RegExp][] = [
    [
      "EnvironmentFile=.env",
      /^Cannot fetch "\.env", which EnvironmentFile= of "web\.container" names at line 3: the name starts with "\."$/,
    ],
    [
      "EnvironmentFile=conf/.secret",
      /^Cannot fetch "conf\/\.secret", .* its part "\.secret" starts with "\."$/,
    ],
  ];
  for (const [line, message] of cases) {
    await t.step(line, () => {
      throws(
        () =>
          findMissingReferences(
            files({ "web.container": `[Container]\nImage=x\n${line}\n` }),
          ),
        { code: "ERR_UNSAFE_PATH", file: "web.container", line: 3, message },
      );
    });
  }
});
