import { deepStrictEqual, ok, rejects, strictEqual } from "node:assert/strict";
import { LegerError } from "../errors/mod.ts";
import { readLocalSource } from "./read_local_source.ts";
import { sha256Hex } from "./sha256_hex.ts";

const RENDERED = new URL(
  "../../tests/testdata/leger-run-rendered/",
  import.meta.url,
);
const MIB = 1024 * 1024;
const text = (s: string) => new TextEncoder().encode(s);

/** Paths relative to a fresh temp folder; `{ link }` makes a symbolic link. */
type Tree = Record<string, string | Uint8Array | { link: string }>;

async function withTree(
  tree: Tree,
  fn: (base: string) => Promise<void>,
): Promise<void> {
  const base = await Deno.realPath(
    await Deno.makeTempDir({ prefix: "leger_" }),
  );
  try {
    for (const [path, content] of Object.entries(tree)) {
      const absolute = `${base}/${path}`;
      await Deno.mkdir(absolute.slice(0, absolute.lastIndexOf("/")), {
        recursive: true,
      });
      if (typeof content === "string") {
        await Deno.writeTextFile(absolute, content);
      } else if (content instanceof Uint8Array) {
        await Deno.writeFile(absolute, content);
      } else await Deno.symlink(content.link, absolute);
    }
    await fn(base);
  } finally {
    await Deno.remove(base, { recursive: true });
  }
}

async function rejectsWith(
  promise: Promise<unknown>,
  code: string,
  check: (err: LegerError) => void = () => {},
): Promise<void> {
  await rejects(promise, (err: unknown) => {
    ok(err instanceof LegerError, String(err));
    strictEqual(err.code, code, err.message);
    check(err);
    return true;
  });
}

Deno.test("readLocalSource() loads the rendered leger.run folders when their checksums match", async (t) => {
  for (
    const [version, count, units] of [["v1", 20, 20], ["v2", 18, 18]] as const
  ) {
    await t.step(version, async () => {
      const folder = new URL(version, RENDERED).pathname;
      const deployment = await readLocalSource(folder);
      strictEqual(deployment.name, version);
      deepStrictEqual(deployment.source, {
        type: "local",
        location: await Deno.realPath(folder),
        version: "1",
      });
      strictEqual(deployment.manifest.form, "cli");
      strictEqual(deployment.files.length, count);
      // The manifest describes the deployment; it is not one of its files.
      ok(!deployment.files.some((f) => f.path === "manifest.json"));
      deepStrictEqual(
        deployment.files.map((f) => f.path),
        deployment.files.map((f) => f.path).sort(),
      );
      deepStrictEqual(deployment.manifest.units?.network, ["llm.network"]);
      strictEqual(
        Object.values(deployment.manifest.units ?? {}).flat().length,
        units,
      );
      const caddy = deployment.files.find((f) => f.path === "caddy.container")!;
      strictEqual(
        caddy.sha256,
        "cd11e2c41271a1c37df86060ea685fd590791ba7c1639b0138181df8947e25b4",
      );
      strictEqual(caddy.sha256, await sha256Hex(caddy.bytes));
    });
  }
});

Deno.test("readLocalSource() walks drop-in and config folders when they are nested", async () => {
  await withTree({
    "app/web.container": "[Container]\nImage=nginx\n",
    "app/web.container.d/10-limits.conf": "[Container]\nMemory=1g\n",
    "app/container.d/50-common.conf": "[Container]\nAutoUpdate=registry\n",
    "app/config/nginx/nginx.conf": "worker_processes 1;\n",
    "app/config/logo.png": new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0xff, 0xfe]),
    "app/data.volume": "[Volume]\n",
  }, async (base) => {
    const deployment = await readLocalSource(`${base}/app`);
    deepStrictEqual(deployment.files.map((f) => f.path), [
      "config/logo.png",
      "config/nginx/nginx.conf",
      "container.d/50-common.conf",
      "data.volume",
      "web.container",
      "web.container.d/10-limits.conf",
    ]);
    strictEqual(deployment.name, "app");
    strictEqual(deployment.manifest.form, "discovered");
    deepStrictEqual(deployment.manifest.units, {
      volume: ["data.volume"],
      container: ["web.container"],
    });
    deepStrictEqual(deployment.manifest.services, [{
      name: "web",
      quadletFile: "web.container",
    }]);
    strictEqual(
      new TextDecoder().decode(deployment.files[5].bytes),
      "[Container]\nMemory=1g\n",
    );
  });
});

Deno.test("readLocalSource() follows links when they stay inside the folder", async () => {
  await withTree({
    "app/units/web.container": "[Container]\nImage=nginx\n",
    "app/web.container": { link: "units/web.container" },
    "app/config/Caddyfile": ":80\n",
    "app/conf": { link: "config" },
    "app/config/loop": { link: ".." },
  }, async (base) => {
    const deployment = await readLocalSource(`${base}/app`);
    deepStrictEqual(deployment.files.map((f) => f.path), [
      "conf/Caddyfile",
      "config/Caddyfile",
      "units/web.container",
      "web.container",
    ]);
    strictEqual(
      new TextDecoder().decode(deployment.files[3].bytes),
      "[Container]\nImage=nginx\n",
    );
  });
});

Deno.test("readLocalSource() refuses a link when it leaves the folder or points nowhere", async (t) => {
  const cases: {
    name: string;
    tree: Tree;
    code: string;
    message: RegExp;
    target?: string;
  }[] = [
    {
      name: "file outside",
      tree: {
        "outside.txt": "secret",
        "app/web.container": "[Container]\n",
        "app/evil.conf": { link: "../outside.txt" },
      },
      code: "ERR_UNSAFE_PATH",
      message:
        /^Cannot read "evil\.conf": it is a link to "\.\.\/outside\.txt", outside the source folder /,
      target: "outside.txt",
    },
    {
      name: "folder outside, nested",
      tree: {
        "other/x.container": "[Container]\n",
        "app/web.container": "[Container]\n",
        "app/config/shared": { link: "../../other" },
      },
      code: "ERR_UNSAFE_PATH",
      message:
        /^Cannot read "config\/shared": it is a link to "\.\.\/\.\.\/other", outside/,
      target: "other",
    },
    {
      name: "absolute target",
      tree: {
        "app/web.container": "[Container]\n",
        "app/passwd": { link: "/etc/passwd" },
      },
      code: "ERR_UNSAFE_PATH",
      message: /it is a link to "\/etc\/passwd", outside the source folder/,
    },
    {
      name: "dangling",
      tree: {
        "app/web.container": "[Container]\n",
        "app/gone.env": { link: "nothing-here" },
      },
      code: "ERR_SOURCE_NOT_FOUND",
      message:
        /^Cannot read "gone\.env": it is a link to "nothing-here", which does not exist$/,
    },
    {
      name: "loop of links",
      tree: {
        "app/web.container": "[Container]\n",
        "app/a": { link: "b" },
        "app/b": { link: "a" },
      },
      code: "ERR_UNSAFE_PATH",
      message: /^Cannot read "a": it is a link in a loop of links$/,
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      await withTree(c.tree, async (base) => {
        await rejectsWith(readLocalSource(`${base}/app`), c.code, (err) => {
          ok(c.message.test(err.message), err.message);
          if (c.target !== undefined) {
            ok(
              err.details.includes(`target: ${base}/${c.target}`),
              err.details.join("\n"),
            );
          }
        });
      });
    });
  }
});

Deno.test("readLocalSource() refuses a file when it is over 1 MiB", async () => {
  await withTree({
    "app/web.container": "[Container]\n",
    "app/ok.bin": new Uint8Array(MIB),
    "app/models/big.bin": new Uint8Array(MIB + 1),
  }, async (base) => {
    await rejectsWith(
      readLocalSource(`${base}/app`),
      "ERR_FILE_TOO_LARGE",
      (err) => {
        strictEqual(
          err.message,
          'Cannot read "models/big.bin": it is 1048577 bytes, more than the limit of 1048576 bytes',
        );
        strictEqual(err.file, "models/big.bin");
      },
    );
    await Deno.remove(`${base}/app/models/big.bin`);
    strictEqual((await readLocalSource(`${base}/app`)).files.length, 2);
  });
});

Deno.test("readLocalSource() enforces the total and count limits when given smaller ones", async () => {
  await withTree(
    { "app/a.container": "1234", "app/b.container": "5678" },
    async (base) => {
      await rejectsWith(
        readLocalSource(`${base}/app`, { maxTotalSize: 7 }),
        "ERR_FILE_TOO_LARGE",
        (err) => {
          ok(
            /its files total 8 bytes, more than the limit of 7 bytes/.test(
              err.message,
            ),
            err.message,
          );
        },
      );
      await rejectsWith(
        readLocalSource(`${base}/app`, { maxFiles: 1 }),
        "ERR_FILE_TOO_LARGE",
        (err) => {
          ok(/holds more than 1 files/.test(err.message), err.message);
        },
      );
    },
  );
});

Deno.test("readLocalSource() refuses a unit when it is not UTF-8", async (t) => {
  const latin1 = new Uint8Array([
    ...text("[Container]\nDescription=caf"),
    0xe9,
    ...text("\n"),
  ]);
  const cases: [string, Tree, string, number][] = [
    ["quadlet unit", { "app/web.container": latin1 }, "web.container", 2],
    [
      "drop-in",
      {
        "app/web.container": "[Container]\n",
        "app/web.container.d/10.conf": new Uint8Array([0x0a, 0x0a, 0xc0, 0x80]),
      },
      "web.container.d/10.conf",
      3,
    ],
    [
      "unit in a subfolder",
      {
        "app/web.container": "[Container]\n",
        "app/more/x.network": new Uint8Array([0xff]),
      },
      "more/x.network",
      1,
    ],
  ];
  for (const [name, tree, file, line] of cases) {
    await t.step(name, async () => {
      await withTree(tree, async (base) => {
        await rejectsWith(
          readLocalSource(`${base}/app`),
          "ERR_NOT_UTF8",
          (err) => {
            strictEqual(err.file, file);
            strictEqual(err.line, line);
            ok(
              err.message.startsWith(
                `Cannot read "${file}": it is not valid UTF-8 text (byte `,
              ),
              err.message,
            );
          },
        );
      });
    });
  }
});

Deno.test("readLocalSource() refuses a name when it holds a control character", async () => {
  await withTree({
    "app/web.container": "[Container]\n",
    "app/bad\x01name.env": "X=1\n",
  }, async (base) => {
    await rejectsWith(
      readLocalSource(`${base}/app`),
      "ERR_UNSAFE_PATH",
      (err) => {
        ok(
          err.message.startsWith('Cannot read "bad\\u0001name.env"'),
          err.message,
        );
      },
    );
  });
});

Deno.test("readLocalSource() reports no units when the top of the folder holds none", async (t) => {
  const cases: [string, Tree, string[]][] = [
    ["empty", { "app/.keep": "" }, []],
    ["only config", {
      "app/README.md": "# x\n",
      "app/web.container.d/a.conf": "[Container]\n",
    }, []],
    [
      "units only in a subfolder",
      { "app/sub/web.container": "[Container]\n" },
      [
        "units in subfolders are not deployed: sub/web.container",
      ],
    ],
  ];
  for (const [name, tree, details] of cases) {
    await t.step(name, async () => {
      await withTree(tree, async (base) => {
        await rejectsWith(
          readLocalSource(`${base}/app`),
          "ERR_NO_UNITS",
          (err) => {
            strictEqual(
              err.message,
              `Cannot use "${base}/app" as a deployment: it holds no quadlet unit`,
            );
            deepStrictEqual(err.details, details);
          },
        );
      });
    });
  }
});

Deno.test("readLocalSource() reports a missing source when the path is not a folder", async (t) => {
  await withTree({ "file.container": "[Container]\n" }, async (base) => {
    const cases: [
      string,
      string,
      Parameters<typeof readLocalSource>[1],
      RegExp,
    ][] = [
      [
        "missing",
        `${base}/nope`,
        {},
        /^Cannot read deployment folder ".*\/nope": it does not exist$/,
      ],
      ["a file", `${base}/file.container`, {}, /: it is a file, not a folder$/],
      ["below a file", `${base}/file.container/x`, {}, /: it does not exist$/],
      [
        "relative",
        "nope",
        { cwd: base },
        /^Cannot read deployment folder "nope" \(.*\/nope\): it does not exist$/,
      ],
      [
        "home unknown",
        "~/app",
        {},
        /^Cannot read deployment folder "~\/app": the home folder is not known$/,
      ],
      ["empty", "", {}, /the path is empty$/],
    ];
    for (const [name, path, options, message] of cases) {
      await t.step(name, async () => {
        await rejectsWith(
          readLocalSource(path, options),
          "ERR_SOURCE_NOT_FOUND",
          (err) => {
            ok(message.test(err.message), err.message);
            ok(err.remedy !== undefined);
          },
        );
      });
    }
  });
});

Deno.test("readLocalSource() skips .git when the folder is a checkout", async () => {
  await withTree({
    "app/web.container": "[Container]\n",
    "app/.git/config": "[core]\n",
    "app/.git/objects/big": new Uint8Array(MIB + 10),
    "app/sub/.git": "gitdir: ../../.git/modules/sub\n",
    "app/sub/x.env": "A=1\n",
    "app/.gitignore": "*.log\n",
  }, async (base) => {
    const deployment = await readLocalSource(`${base}/app`);
    deepStrictEqual(deployment.files.map((f) => f.path), [
      ".gitignore",
      "sub/x.env",
      "web.container",
    ]);
  });
});

Deno.test("readLocalSource() names the deployment when given a name, a folder or a home path", async (t) => {
  const cases: {
    name: string;
    tree: Tree;
    path: (base: string) => string;
    options?: (base: string) => object;
    expected: string;
  }[] = [
    {
      name: "folder name",
      tree: { "my-app/a.container": "" },
      path: (b) => `${b}/my-app`,
      expected: "my-app",
    },
    {
      name: "trailing slash",
      tree: { "my-app/a.container": "" },
      path: (b) => `${b}/my-app/`,
      expected: "my-app",
    },
    {
      name: ".leger.yaml name",
      tree: {
        "folder/a.container": "",
        "folder/.leger.yaml": "name: grafana\n",
      },
      path: (b) => `${b}/folder`,
      expected: "grafana",
    },
    {
      name: "home path",
      tree: { "home/dev/quads/a.container": "" },
      path: () => "~/dev/quads",
      options: (b) => ({ home: `${b}/home` }),
      expected: "quads",
    },
    {
      name: "relative path through a link",
      tree: { "real/a.container": "", "current": { link: "real" } },
      path: () => "./current",
      options: (b) => ({ cwd: b }),
      expected: "current",
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      await withTree(c.tree, async (base) => {
        const deployment = await readLocalSource(
          c.path(base),
          c.options?.(base),
        );
        strictEqual(deployment.name, c.expected);
        ok(
          !deployment.source.location.includes("~") &&
            deployment.source.location.startsWith(base),
        );
      });
    });
  }
});

Deno.test("readLocalSource() combines manifest.json and .leger.yaml when both exist", async () => {
  const unit = "[Container]\nImage=nginx\n";
  const manifest = {
    version: 3,
    services: [{
      name: "web",
      quadlet_file: "web.container",
      checksum: `sha256:${await sha256Hex(text(unit))}`,
    }],
  };
  await withTree({
    "app/web.container": unit,
    "app/manifest.json": JSON.stringify(manifest),
    "app/.leger.yaml":
      "name: site\ndescription: A site\nversion: 9\nrequires: [redis]\n",
  }, async (base) => {
    const deployment = await readLocalSource(`${base}/app`);
    strictEqual(deployment.name, "site");
    strictEqual(deployment.manifest.form, "cli");
    strictEqual(deployment.manifest.version, "3");
    strictEqual(deployment.manifest.description, "A site");
    deepStrictEqual(deployment.manifest.requires, ["redis"]);
    deepStrictEqual(deployment.files.map((f) => f.path), ["web.container"]);
  });
});

Deno.test("readLocalSource() uses .leger.yaml metadata with discovered units when it is alone", async () => {
  await withTree({
    "app/web.container": "[Container]\n",
    "app/.leger.yaml": "name: site\nvolumes: [data:/d]\n",
  }, async (base) => {
    const { manifest } = await readLocalSource(`${base}/app`);
    strictEqual(manifest.form, "leger.yaml");
    deepStrictEqual(manifest.services, [{
      name: "web",
      quadletFile: "web.container",
    }]);
    deepStrictEqual(manifest.volumes, [{ name: "data", mountPath: "/d" }]);
    deepStrictEqual(manifest.units, { container: ["web.container"] });
  });
});

Deno.test("readLocalSource() refuses the folder when its manifest is wrong", async (t) => {
  const unit = "[Container]\n";
  const good = `sha256:${await sha256Hex(text(unit))}`;
  const cases: [string, Tree, string, RegExp][] = [
    [
      "checksum mismatch",
      {
        "app/web.container": unit + "Image=changed\n",
        "app/manifest.json": JSON.stringify({
          services: [{
            name: "w",
            quadlet_file: "web.container",
            checksum: good,
          }],
        }),
      },
      "ERR_CHECKSUM_MISMATCH",
      /^Cannot accept "web\.container" from .*\/app: its SHA-256 does not match manifest\.json$/,
    ],
    [
      "listed file missing",
      {
        "app/web.container": unit,
        "app/manifest.json": JSON.stringify({
          services: [{
            name: "w",
            quadlet_file: "web.container",
            checksum: good,
          }],
          volumes: [{ name: "data" }],
        }),
      },
      "ERR_CHECKSUM_MISMATCH",
      /"data\.volume" from .*: manifest\.json lists it but the file is missing$/,
    ],
    [
      "unsafe name",
      {
        "app/web.container": unit,
        "app/manifest.json": JSON.stringify({
          services: [{
            name: "w",
            quadlet_file: "../web.container",
            checksum: good,
          }],
        }),
      },
      "ERR_UNSAFE_PATH",
      /^Cannot accept manifest\.json: services\[0\]\.quadlet_file is not a bare file name/,
    ],
    [
      "bad JSON",
      { "app/web.container": unit, "app/manifest.json": "{" },
      "ERR_MANIFEST_INVALID",
      /manifest\.json as JSON at line 1, column 2/,
    ],
    [
      "bad YAML",
      { "app/web.container": unit, "app/.leger.yaml": "a: [" },
      "ERR_MANIFEST_INVALID",
      /\.leger\.yaml as YAML at line 1/,
    ],
    [
      "manifest not UTF-8",
      {
        "app/web.container": unit,
        "app/.leger.yaml": new Uint8Array([0x6e, 0x3a, 0xff]),
      },
      "ERR_MANIFEST_INVALID",
      /^Cannot read \.leger\.yaml: it is not valid UTF-8 text \(byte 2 at line 1\)$/,
    ],
  ];
  for (const [name, tree, code, message] of cases) {
    await t.step(name, async () => {
      await withTree(tree, async (base) => {
        await rejectsWith(
          readLocalSource(`${base}/app`),
          code,
          (err) => ok(message.test(err.message), err.message),
        );
      });
    });
  }
});
