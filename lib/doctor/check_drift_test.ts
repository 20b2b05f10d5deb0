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

Deno.test("checkDrift() warns of drop-ins leger did not install, with the line that drops each or keeping them", async (t) => {
  const zz = { path: "web.container.d/zz.conf", units: ["web.container"] };
  const wide = {
    path: "container.d/zz.conf",
    units: ["web.container", "web-db.container"],
  };
  const cases: {
    name: string;
    facts: Partial<DriftFacts>;
    status: string;
    title: string;
    detail: RegExp;
    fix: string[];
  }[] = [
    {
      name: "one drop-in, files unchanged: warn, not pass",
      facts: { foreignDropIns: [zz] },
      status: "warn",
      title: "web: 1 drop-in leger did not install changes its units",
      detail:
        /^Its 3 files are as leger installed them, but:\nDrop-in not installed by leger: \/home\/a\/\.config\/containers\/systemd\/web\.container\.d\/zz\.conf changes web\.container \(systemd runs it with it/,
      fix: [
        "rm /home/a/.config/containers/systemd/web.container.d/zz.conf && systemctl --user daemon-reload && leger service restart web   # drops it",
        "# or keep it (added on purpose): nothing to do",
      ],
    },
    {
      name: "two, in the system scope named with --scope",
      facts: {
        foreignDropIns: [wide, zz],
        scope: "system",
        scopeFlag: true,
        quadletDir: "/etc/containers/systemd",
      },
      status: "warn",
      title: "web: 2 drop-ins leger did not install change its units",
      detail:
        /\nDrop-in not installed by leger: \/etc\/containers\/systemd\/container\.d\/zz\.conf changes web\.container, web-db\.container \(systemd runs them/,
      fix: [
        "rm /etc/containers/systemd/container.d/zz.conf && systemctl daemon-reload && leger service restart web --scope system   # drops it",
        "rm /etc/containers/systemd/web.container.d/zz.conf && systemctl daemon-reload && leger service restart web --scope system   # drops it",
        "# or keep them (added on purpose): nothing to do",
      ],
    },
    {
      name: "a deployment without services: nothing to restart",
      facts: {
        foreignDropIns: [{
          path: "volume.d/zz.conf",
          units: ["web-data.volume"],
        }],
        hasServices: false,
      },
      status: "warn",
      title: "web: 1 drop-in leger did not install changes its units",
      detail: /volume\.d\/zz\.conf changes web-data\.volume/,
      fix: [
        "rm /home/a/.config/containers/systemd/volume.d/zz.conf && systemctl --user daemon-reload   # drops it",
        "# or keep it (added on purpose): nothing to do",
      ],
    },
    {
      name: "a changed file too: still a fail, the drop-in named after",
      facts: {
        foreignDropIns: [zz],
        actual: new Map([
          ["web.container", "ff"],
          ["web.container.d/10-port.conf", "bb"],
          ["web-data.volume", "cc"],
        ]),
      },
      status: "fail",
      title: "web: 1 changed outside leger",
      detail:
        /^Changed outside leger: web\.container\.[^\n]*\nDrop-in not installed by leger: \S+web\.container\.d\/zz\.conf/,
      fix: [
        "diff -u '/home/a/.local/share/bluebuild-quadlets/active/my web/web.container' /home/a/.config/containers/systemd/web.container   # what changed",
        "install -D -m 644 '/home/a/.local/share/bluebuild-quadlets/active/my web/web.container' /home/a/.config/containers/systemd/web.container   # puts back what leger installed",
        "systemctl --user daemon-reload",
        "leger service restart web   # runs it as installed",
        "rm /home/a/.config/containers/systemd/web.container.d/zz.conf && systemctl --user daemon-reload && leger service restart web   # drops it",
        "# or keep it (added on purpose): nothing to do",
      ],
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      const check = checkDrift({ ...FACTS, ...c.facts });
      deepStrictEqual([check.id, check.status, check.title], [
        "drift:web",
        c.status,
        c.title,
      ]);
      match(check.detail, c.detail);
      deepStrictEqual(check.fix!.split("\n"), c.fix);
    });
  }
});

Deno.test("checkDrift() restarts nothing to fix a deployment without services", () => {
  const check = checkDrift({
    ...FACTS,
    installed: [{ name: "web-data.volume", sha256: "cc" }],
    actual: new Map([["web-data.volume", null]]),
    hasServices: false,
  });
  strictEqual(check.status, "fail");
  deepStrictEqual(check.fix!.split("\n"), [
    "install -D -m 644 '/home/a/.local/share/bluebuild-quadlets/active/my web/web-data.volume' /home/a/.config/containers/systemd/web-data.volume   # puts back what leger installed",
    "systemctl --user daemon-reload",
  ]);
});
