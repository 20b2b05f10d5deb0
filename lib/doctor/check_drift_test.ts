import { deepStrictEqual, match, strictEqual } from "node:assert/strict";
import { checkDrift, type DriftFacts } from "./check_drift.ts";

const FACTS: DriftFacts = {
  deployment: "web",
  scope: "user",
  scopeFlag: false,
  installed: [
    { name: "web.container", sha256: "aa" },
    { name: "web.container.d/10-port.conf", sha256: "bb" },
    { name: "web-data.volume", sha256: "cc" },
  ],
  actual: new Map([
    ["web.container", "aa"],
    ["web.container.d/10-port.conf", "bb"],
    ["web-data.volume", "cc"],
  ]),
  quadletDir: "/home/a/.config/containers/systemd",
  activeDir: "/home/a/.local/share/bluebuild-quadlets/active/my web",
};

Deno.test("checkDrift() passes files as leger installed them", () => {
  const check = checkDrift(FACTS);
  deepStrictEqual([check.status, check.title, check.fix], [
    "pass",
    "web: its 3 files are as leger installed them",
    null,
  ]);
});

Deno.test("checkDrift() fails a file edited and one removed outside leger, with the diff and leger's copy put back", () => {
  const check = checkDrift({
    ...FACTS,
    actual: new Map([
      ["web.container", "ff"],
      ["web.container.d/10-port.conf", "bb"],
      ["web-data.volume", null],
    ]),
  });
  strictEqual(check.status, "fail");
  strictEqual(check.id, "drift:web");
  strictEqual(check.title, "web: 1 changed, 1 removed outside leger");
  match(
    check.detail,
    /^Changed outside leger: web\.container\. systemd runs the edit from its next daemon-reload, and `leger deploy update` keeps it/,
  );
  match(
    check.detail,
    /\nRemoved outside leger: web-data\.volume \(from \/home\/a\/.config\/containers\/systemd\)\.$/,
  );
  deepStrictEqual(check.fix!.split("\n"), [
    "diff -u '/home/a/.local/share/bluebuild-quadlets/active/my web/web.container' /home/a/.config/containers/systemd/web.container   # what changed",
    "install -D -m 644 '/home/a/.local/share/bluebuild-quadlets/active/my web/web.container' /home/a/.config/containers/systemd/web.container   # puts back what leger installed",
    "install -D -m 644 '/home/a/.local/share/bluebuild-quadlets/active/my web/web-data.volume' /home/a/.config/containers/systemd/web-data.volume   # puts back what leger installed",
    "systemctl --user daemon-reload",
    "leger service restart web   # runs it as installed",
  ]);
  // Another scope than the user's default is named.
  const system = checkDrift({
    ...FACTS,
    scope: "system",
    scopeFlag: true,
    actual: new Map(FACTS.installed.map((f) => [f.name, null])),
  });
  strictEqual(system.title, "web: 3 removed outside leger");
  match(
    system.fix!,
    /\nsystemctl daemon-reload\nleger service restart web --scope system /,
  );
});
