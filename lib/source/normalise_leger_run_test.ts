import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { normaliseLegerRun } from "./normalise_leger_run.ts";
import { sha256Hex } from "./sha256_hex.ts";
import type { DeploymentFile, Normalisation } from "./types.ts";

const encoder = new TextEncoder();

async function file(path: string, text: string): Promise<DeploymentFile> {
  const bytes = encoder.encode(text);
  return { path, bytes, sha256: await sha256Hex(bytes) };
}

const WEB =
  "[Unit]\nRequires=llm.network.service\n[Container]\nImage=nginx\nNetwork=llm.network\nVolume=web.volume:/data\n";

Deno.test("normaliseLegerRun() applies exactly the contract's normalisations", async (t) => {
  const cases: {
    name: string;
    files: [string, string][];
    paths: string[];
    normalisations: Normalisation[];
  }[] = [
    {
      name:
        "a doubled volume name that a unit references, and a .service dependency",
      files: [
        ["web.container", WEB],
        ["web.volume.volume", "[Volume]\n"],
        ["llm.network", "[Network]\n"],
      ],
      paths: ["llm.network", "web.container", "web.volume"],
      normalisations: [
        {
          file: "web.volume",
          line: null,
          before: "web.volume.volume",
          after: "web.volume",
        },
        {
          file: "web.container",
          line: 2,
          before: "Requires=llm.network.service",
          after: "Requires=llm.network",
        },
      ],
    },
    {
      name: "a doubled volume name no unit references stays",
      files: [
        ["web.container", "[Container]\nImage=nginx\n"],
        ["spare.volume.volume", "[Volume]\n"],
      ],
      paths: ["spare.volume.volume", "web.container"],
      normalisations: [],
    },
    {
      name: "a doubled volume name stays when the referenced name exists too",
      files: [
        ["web.container", "[Container]\nImage=nginx\nVolume=web.volume:/d\n"],
        ["web.volume", "[Volume]\n"],
        ["web.volume.volume", "[Volume]\n"],
      ],
      paths: ["web.container", "web.volume", "web.volume.volume"],
      normalisations: [],
    },
    {
      name:
        "a .service dependency on a unit that is not in the deployment stays",
      files: [[
        "web.container",
        "[Unit]\nRequires=llm.network.service\n[Container]\nImage=nginx\n",
      ]],
      paths: ["web.container"],
      normalisations: [],
    },
    {
      name: "a dependency on a renamed volume's .service",
      files: [
        [
          "web.container",
          "[Unit]\nAfter=web.volume.service\n[Container]\nImage=nginx\nVolume=web.volume:/d\n",
        ],
        ["web.volume.volume", "[Volume]\n"],
      ],
      paths: ["web.container", "web.volume"],
      normalisations: [
        {
          file: "web.volume",
          line: null,
          before: "web.volume.volume",
          after: "web.volume",
        },
        {
          file: "web.container",
          line: 2,
          before: "After=web.volume.service",
          after: "After=web.volume",
        },
      ],
    },
    {
      name: "config files are never touched",
      files: [
        ["web.container", "[Container]\nImage=nginx\n"],
        ["web.env", "Requires=llm.network.service\n"],
      ],
      paths: ["web.container", "web.env"],
      normalisations: [],
    },
  ];
  for (const { name, files, paths, normalisations } of cases) {
    await t.step(name, async () => {
      const input = await Promise.all(files.map(([p, text]) => file(p, text)));
      const result = await normaliseLegerRun(input);
      deepStrictEqual(result.files.map((f) => f.path), paths);
      deepStrictEqual(result.normalisations, normalisations);
    });
  }
});

Deno.test("normaliseLegerRun() keeps the bytes of unchanged files and hashes the changed ones", async () => {
  const input = [
    await file("web.container", WEB),
    await file("web.volume.volume", "[Volume]\n"),
    await file("llm.network", "[Network]\n"),
  ];
  const { files } = await normaliseLegerRun(input);
  const byPath = new Map(files.map((f) => [f.path, f]));
  strictEqual(byPath.get("llm.network"), input[2]);
  strictEqual(byPath.get("web.volume")!.bytes, input[1].bytes);
  strictEqual(byPath.get("web.volume")!.sha256, input[1].sha256);
  const web = byPath.get("web.container")!;
  strictEqual(
    new TextDecoder().decode(web.bytes),
    WEB.replace("llm.network.service", "llm.network"),
  );
  strictEqual(web.sha256, await sha256Hex(web.bytes));
  strictEqual(input[0].bytes.length, encoder.encode(WEB).length);
});
