import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { readInstalledUnits } from "./installed_units.ts";

async function write(path: string, text: string | Uint8Array): Promise<void> {
  await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  if (typeof text === "string") await Deno.writeTextFile(path, text);
  else await Deno.writeFile(path, text);
}

async function withTree(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "leger_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("readInstalledUnits() reads units, subfolders and drop-ins in Podman's order", async () => {
  await withTree(async (dir) => {
    const user = `${dir}/config/containers/systemd`;
    await write(
      `${user}/web.container`,
      "[Container]\nImage=docker.io/nginx\nPublishPort=8080:80\n",
    );
    await write(
      `${user}/web.container.d/10-ports.conf`,
      "[Container]\nPublishPort=8443:443\n",
    );
    await write(
      `${user}/container.d/99-all.conf`,
      "[Container]\nLabel=site=blue\n",
    );
    await write(`${user}/data.volume`, "[Volume]\nVolumeName=shared-data\n");
    await write(`${user}/README.md`, "# notes\n");
    await write(
      `${user}/app/db.container`,
      "[Container]\nImage=docker.io/postgres\nVolume=data.volume:/var/lib/postgresql\n",
    );
    await write(`${user}/app/db.env`, "A=1\n");
    const { units, warnings } = await readInstalledUnits([
      user,
      `${dir}/missing`,
    ]);
    deepStrictEqual(warnings, []);
    deepStrictEqual(
      units.map((u) => [u.path.slice(user.length + 1), u.quadlet.serviceName]),
      [
        ["data.volume", "data-volume.service"],
        ["web.container", "web.service"],
        ["app/db.container", "db.service"],
      ],
    );
    const web = units[1];
    deepStrictEqual(web.quadlet.ports.map((p) => p.hostPort), ["8080", "8443"]);
    strictEqual(web.unit.file, "web.container");
    // The volume's VolumeName= reaches the container in another folder.
    deepStrictEqual(units[2].quadlet.volumes.map((v) => v.resolvedSource), [
      "shared-data",
    ]);
  });
});

Deno.test("readInstalledUnits() keeps the first unit of a name and warns about the hidden one", async () => {
  await withTree(async (dir) => {
    await write(`${dir}/a/web.container`, "[Container]\nImage=one\n");
    await write(`${dir}/b/web.container`, "[Container]\nImage=two\n");
    await write(`${dir}/b/llm.network`, "[Network]\n");
    const { units, warnings } = await readInstalledUnits([
      `${dir}/a`,
      `${dir}/b`,
    ]);
    deepStrictEqual(units.map((u) => [u.path, u.quadlet.image]), [
      [`${dir}/a/web.container`, "one"],
      [`${dir}/b/llm.network`, null],
    ]);
    deepStrictEqual(warnings.map((w) => [w.code, w.file, w.severity]), [
      ["ERR_DUPLICATE_NAME", `${dir}/b/web.container`, "warning"],
    ]);
  });
});

Deno.test("readInstalledUnits() skips files it cannot use, with a warning each", async () => {
  await withTree(async (dir) => {
    await write(`${dir}/good.container`, "[Container]\nImage=x\n");
    await write(`${dir}/broken.container`, "[Container]\nImage x\n");
    await write(
      `${dir}/binary.volume`,
      new Uint8Array([0x5b, 0xff, 0xfe, 0x5d]),
    );
    await write(
      `${dir}/bad-port.container`,
      "[Container]\nImage=x\nPublishPort=1:2:3:4:5\n",
    );
    const { units, warnings } = await readInstalledUnits([dir]);
    deepStrictEqual(units.map((u) => u.quadlet.file), ["good.container"]);
    deepStrictEqual(
      warnings.map((
        w,
      ) => [w.code, w.file.slice(dir.length + 1), w.line, w.severity]),
      [
        ["ERR_NOT_UTF8", "binary.volume", undefined, "warning"],
        ["ERR_UNIT_SYNTAX", "broken.container", 2, "warning"],
        ["ERR_UNIT_INVALID_VALUE", "bad-port.container", 3, "warning"],
      ],
    );
  });
});

Deno.test("readInstalledUnits() follows symbolic links to files and folders", async () => {
  await withTree(async (dir) => {
    await write(`${dir}/elsewhere/real.container`, "[Container]\nImage=x\n");
    await write(`${dir}/shared/net.network`, "[Network]\n");
    await write(`${dir}/quadlets/local.volume`, "[Volume]\n");
    await Deno.symlink(
      `${dir}/elsewhere/real.container`,
      `${dir}/quadlets/linked.container`,
    );
    await Deno.symlink(`${dir}/shared`, `${dir}/quadlets/shared`);
    await Deno.symlink(`${dir}/quadlets`, `${dir}/quadlets/loop`);
    await Deno.symlink(`${dir}/nowhere`, `${dir}/quadlets/dangling.container`);
    const { units, warnings } = await readInstalledUnits([`${dir}/quadlets`]);
    deepStrictEqual(units.map((u) => u.quadlet.file), [
      "linked.container",
      "local.volume",
      "net.network",
    ]);
    deepStrictEqual(warnings, []);
  });
});

Deno.test("readInstalledUnits() returns nothing when no folder exists", async () => {
  deepStrictEqual(
    await readInstalledUnits(["/nonexistent/leger/a", "/nonexistent/leger/b"]),
    {
      units: [],
      warnings: [],
    },
  );
});

Deno.test("readInstalledUnits() reads a template and its instances, a symbolic link among them, as units of their own", async () => {
  await withTree(async (dir) => {
    await write(
      `${dir}/worker@.container`,
      "[Container]\nImage=localhost/worker\nPublishPort=%i:80\n\n[Install]\nWantedBy=default.target\nDefaultInstance=one\n",
    );
    await Deno.symlink("worker@.container", `${dir}/worker@two.container`);
    await write(`${dir}/worker@three.container`, "[Container]\nImage=other\n");
    await write(
      `${dir}/worker@.container.d/10-env.conf`,
      "[Container]\nEnvironment=A=1\n",
    );
    const { units, warnings } = await readInstalledUnits([dir]);
    deepStrictEqual(warnings, []);
    deepStrictEqual(
      units.map((u) => [
        u.path.slice(dir.length + 1),
        u.quadlet.serviceName,
        u.quadlet.instance,
        u.quadlet.defaultInstance,
        u.quadlet.image,
        u.unit.sections.some((s) =>
          s.entries.some((e) => e.key === "Environment")
        ),
      ]),
      [
        [
          "worker@.container",
          "worker@.service",
          null,
          "one",
          "localhost/worker",
          true,
        ],
        // The template's drop-ins apply to its instances too.
        [
          "worker@three.container",
          "worker@three.service",
          "three",
          null,
          "other",
          true,
        ],
        [
          "worker@two.container",
          "worker@two.service",
          "two",
          null,
          "localhost/worker",
          true,
        ],
      ],
    );
  });
});
