import { deepStrictEqual } from "node:assert/strict";
import { discoverManifest } from "./discover_manifest.ts";

Deno.test("discoverManifest() lists top-level units by kind when given a folder's paths", async (t) => {
  const cases: {
    name: string;
    paths: string[];
    units: Record<string, string[]>;
    services: string[];
    volumes: string[];
  }[] = [
    {
      name: "every kind",
      paths: [
        "web.container",
        "data.volume",
        "net.network",
        "app.pod",
        "k.kube",
        "img.image",
        "b.build",
        "art.artifact",
      ],
      units: {
        artifact: ["art.artifact"],
        build: ["b.build"],
        container: ["web.container"],
        volume: ["data.volume"],
        image: ["img.image"],
        kube: ["k.kube"],
        network: ["net.network"],
        pod: ["app.pod"],
      },
      services: ["app", "k", "web"],
      volumes: ["data"],
    },
    {
      name: "drop-ins and subfolders are not units",
      paths: [
        "web.container",
        "web.container.d/10-limits.conf",
        "container.d/50-common.conf",
        "sub/other.container",
        "Caddyfile",
        "web.env",
        ".leger.yaml",
      ],
      units: { container: ["web.container"] },
      services: ["web"],
      volumes: [],
    },
    {
      name: "leger.run volume files keep their inner suffix",
      paths: ["openwebui.volume.volume", "openwebui.container"],
      units: {
        container: ["openwebui.container"],
        volume: ["openwebui.volume.volume"],
      },
      services: ["openwebui"],
      volumes: ["openwebui.volume"],
    },
    {
      name: "no units",
      paths: ["README.md", "a.conf"],
      units: {},
      services: [],
      volumes: [],
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      const manifest = discoverManifest(c.paths);
      deepStrictEqual(manifest.form, "discovered");
      deepStrictEqual(manifest.units, c.units);
      deepStrictEqual(manifest.services.map((s) => s.name).sort(), c.services);
      deepStrictEqual(manifest.volumes.map((v) => v.name), c.volumes);
      deepStrictEqual(
        manifest.files.map((f) => f.name),
        Object.values(c.units).flat().sort(),
      );
      deepStrictEqual(manifest.secretsRequired, []);
      deepStrictEqual(
        manifest.files.every((f) => f.sha256 === undefined),
        true,
      );
    });
  }
});

Deno.test("discoverManifest() records the name when one is given", () => {
  deepStrictEqual(
    discoverManifest(["a.container"], { name: "app" }).name,
    "app",
  );
  deepStrictEqual("name" in discoverManifest(["a.container"]), false);
});
