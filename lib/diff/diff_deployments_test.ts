import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { diffDeployments } from "./diff_deployments.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

Deno.test("diffDeployments() gives a unified diff of a modified file", () => {
  const diff = diffDeployments(
    new Map([[
      "web.container",
      bytes("[Container]\nImage=a\nPublishPort=80\n"),
    ]]),
    new Map([[
      "web.container",
      bytes("[Container]\nImage=b\nPublishPort=80\n"),
    ]]),
  );
  strictEqual(
    diff.files[0].patch,
    [
      "--- a/web.container",
      "+++ b/web.container",
      "@@ -1,3 +1,3 @@",
      " [Container]",
      "-Image=a",
      "+Image=b",
      " PublishPort=80",
      "",
    ].join("\n"),
  );
});

Deno.test("diffDeployments() lists added, removed and unchanged files, drop-ins included", () => {
  const diff = diffDeployments(
    new Map([
      ["db.container", bytes("[Container]\nImage=pg\n")],
      ["old.volume", bytes("[Volume]\n")],
    ]),
    new Map([
      ["db.container", bytes("[Container]\nImage=pg\n")],
      [
        "web.container.d/10-limits.conf",
        bytes("[Container]\nPodmanArgs=--memory=1g\n"),
      ],
    ]),
  );
  deepStrictEqual(diff.files.map((f) => [f.name, f.status]), [
    ["old.volume", "removed"],
    ["web.container.d/10-limits.conf", "added"],
  ]);
  deepStrictEqual(diff.summary, {
    modified: 0,
    added: 1,
    removed: 1,
    unchanged: 1,
  });
  strictEqual(
    diff.files[0].patch.split("\n").slice(0, 2).join("\n"),
    "--- a/old.volume\n+++ /dev/null",
  );
  strictEqual(
    diff.files[1].patch.split("\n")[1],
    "+++ b/web.container.d/10-limits.conf",
  );
});

Deno.test("diffDeployments() notes a binary file instead of diffing it", () => {
  const diff = diffDeployments(
    new Map([["logo.png", new Uint8Array([0xff, 0xfe, 0x00])]]),
    new Map([["logo.png", new Uint8Array([0xff, 0xfe, 0x01])]]),
  );
  strictEqual(
    diff.files[0].patch,
    "Binary files a/logo.png and b/logo.png differ\n",
  );
});
