import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { findDropInConflicts } from "./find_drop_in_conflicts.ts";
import { findConflicts } from "./find_conflicts.ts";
import { makeQuadlet } from "../testing/make_quadlet.ts";
import type { HostSnapshot, InstalledQuadlet } from "./types.ts";

function host(installed: InstalledQuadlet[]): HostSnapshot {
  return { installed, listening: [], volumes: [] };
}

const HOST = host([
  { deployment: "blog", quadlet: makeQuadlet("blog.container") },
  { deployment: "shop", quadlet: makeQuadlet("shop-web.container") },
  { quadlet: makeQuadlet("shop-legacy.container") },
  { deployment: "wiki", quadlet: makeQuadlet("wiki@one.container") },
  { deployment: "blog", quadlet: makeQuadlet("blog-data.volume") },
]);

Deno.test("findDropInConflicts() names the units outside the deployment a drop-in reaches", async (t) => {
  const cases: {
    name: string;
    file: string;
    message: string;
  }[] = [
    {
      name: "type-wide container.d",
      file: "container.d/10-common.conf",
      message:
        'Cannot install the drop-ins in "container.d/": Podman applies container.d/ to every .container unit, so they would also change 3 units outside "shop": blog.container (deployment "blog"), shop-legacy.container (installed outside leger), wiki@one.container (deployment "wiki")',
    },
    {
      name: "a prefix form",
      file: "shop-.container.d/10-limits.conf",
      message:
        'Cannot install the drop-ins in "shop-.container.d/": Podman applies shop-.container.d/ to every .container unit whose name starts with "shop-", so they would also change 1 unit outside "shop": shop-legacy.container (installed outside leger)',
    },
    {
      name: "a template form",
      file: "wiki@.container.d/10-x.conf",
      message:
        'Cannot install the drop-ins in "wiki@.container.d/": Podman applies wiki@.container.d/ to every instance of wiki@.container, so they would also change 1 unit outside "shop": wiki@one.container (deployment "wiki")',
    },
    {
      name: "another deployment's unit by name",
      file: "blog.container.d/10-x.conf",
      message:
        'Cannot install the drop-ins in "blog.container.d/": Podman applies blog.container.d/ to blog.container, so they would also change 1 unit outside "shop": blog.container (deployment "blog")',
    },
    {
      name: "a type-wide folder in a subfolder",
      file: "extra/volume.d/10-x.conf",
      message:
        'Cannot install the drop-ins in "extra/volume.d/": Podman applies volume.d/ to every .volume unit, so they would also change 1 unit outside "shop": blog-data.volume (deployment "blog")',
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      const findings = findDropInConflicts(HOST, {
        deployment: "shop",
        files: ["shop-web.container", c.file],
      });
      strictEqual(findings.length, 1);
      const [finding] = findings;
      strictEqual(finding.code, "ERR_DROPIN_SCOPE");
      strictEqual(finding.severity, undefined);
      strictEqual(finding.file, c.file);
      strictEqual(finding.message, c.message);
    });
  }
});

Deno.test("findDropInConflicts() suggests a folder named after the deployment's own unit", () => {
  const [finding] = findDropInConflicts(HOST, {
    deployment: "shop",
    files: ["shop-web.container", "container.d/10-common.conf"],
  });
  strictEqual(
    finding.remedy,
    "Move the settings into a drop-in folder named after the units they are meant for (such as shop-web.container.d/), or pass --force to change those units too",
  );
});

Deno.test("findDropInConflicts() lists at most five units", () => {
  const many = host(
    ["a", "b", "c", "d", "e", "f", "g"].map((n) => ({
      deployment: "other",
      quadlet: makeQuadlet(`${n}.container`),
    })),
  );
  const [finding] = findDropInConflicts(many, {
    deployment: "shop",
    files: ["container.d/10-a.conf"],
  });
  strictEqual(
    finding.message.endsWith('e.container (deployment "other") and 2 more'),
    true,
  );
});

Deno.test("findDropInConflicts() warns about a wide drop-in that reaches nothing outside yet", () => {
  const findings = findDropInConflicts(
    host([{ deployment: "shop", quadlet: makeQuadlet("shop-web.container") }]),
    {
      deployment: "shop",
      files: ["shop-web.container", "container.d/10-common.conf"],
    },
  );
  deepStrictEqual(findings.map((f) => [f.code, f.severity, f.file]), [
    ["ERR_DROPIN_SCOPE", "warning", "container.d/10-common.conf"],
  ]);
  strictEqual(
    findings[0].message,
    'The drop-ins in "container.d/" apply to every .container unit on this host: no unit outside "shop" has one today, but every matching unit installed later will get them',
  );
});

Deno.test("findDropInConflicts() leaves the deployment's own drop-ins alone", () => {
  deepStrictEqual(
    findDropInConflicts(HOST, {
      deployment: "shop",
      files: [
        "shop-web.container",
        "shop-web.container.d/10-limits.conf",
        "shop-web.container.d/README",
        "new.container.d/10-x.conf",
        "conf.d/app.conf",
        "container.d/notes.txt",
      ],
    }),
    [],
  );
});

Deno.test("findConflicts() includes the drop-in conflicts", () => {
  deepStrictEqual(
    findConflicts([], HOST, {
      deployment: "shop",
      files: ["container.d/10-common.conf"],
    }).map((f) => f.code),
    ["ERR_DROPIN_SCOPE"],
  );
});
