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
