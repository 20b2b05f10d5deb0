import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { loadUnits } from "../quadlet/load_units.ts";
import { normaliseLegerRun } from "../source/normalise_leger_run.ts";
import { sha256Hex } from "../source/sha256_hex.ts";
import { planUpdate, type UpdatePlan, type UpdateSide } from "./plan_update.ts";

const encoder = new TextEncoder();

/** A version of a deployment from its files' texts, typed as planning types it. */
async function side(files: Record<string, string>): Promise<UpdateSide> {
  const list = await Promise.all(
    Object.entries(files).sort(([a], [b]) => a.localeCompare(b)).map(
      async ([path, text]) => {
        const bytes = encoder.encode(text);
        return { path, bytes, sha256: await sha256Hex(bytes) };
      },
    ),
  );
  const { units, findings } = loadUnits(list);
  deepStrictEqual(findings, []);
  return {
    files: list.map((f) => ({ name: f.path, sha256: f.sha256 })),
    units,
  };
}

const container = (name: string, ...lines: string[]) =>
  ["[Container]", `Image=localhost/${name}:1`, ...lines, ""].join("\n");

/** Three containers, a volume, a network and a config file. */
const BASE: Record<string, string> = {
  "web.container": container(
    "web",
    "Volume=data.volume:/data",
    "Volume=./web.conf:/etc/web.conf:ro",
    "Network=app.network",
  ),
  "api.container": container("api", "Network=app.network"),
  "db.container": container("db", "Volume=data.volume:/var/lib/db"),
  "data.volume": "[Volume]\n",
  "app.network": "[Network]\n",
  "web.conf": "greeting=hello\n",
};

async function plan(
  before: Record<string, string>,
  after: Record<string, string>,
): Promise<UpdatePlan> {
  return planUpdate(await side(before), await side(after));
}

function statuses(update: UpdatePlan): Record<string, string> {
  return Object.fromEntries(update.units.map((u) => [u.unit, u.status]));
}

Deno.test("planUpdate() restarts exactly what changed", async (t) => {
  const cases: {
    name: string;
    after: Record<string, string>;
    restart: string[];
    start?: string[];
    stop?: string[];
    write?: string[];
    remove?: string[];
    /** `[unit, resource, users]` of each change Podman would not apply. */
    notApplied?: [string, string, string[]][];
  }[] = [
    {
      name: "nothing changed: nothing to do",
      after: BASE,
      restart: [],
      write: [],
    },
    {
      name: "one container of three: only it",
      after: {
        ...BASE,
        "api.container": container("api", "Network=app.network", "Env=A=1"),
      },
      restart: ["api.service"],
      write: ["api.container"],
    },
    {
      name: "its image: only it",
      after: {
        ...BASE,
        "db.container": BASE["db.container"].replace(":1", ":2"),
      },
      restart: ["db.service"],
      write: ["db.container"],
    },
    {
      name: "a config file it mounts: only the container that mounts it",
      after: { ...BASE, "web.conf": "greeting=bye\n" },
      restart: ["web.service"],
      write: ["web.conf"],
    },
    {
      name: "a drop-in of its own, added",
      after: {
        ...BASE,
        "web.container.d/10-env.conf": "[Container]\nEnv=A=1\n",
      },
      restart: ["web.service"],
      write: ["web.container.d/10-env.conf"],
    },
    {
      name: "a drop-in of every container: each of them",
      after: { ...BASE, "container.d/10-env.conf": "[Container]\nEnv=A=1\n" },
      restart: ["api.service", "db.service", "web.service"],
      write: ["container.d/10-env.conf"],
    },
    {
      name: "a file no unit names: written, nothing restarted",
      after: { ...BASE, "README.md": "# app\n" },
      restart: [],
      write: ["README.md"],
    },
    {
      name: "the volume: written, nothing restarted (Podman keeps the volume)",
      after: { ...BASE, "data.volume": "[Volume]\nLabel=a=b\n" },
      restart: [],
      write: ["data.volume"],
      notApplied: [["data.volume", "systemd-data", [
        "db.service",
        "web.service",
      ]]],
    },
    {
      name:
        "the network: written, nothing restarted (Podman keeps the network)",
      after: { ...BASE, "app.network": "[Network]\nInternal=true\n" },
      restart: [],
      write: ["app.network"],
      notApplied: [["app.network", "systemd-app", [
        "api.service",
        "web.service",
      ]]],
    },
    {
      name: "a drop-in of the network: likewise",
      after: {
        ...BASE,
        "app.network.d/10-subnet.conf": "[Network]\nSubnet=10.9.0.0/24\n",
      },
      restart: [],
      write: ["app.network.d/10-subnet.conf"],
      notApplied: [["app.network", "systemd-app", [
        "api.service",
        "web.service",
      ]]],
    },
    {
      name:
        "the volume's name (a new volume): it and the containers that use it",
      after: { ...BASE, "data.volume": "[Volume]\nVolumeName=data2\n" },
      restart: ["data-volume.service", "web.service", "db.service"],
      write: ["data.volume"],
    },
    {
      name: "the network's name (a new network): it and the containers on it",
      after: { ...BASE, "app.network": "[Network]\nNetworkName=app2\n" },
      restart: ["app-network.service", "web.service", "api.service"],
      write: ["app.network"],
    },
    {
      name: "the network and a container on it: only that container",
      after: {
        ...BASE,
        "app.network": "[Network]\nInternal=true\n",
        "api.container": container("api", "Network=app.network", "Env=A=1"),
      },
      restart: ["api.service"],
      write: ["api.container", "app.network"],
      notApplied: [["app.network", "systemd-app", [
        "api.service",
        "web.service",
      ]]],
    },
    {
      name: "a container added: started, the rest untouched",
      after: { ...BASE, "cache.container": container("cache") },
      restart: [],
      start: ["cache.service"],
      write: ["cache.container"],
    },
    {
      name: "a container dropped: stopped and removed, the rest untouched",
      after: Object.fromEntries(
        Object.entries(BASE).filter(([path]) => path !== "api.container"),
      ),
      restart: [],
      stop: ["api.service"],
      remove: ["api.container"],
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      const update = await plan(BASE, c.after);
      deepStrictEqual(
        [...update.restart].sort(),
        [...c.restart].sort(),
        JSON.stringify(update.units, null, 2),
      );
      deepStrictEqual(update.start, c.start ?? []);
      deepStrictEqual(update.stop, c.stop ?? []);
      deepStrictEqual(update.write, c.write ?? []);
      deepStrictEqual(update.remove, c.remove ?? []);
      deepStrictEqual(
        update.notApplied.map((n) => [n.unit, n.resource, n.users]),
        c.notApplied ?? [],
      );
      strictEqual(
        update.changed,
        (c.write ?? []).length + (c.remove ?? []).length > 0,
      );
      // Every service is in exactly one list.
      const all = [
        ...update.restart,
        ...update.start,
        ...update.stop,
        ...update.unchanged,
      ];
      deepStrictEqual(all.length, new Set(all).size);
    });
  }
});

Deno.test("planUpdate() says why a unit changed", async () => {
  const update = await plan(BASE, {
    ...BASE,
    "web.conf": "greeting=bye\n",
    "data.volume": "[Volume]\nVolumeName=data2\n",
    "web.container.d/10-env.conf": "[Container]\nEnv=A=1\n",
  });
  const web = update.units.find((u) => u.unit === "web.container")!;
  deepStrictEqual(web.reasons, [
    "drop-in web.container.d/10-env.conf added",
    "web.conf (Volume=) changed",
    "requires data.volume (Volume=), which changed",
  ]);
  const db = update.units.find((u) => u.unit === "db.container")!;
  deepStrictEqual(db.reasons, [
    "requires data.volume (Volume=), which changed",
  ]);
  strictEqual(
    update.units.find((u) => u.unit === "api.container")!.status,
    "unchanged",
  );
  deepStrictEqual(update.unchanged, ["api.service", "app-network.service"]);
});

Deno.test("planUpdate() compares every file below a folder a unit mounts", async () => {
  const before = {
    "web.container": container("web", "Volume=./conf:/etc/web:ro"),
    "conf/a.conf": "a=1\n",
    "api.container": container("api"),
  };
  const update = await plan(before, { ...before, "conf/b.conf": "b=1\n" });
  deepStrictEqual(update.restart, ["web.service"]);
  deepStrictEqual(update.units[1].reasons, ["conf (Volume=) changed"]);
});

Deno.test("planUpdate() follows requirements through units (an image unit, a pod)", async () => {
  const before = {
    "app.image": "[Image]\nImage=localhost/app:1\n",
    "app.pod": "[Pod]\n",
    "web.container": "[Container]\nImage=app.image\nPod=app.pod\n",
    "side.container": "[Container]\nImage=localhost/side:1\nPod=app.pod\n",
    "lone.container": container("lone"),
  };
  const update = await plan(before, {
    ...before,
    "app.image": "[Image]\nImage=localhost/app:2\n",
  });
  deepStrictEqual(update.restart, ["app-image.service", "web.service"]);
  const web = update.units.find((u) => u.unit === "web.container")!;
  deepStrictEqual(web.reasons, [
    "image localhost/app:1 → localhost/app:2",
    "requires app.image (Image=), which changed",
  ]);
  const pod = await plan(before, {
    ...before,
    "app.pod": "[Pod]\nPodName=x\n",
  });
  deepStrictEqual(pod.restart, [
    "app-pod.service",
    "side.service",
    "web.service",
  ]);
  deepStrictEqual(pod.unchanged, ["app-image.service", "lone.service"]);
});

Deno.test("planUpdate() drops units one by one: their services stop, volumes stay, networks go", async () => {
  const update = await plan(BASE, {
    "web.container": container("web", "Volume=./web.conf:/etc/web.conf:ro"),
    "web.conf": BASE["web.conf"],
  });
  deepStrictEqual(statuses(update), {
    "web.container": "changed",
    "api.container": "dropped",
    "db.container": "dropped",
    "data.volume": "dropped",
    "app.network": "dropped",
  });
  deepStrictEqual(update.restart, ["web.service"]);
  deepStrictEqual(update.stop, [
    "api.service",
    "app-network.service",
    "data-volume.service",
    "db.service",
  ]);
  deepStrictEqual(update.remove, [
    "api.container",
    "app.network",
    "data.volume",
    "db.container",
  ]);
  deepStrictEqual(update.keptVolumes, ["systemd-data"]);
  deepStrictEqual(update.removedNetworks, ["systemd-app"]);
});

Deno.test("planUpdate() stops the old service of a unit whose ServiceName= changed", async () => {
  const update = await plan(BASE, {
    ...BASE,
    "api.container": container("api", "Network=app.network") +
      "[Service]\n",
    "api.container.d/10-name.conf": "[Container]\nContainerName=api\n",
  });
  deepStrictEqual(update.restart, ["api.service"]);
  const renamed = await plan(
    { "api.container": container("api") },
    { "api.container": container("api", "ServiceName=backend") },
  );
  deepStrictEqual(renamed.restart, ["backend.service"]);
  deepStrictEqual(renamed.stop, ["api.service"]);
});

Deno.test("planUpdate() of a template restarts the instance leger starts", async () => {
  const before = {
    "worker@.container": container("worker") +
      "[Install]\nDefaultInstance=one\n",
    "web.container": container("web"),
  };
  const update = await plan(before, {
    ...before,
    "worker@.container": container("worker", "Env=A=1") +
      "[Install]\nDefaultInstance=one\n",
  });
  deepStrictEqual(update.restart, ["worker@one.service"]);
  deepStrictEqual(update.unchanged, ["web.service"]);
});

Deno.test("planUpdate() of the rendered leger.run fixtures v1 → v2", async () => {
  const read = async (version: string) => {
    const dir = new URL(
      `../../tests/testdata/leger-run-rendered/${version}/`,
      import.meta.url,
    );
    const files = [];
    for await (const entry of Deno.readDir(dir)) {
      if (entry.name === "manifest.json") continue;
      const bytes = await Deno.readFile(new URL(entry.name, dir));
      files.push({ path: entry.name, bytes, sha256: await sha256Hex(bytes) });
    }
    const { files: normalised } = await normaliseLegerRun(
      files.sort((a, b) => a.path.localeCompare(b.path)),
    );
    const { units } = loadUnits(normalised);
    return {
      files: normalised.map((f) => ({ name: f.path, sha256: f.sha256 })),
      units,
    };
  };
  const update = planUpdate(await read("v1"), await read("v2"));
  const by = (status: string) =>
    update.units.filter((u) => u.status === status).map((u) => u.unit).sort();
  deepStrictEqual(by("dropped"), ["qdrant.container", "qdrant.volume"]);
  deepStrictEqual(by("added"), []);
  // llm.network lost its subnet, which Podman never applies to the
  // network it created: only litellm, whose own file changed, restarts.
  deepStrictEqual(update.restart, ["litellm.service"]);
  deepStrictEqual(
    update.units.find((u) => u.unit === "litellm.container")!.reasons,
    ["litellm.container changed"],
  );
  deepStrictEqual(update.notApplied, [{
    unit: "llm.network",
    kind: "network",
    resource: "systemd-llm",
    users: [
      "caddy.service",
      "cockpit.service",
      "litellm-postgres.service",
      "litellm-redis.service",
      "litellm.service",
      "llama-swap.service",
      "openwebui-postgres.service",
      "openwebui-redis.service",
      "openwebui.service",
    ],
    reason:
      "Podman keeps the existing network systemd-llm with its old settings",
  }]);
  ok(update.write.includes("llm.network"));
  ok(update.unchanged.includes("llm-network.service"));
  deepStrictEqual(update.stop, ["qdrant.service", "qdrant-volume.service"]);
  deepStrictEqual(update.remove, ["qdrant.container", "qdrant.volume"]);
  deepStrictEqual(update.keptVolumes, ["systemd-qdrant"]);
  // The volumes keep running: none of them changed.
  ok(update.unchanged.includes("caddy-data-volume.service"));
});

Deno.test("planUpdate() restarts a changed volume that requires a restarted unit, and what uses it", async () => {
  // A volume made from an image (Driver=image) requires the .image unit:
  // systemd restarts it, and what uses it, when the image unit restarts.
  const before = {
    "app.image": "[Image]\nImage=localhost/app:1\n",
    "data.volume": "[Volume]\nDriver=image\nImage=app.image\n",
    "web.container": container("web", "Volume=data.volume:/data"),
  };
  const update = await plan(before, {
    "app.image": "[Image]\nImage=localhost/app:2\n",
    "data.volume": "[Volume]\nDriver=image\nImage=app.image\nLabel=a=b\n",
    "web.container": before["web.container"],
  });
  deepStrictEqual(update.notApplied, []);
  deepStrictEqual(update.restart, [
    "app-image.service",
    "data-volume.service",
    "web.service",
  ]);
});

function ok(value: unknown, message?: string): void {
  strictEqual(Boolean(value), true, message);
}
