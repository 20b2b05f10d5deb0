import { deepStrictEqual } from "node:assert/strict";
import { loadUnits } from "../quadlet/load_units.ts";
import { volumeUsers } from "./_volume_users.ts";

const container = (...lines: string[]) =>
  ["[Container]", "Image=localhost/bb:latest", ...lines, ""].join("\n");

async function users(
  files: Record<string, string>,
  options: { volumes: string[]; running: string[] },
): Promise<string[]> {
  const bytes = new Map(
    Object.entries(files).map((
      [path, text],
    ) => [path, new TextEncoder().encode(text)]),
  );
  const loaded = loadUnits(
    [...bytes].map(([path, content]) => ({ path, bytes: content })),
    { unitDir: "/q" },
  );
  return (await volumeUsers(loaded, { ...options, files: bytes })).map((u) =>
    u.requires === null
      ? `${u.service} uses ${u.uses.join(",") || "?"}`
      : `${u.service} requires ${u.requires}`
  );
}

Deno.test("volumeUsers() names the services whose units use a volume, and those that go down with them", async (t) => {
  const cases: {
    name: string;
    files: Record<string, string>;
    volumes?: string[];
    running: string[];
    want: string[];
  }[] = [
    {
      name: "containers: only the one that mounts it",
      files: {
        "tsa.container": container(),
        "tsb.container": container("Volume=/srv/b:/b"),
        "tsweb.container": container("Volume=tsweb-data.volume:/data:Z"),
        "tsweb-data.volume": "[Volume]\n",
      },
      volumes: ["systemd-tsweb-data"],
      running: ["tsa.service", "tsb.service", "tsweb.service"],
      want: ["tsweb.service uses systemd-tsweb-data"],
    },
    {
      name: "Mount= and a named volume, VolumeName= resolved",
      files: {
        "a.container": container("Mount=type=volume,source=d.volume,dst=/d"),
        "b.container": container("Volume=app-data:/d"),
        "c.container": container("Volume=other:/d"),
        "d.volume": "[Volume]\nVolumeName=app-data\n",
      },
      volumes: ["app-data"],
      running: ["a.service", "b.service", "c.service"],
      want: ["a.service uses app-data", "b.service uses app-data"],
    },
    {
      name:
        "Requires=, BindsTo= and Network=x.container go down with it, transitively",
      files: {
        "db.container": container("Volume=db.volume:/var/lib/db"),
        "db.volume": "[Volume]\n",
        "api.container": "[Unit]\nRequires=db.container\n" + container(),
        "edge.container": "[Unit]\nBindsTo=api.service\n" + container(),
        "side.container": container("Network=db.container"),
        "after.container": "[Unit]\nAfter=db.container\nWants=db.container\n" +
          container(),
      },
      volumes: ["systemd-db"],
      running: [
        "edge.service",
        "api.service",
        "db.service",
        "side.service",
        "after.service",
      ],
      want: [
        "db.service uses systemd-db",
        "api.service requires db.service",
        "side.service requires db.service",
        "edge.service requires api.service",
      ],
    },
    {
      name: "a pod's Volume=: the pod and its containers",
      files: {
        "db.pod": "[Pod]\nVolume=db.volume:/var/lib/db\n",
        "db.volume": "[Volume]\n",
        "db.container": container("Pod=db.pod"),
        "web.container": container(),
      },
      volumes: ["systemd-db"],
      running: ["db-pod.service", "db.service", "web.service"],
      want: [
        "db-pod.service uses systemd-db",
        "db.service requires db-pod.service",
      ],
    },
    {
      name: "a kube whose YAML claims the volume, by name or by its unit",
      files: {
        "app.kube": "[Kube]\nYaml=app.yaml\n",
        "app.yaml": [
          "apiVersion: v1",
          "kind: Pod",
          "spec:",
          "  volumes:",
          "    - name: data",
          "      persistentVolumeClaim:",
          "        claimName: systemd-app-data",
          "",
        ].join("\n"),
        "other.kube": "[Kube]\nYaml=./kube/other.yml\n",
        "kube/other.yml":
          "spec:\n  volumes: [{name: x, persistentVolumeClaim: {claimName: elsewhere}}]\n",
        "unit.kube": "[Kube]\nYaml=unit.yaml\n",
        "unit.yaml":
          "spec:\n  volumes:\n  - persistentVolumeClaim:\n      claimName: 'app-data.volume'\n",
        "app-data.volume": "[Volume]\n",
      },
      volumes: ["systemd-app-data"],
      running: ["app.service", "other.service", "unit.service"],
      want: [
        "app.service uses systemd-app-data",
        "unit.service uses systemd-app-data",
      ],
    },
    {
      name: "a kube that names the .volume unit in [Unit]",
      files: {
        "app.kube": "[Unit]\nRequires=data.volume\n[Kube]\nYaml=app.yaml\n",
        "app.yaml": "kind: Pod\n",
        "data.volume": "[Volume]\n",
      },
      volumes: ["systemd-data"],
      running: ["app.service"],
      want: ["app.service uses systemd-data"],
    },
    {
      name: "a kube whose YAML cannot be read counts as using every volume",
      files: {
        "app.kube": "[Kube]\nYaml=/nonexistent/app.yaml\n",
        "web.container": container(),
        "data.volume": "[Volume]\n",
      },
      volumes: ["systemd-data"],
      running: ["app.service", "web.service"],
      want: ["app.service uses systemd-data"],
    },
    {
      name: "instances of a template that mounts it",
      files: {
        "worker@.container": container("Volume=data.volume:/d") +
          "[Install]\nDefaultInstance=one\n",
        "data.volume": "[Volume]\n",
        "web.container": container(),
      },
      volumes: ["systemd-data"],
      running: ["worker@one.service", "worker@two.service", "web.service"],
      want: [
        "worker@one.service uses systemd-data",
        "worker@two.service uses systemd-data",
      ],
    },
    {
      name: "a service that does not run is not stopped, nor what requires it",
      files: {
        "db.container": container("Volume=db.volume:/d"),
        "db.volume": "[Volume]\n",
        "api.container": "[Unit]\nRequires=db.container\n" + container(),
      },
      volumes: ["systemd-db"],
      running: ["api.service"],
      want: [],
    },
    {
      name: "a unit that does not load: every running service, to be safe",
      files: {
        "web.container": container(),
        "bad.container": "not a unit\n",
      },
      volumes: ["systemd-data"],
      running: ["web.service"],
      want: ["web.service uses ?"],
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      deepStrictEqual(
        await users(c.files, {
          volumes: c.volumes ?? [],
          running: c.running,
        }),
        c.want,
      );
    });
  }
});
