import { deepStrictEqual } from "node:assert/strict";
import { imagesToPull } from "./images_to_pull.ts";
import { loadUnits } from "../quadlet/load_units.ts";

function units(files: Record<string, string>) {
  const encoder = new TextEncoder();
  const { units, findings } = loadUnits(
    Object.entries(files).map(([path, text]) => ({
      path,
      bytes: encoder.encode(text),
    })),
  );
  deepStrictEqual(findings, []);
  return units;
}

/** The images chosen, as `image policy unit` strings. */
function chosen(files: Record<string, string>): string[] {
  return imagesToPull(units(files)).map((i) =>
    `${i.image} ${i.policy} ${i.unit}`
  );
}

Deno.test("imagesToPull() chooses the images a deployment needs", async (t) => {
  const cases: {
    name: string;
    files: Record<string, string>;
    expected: string[];
  }[] = [
    {
      name: "a container's image, pulled when missing",
      files: {
        "web.container": "[Container]\nImage=docker.io/library/caddy:2\n",
      },
      expected: ["docker.io/library/caddy:2 missing web.container"],
    },
    {
      name: "a short name, quoted, as Podman's Lookup reads it",
      files: { "web.container": '[Container]\nImage="caddy:2"  \n' },
      expected: ["caddy:2 missing web.container"],
    },
    {
      name: "docker:// removed",
      files: { "web.container": "[Container]\nImage=docker://quay.io/a/b:1\n" },
      expected: ["quay.io/a/b:1 missing web.container"],
    },
    {
      name: "Pull=always and Pull=newer pull even a present image",
      files: {
        "a.container": "[Container]\nImage=quay.io/a:1\nPull=always\n",
        "b.container": "[Container]\nImage=quay.io/b:1\nPull=Newer\n",
        "c.container": "[Container]\nImage=quay.io/c:1\nPull=missing\n",
      },
      expected: [
        "quay.io/a:1 always a.container",
        "quay.io/b:1 always b.container",
        "quay.io/c:1 missing c.container",
      ],
    },
    {
      name: "Pull=never is only checked",
      files: {
        "web.container": "[Container]\nImage=quay.io/a:1\nPull=never\n",
      },
      expected: ["quay.io/a:1 local web.container"],
    },
    {
      name: "a localhost image is only checked, whatever Pull= says",
      files: {
        "web.container": "[Container]\nImage=localhost/app:1\nPull=always\n",
      },
      expected: ["localhost/app:1 local web.container"],
    },
    {
      name: "a registry on localhost with a port is pulled",
      files: { "web.container": "[Container]\nImage=localhost:5000/app:1\n" },
      expected: ["localhost:5000/app:1 missing web.container"],
    },
    {
      name: "Image=x.build and Image=x.image are left to those units",
      files: {
        "app.container": "[Container]\nImage=app.build\n",
        "app.build": "[Build]\nImageTag=localhost/app\n",
        "db.container": "[Container]\nImage=pg.image\n",
        "pg.image":
          "[Image]\nImage=docker.io/library/postgres:17\nImageTag=pg:17\n",
      },
      expected: ["docker.io/library/postgres:17 always pg.image"],
    },
    {
      name: "a .image unit follows Policy=",
      files: {
        "a.image": "[Image]\nImage=quay.io/a:1\nPolicy=missing\n",
        "b.image": "[Image]\nImage=quay.io/b:1\nPolicy=never\n",
      },
      expected: [
        "quay.io/a:1 missing a.image",
        "quay.io/b:1 local b.image",
      ],
    },
    {
      name: "a .image unit with pull settings leger would not use",
      files: {
        "a.image": "[Image]\nImage=quay.io/a:1\nAuthFile=/etc/auth.json\n",
        "b.image": "[Image]\nImage=quay.io/b:1\nArch=arm64\n",
        "c.image": "[Image]\nImage=quay.io/c\nAllTags=yes\n",
        "d.image": "[Image]\nImage=quay.io/d:1\nAllTags=no\n",
        "e.image": "[Image]\nImage=oci-archive:/srv/e.tar\nImageTag=e:1\n",
      },
      expected: ["quay.io/d:1 always d.image"],
    },
    {
      name: "units that change where or how Podman pulls",
      files: {
        "a.container":
          "[Container]\nImage=quay.io/a:1\nGlobalArgs=--root /srv/storage\n",
        "b.container":
          "[Container]\nImage=quay.io/b:1\nPodmanArgs=--arch=arm64\n",
        "c.container":
          "[Container]\nImage=quay.io/c:1\nContainersConfModule=/etc/c.conf\n",
        "d.container":
          "[Container]\nImage=quay.io/d:1\nPodmanArgs=--cap-add=NET_ADMIN --osx\n",
      },
      expected: ["quay.io/d:1 missing d.container"],
    },
    {
      name: "an image volume's image; other volumes have none",
      files: {
        "a.volume": "[Volume]\nDriver=image\nImage=quay.io/data:1\n",
        "b.volume": "[Volume]\nImage=quay.io/ignored:1\n",
        "c.volume": "[Volume]\nDriver=image\nImage=pg.image\n",
      },
      expected: ["quay.io/data:1 missing a.volume"],
    },
    {
      name: "specifiers, kube, pod and containers without an image",
      files: {
        "app@.container": "[Container]\nImage=quay.io/app:%i\n",
        "k.kube": "[Kube]\nYaml=k.yaml\n",
        "p.pod": "[Pod]\n",
        "r.container": "[Container]\nRootfs=/srv/rootfs\n",
        "e.container": "[Container]\nImage=\n",
      },
      expected: [],
    },
    {
      name:
        "one image named twice is listed once, with the policy that pulls most",
      files: {
        "a.container": "[Container]\nImage=quay.io/x:1\nPull=never\n",
        "b.container": "[Container]\nImage=quay.io/x:1\n",
        "c.container": "[Container]\nImage=quay.io/x:1\n",
        "d.container": "[Container]\nImage=quay.io/y:1\n",
      },
      expected: [
        "quay.io/x:1 missing b.container",
        "quay.io/y:1 missing d.container",
      ],
    },
  ];
  for (const { name, files, expected } of cases) {
    await t.step(name, () => deepStrictEqual(chosen(files), expected));
  }
});

Deno.test("imagesToPull() names the file and line of the Image= entry, drop-ins included", () => {
  deepStrictEqual(
    imagesToPull(units({
      "web.container": "[Unit]\nDescription=web\n\n[Container]\nImage=a:1\n",
      "web.container.d/10-image.conf": "[Container]\nImage=quay.io/web:2\n",
    })),
    [{
      image: "quay.io/web:2",
      unit: "web.container",
      file: "web.container.d/10-image.conf",
      line: 2,
      policy: "missing",
    }],
  );
});
