import { deepStrictEqual, match, strictEqual } from "node:assert/strict";
import { findFileConflicts } from "./find_file_conflicts.ts";
import { findConflicts } from "./find_conflicts.ts";
import { parseUnit } from "../unit/parse_unit.ts";
import { toQuadletUnit } from "../quadlet/to_quadlet_unit.ts";
import type { QuadletUnit } from "../quadlet/types.ts";
import type { HostFile, HostSnapshot, InstalledQuadlet } from "./types.ts";

const DIR = "/home/u/.config/containers/systemd";

function unit(file: string, text: string): QuadletUnit {
  return toQuadletUnit(parseUnit(text, { file }), { unitDir: DIR });
}

function site(file: string): QuadletUnit {
  return unit(
    file,
    "[Container]\nImage=busybox\nVolume=./site:/srv:ro\n",
  );
}

function host(
  files: HostFile[],
  installed: InstalledQuadlet[] = [],
): HostSnapshot {
  return { installed, listening: [], volumes: [], quadletDir: DIR, files };
}

Deno.test("findFileConflicts() refuses a file another deployment put in the quadlet folder, even forced", () => {
  const findings = findFileConflicts(
    [site("shop.container")],
    host([
      { path: "blog.container", deployment: "blog" },
      { path: "site/index.html", deployment: "blog" },
    ], [{ deployment: "blog", quadlet: site("blog.container") }]),
    {
      deployment: "shop",
      files: ["shop.container", "site/index.html"],
    },
  );
  deepStrictEqual(findings, [{
    code: "ERR_NAME_CONFLICT",
    message:
      `Cannot install "site/index.html": "site/index.html" is already in the quadlet folder (${DIR}/site/index.html) and belongs to deployment "blog"; --force does not overwrite it`,
    file: "site/index.html",
    remedy:
      'Podman resolves Volume=./site against the quadlet folder, which every deployment shares: rename site (and Volume=./site) in "shop", for example to shop-site, or remove the other deployment with `leger deploy remove blog`',
    forcible: false,
  }]);
});

Deno.test("findFileConflicts() refuses a file installed outside leger, even forced", () => {
  const [finding] = findFileConflicts(
    [],
    host([{ path: "web.container" }]),
    { deployment: "shop", files: ["web.container"] },
  );
  strictEqual(finding.forcible, false);
  match(
    finding.message,
    /belongs to no deployment \(it was installed outside leger\); --force does not overwrite it/,
  );
  match(finding.remedy!, new RegExp(`move ${DIR}/web\\.container away`));
});

Deno.test("findFileConflicts() refuses a file of another deployment where a folder is needed", () => {
  const [finding] = findFileConflicts(
    [],
    host([{ path: "site", deployment: "blog" }]),
    { deployment: "shop", files: ["site/index.html"] },
  );
  strictEqual(finding.file, "site/index.html");
  match(finding.message, /"site", where it needs a folder, is already a file/);
});

Deno.test("findFileConflicts() takes the deployment's own files as its earlier version", () => {
  deepStrictEqual(
    findFileConflicts(
      [site("shop.container")],
      host(
        [
          { path: "shop.container", deployment: "shop" },
          { path: "site/index.html", deployment: "shop" },
        ],
        [{ deployment: "shop", quadlet: site("shop.container") }],
      ),
      { deployment: "shop", files: ["shop.container", "site/index.html"] },
    ),
    [],
  );
});

Deno.test("findFileConflicts() finds a folder two deployments would share through Volume=./site", async (t) => {
  await t.step("it holds files of another deployment", () => {
    const findings = findFileConflicts(
      [site("shop.container")],
      host([{ path: "site/index.html", deployment: "blog" }]),
      { deployment: "shop", files: ["shop.container", "site/about.html"] },
    );
    deepStrictEqual(findings, [{
      code: "ERR_NAME_CONFLICT",
      message:
        `Cannot mount Volume=./site of "shop.container": Podman resolves it to ${DIR}/site, which holds files of deployment "blog" (site/index.html), so both would share them`,
      file: "shop.container",
      line: 3,
      remedy:
        "Give this deployment's folder a name of its own (rename site and Volume=), or remove the other deployment with `leger deploy remove blog`",
    }]);
  });
  await t.step("another deployment's unit mounts it too", () => {
    const findings = findFileConflicts(
      [site("shop.container")],
      host([], [{ deployment: "blog", quadlet: site("blog.container") }]),
      { deployment: "shop", files: ["shop.container"] },
    );
    deepStrictEqual(findings.map((f) => [f.file, f.line, f.forcible]), [[
      "shop.container",
      3,
      undefined,
    ]]);
    match(
      findings[0].message,
      /which "blog\.container" \(deployment "blog"\) mounts too/,
    );
  });
  await t.step(
    "a file of the deployment lands in a folder another unit mounts",
    () => {
      const findings = findFileConflicts(
        [],
        host([], [{ quadlet: site("notes.container") }]),
        { deployment: "shop", files: ["site/extra.html"] },
      );
      deepStrictEqual(findings.map((f) => f.message), [
        `Cannot install "site/extra.html": it would land in ${DIR}/site, which "notes.container" (installed outside leger) mounts with Volume=./site`,
      ]);
    },
  );
  await t.step("one finding per folder and deployment", () => {
    const findings = findFileConflicts(
      [site("shop.container")],
      host(
        [
          { path: "site/index.html", deployment: "blog" },
          { path: "site/about.html", deployment: "blog" },
        ],
        [{ deployment: "blog", quadlet: site("blog.container") }],
      ),
      { deployment: "shop", files: ["shop.container", "site/index.html"] },
    );
    deepStrictEqual(findings.map((f) => [f.file, f.forcible]), [
      ["site/index.html", false],
    ]);
  });
});

Deno.test("findFileConflicts() leaves other folders and absolute paths alone", () => {
  deepStrictEqual(
    findFileConflicts(
      [unit(
        "shop.container",
        "[Container]\nImage=x\nVolume=./shop-site:/srv\nVolume=/srv/site:/data\n",
      )],
      host(
        [{ path: "site/index.html", deployment: "blog" }],
        [{
          deployment: "blog",
          quadlet: unit(
            "blog.container",
            "[Container]\nImage=x\nVolume=/srv/site:/data\n",
          ),
        }],
      ),
      { deployment: "shop", files: ["shop.container", "shop-site/index.html"] },
    ),
    [],
  );
});

Deno.test("findConflicts() includes the file conflicts", () => {
  deepStrictEqual(
    findConflicts([], host([{ path: "a.conf", deployment: "blog" }]), {
      deployment: "shop",
      files: ["a.conf"],
    }).map((f) => f.code),
    ["ERR_NAME_CONFLICT"],
  );
});

Deno.test("findFileConflicts() refuses a symbolic link on the way to a file, naming where it points, even forced", () => {
  const findings = findFileConflicts(
    [site("shop.container")],
    host([{ path: "site", linkTarget: "/elsewhere" }]),
    { deployment: "shop", files: ["shop.container", "site/index.html"] },
  );
  deepStrictEqual(
    findings.map((f) => [f.code, f.file, f.forcible]),
    [["ERR_NAME_CONFLICT", "site/index.html", false]],
  );
  match(
    findings[0].message,
    /"site" in the quadlet folder is a symbolic link to \/elsewhere \(\/home\/u\/\.config\/containers\/systemd\/site\), so the install would write through it/,
  );
  match(
    findings[0].remedy!,
    /remove the link \/home\/u\/\.config\/containers\/systemd\/site/,
  );
  match(findings[0].remedy!, /rename site \(and Volume=\.\/site\)/);
});
