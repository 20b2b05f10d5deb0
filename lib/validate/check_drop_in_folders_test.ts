import { deepStrictEqual, match, strictEqual } from "node:assert/strict";
import { checkDropInFolders } from "./check_drop_in_folders.ts";

Deno.test("checkDropInFolders() refuses a file named like a drop-in folder", async (t) => {
  const cases: { path: string; target: RegExp }[] = [
    { path: "web.container.d", target: /drop-ins for web\.container,/ },
    { path: "container.d", target: /drop-ins for every \.container unit,/ },
    {
      path: "shop-.container.d",
      target: /every \.container unit whose name starts with "shop-"/,
    },
    {
      path: "shop-@.container.d",
      target: /every \.container unit whose name starts with "shop-"/,
    },
    { path: "app@.container.d", target: /every instance of app@\.container/ },
    { path: "sub/data.volume.d", target: /drop-ins for data\.volume,/ },
  ];
  for (const c of cases) {
    await t.step(c.path, () => {
      const [finding] = checkDropInFolders([c.path]);
      strictEqual(finding.code, "ERR_UNIT_NAME_INVALID");
      strictEqual(finding.file, c.path);
      match(
        finding.message,
        new RegExp(`^Cannot use "${c.path.replace(/[.]/g, "\\.")}" as a file`),
      );
      match(finding.message, c.target);
      match(finding.message, /"not a directory"/);
      strictEqual(
        finding.remedy,
        `Make ${c.path} a folder and move its settings into a file in it whose name ends in .conf, such as ${c.path}/10-override.conf`,
      );
    });
  }
});

Deno.test("checkDropInFolders() leaves folders and other names alone", () => {
  deepStrictEqual(
    checkDropInFolders([
      "web.container",
      "web.container.d/10-limits.conf",
      "container.d/10-common.conf",
      "conf.d",
      "rc.d",
      "notes.d",
      "web.service.d",
    ]),
    [],
  );
});

Deno.test("checkDropInFolders() refuses a folder named like a unit, once per folder", async (t) => {
  const cases: { files: string[]; folder: string; ext: string }[] = [
    {
      files: ["db.container/init.sql"],
      folder: "db.container",
      ext: ".container",
    },
    {
      files: ["web.container", "db.container/a.sql", "db.container/b/c.sql"],
      folder: "db.container",
      ext: ".container",
    },
    { files: ["data.volume/seed.txt"], folder: "data.volume", ext: ".volume" },
    { files: ["net.network/x"], folder: "net.network", ext: ".network" },
    { files: ["app.pod/x"], folder: "app.pod", ext: ".pod" },
    { files: ["app.kube/app.yaml"], folder: "app.kube", ext: ".kube" },
    { files: ["base.image/x"], folder: "base.image", ext: ".image" },
    { files: ["web.build/Containerfile"], folder: "web.build", ext: ".build" },
    { files: ["model.artifact/x"], folder: "model.artifact", ext: ".artifact" },
  ];
  for (const c of cases) {
    await t.step(c.folder, () => {
      const findings = checkDropInFolders(c.files);
      strictEqual(findings.length, 1, JSON.stringify(findings));
      const [finding] = findings;
      strictEqual(finding.code, "ERR_UNIT_NAME_INVALID");
      strictEqual(finding.severity, undefined);
      strictEqual(finding.file, c.folder);
      match(
        finding.message,
        new RegExp(`^Cannot use "${c.folder}" as a folder`),
      );
      match(finding.message, new RegExp(`ends in \\${c.ext} as a unit`));
      match(finding.remedy!, new RegExp(`^Rename the folder ${c.folder} `));
      match(finding.remedy!, new RegExp(`name it ${c.folder}\\.d`));
    });
  }
});

Deno.test("checkDropInFolders() leaves drop-in folders and nested unit-like names alone", () => {
  deepStrictEqual(
    checkDropInFolders([
      "db.container.d/10-a.conf",
      "site/db.container/x",
      "container.d/10-common.conf",
      ".container/x",
      "db.service/x",
    ]),
    [],
  );
});
