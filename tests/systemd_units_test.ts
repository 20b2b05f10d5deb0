/**
 * legerd's systemd units (`systemd/user/legerd.service`,
 * `systemd/system/legerd.service`): what they promise, read with lib's unit
 * parser, and `systemd-analyze verify` on each when it is installed (the
 * test is ignored, saying so, when it is not). `verify` wants ExecStart='s
 * program to exist: it checks a copy whose ExecStart= names this Deno.
 *
 * @module
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { lookupLast } from "../lib/unit/lookup.ts";
import { parseUnit } from "../lib/unit/parse_unit.ts";
import type { UnitFile } from "../lib/unit/types.ts";
import { EX_CONFIG } from "../daemon/main.ts";
import { ROOT } from "./_leger.ts";

const SCOPES = ["user", "system"] as const;
type UnitScope = typeof SCOPES[number];

function unitPath(scope: UnitScope): string {
  return `${ROOT}/systemd/${scope}/legerd.service`;
}

async function readUnit(
  scope: UnitScope,
): Promise<{ text: string; unit: UnitFile }> {
  const text = await Deno.readTextFile(unitPath(scope));
  return { text, unit: parseUnit(text, { file: `${scope}/legerd.service` }) };
}

function value(
  unit: UnitFile,
  section: string,
  key: string,
): string | undefined {
  return lookupLast(unit, section, key)?.value;
}

function systemdAnalyze(): { ok: true } | { ok: false; reason: string } {
  try {
    const probe = new Deno.Command("systemd-analyze", {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    })
      .outputSync();
    return probe.success
      ? { ok: true }
      : { ok: false, reason: "systemd-analyze --version fails here" };
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      return {
        ok: false,
        reason: "systemd-analyze is not installed (apt-get install systemd)",
      };
    }
    throw error;
  }
}

const ANALYZE = systemdAnalyze();
/** The tests that need systemd-analyze say why they are ignored, in their name. */
const IGNORED = ANALYZE.ok ? "" : ` (ignored: ${ANALYZE.reason})`;

/** Runs `systemd-analyze [--user] verify` on a copy of the unit text; returns its exit code and the lines about the unit. */
async function verify(
  scope: UnitScope,
  text: string,
): Promise<{ code: number; lines: string[] }> {
  const dir = await Deno.makeTempDir({ prefix: "leger_units_" });
  try {
    const runtime = `${dir}/run`;
    await Deno.mkdir(runtime, { mode: 0o700 });
    const path = `${dir}/legerd.service`;
    await Deno.writeTextFile(
      path,
      text.replace(
        /^ExecStart=\/usr\/bin\/legerd$/m,
        `ExecStart=${Deno.execPath()}`,
      ),
    );
    const output = await new Deno.Command("systemd-analyze", {
      args: [...(scope === "user" ? ["--user"] : []), "verify", path],
      // A user manager's verify needs a runtime folder of its own.
      env: {
        XDG_RUNTIME_DIR: runtime,
        SYSTEMD_LOG_COLOR: "0",
        SYSTEMD_PAGER: "",
      },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const decoder = new TextDecoder();
    const said = decoder.decode(output.stdout) + decoder.decode(output.stderr);
    // verify also reports on units it loads beside ours (network-online.target…): keep ours.
    const lines = said.split("\n").filter((line) =>
      line.includes("legerd.service")
    );
    return { code: output.code, lines };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("legerd's units run legerd as a notify service with a watchdog, restarted on failure", async (t) => {
  for (const scope of SCOPES) {
    await t.step(scope, async () => {
      const { unit } = await readUnit(scope);
      const service = (key: string) => value(unit, "Service", key);
      strictEqual(service("Type"), "notify");
      strictEqual(service("NotifyAccess"), "main");
      strictEqual(service("ExecStart"), "/usr/bin/legerd");
      strictEqual(service("ExecReload"), "/bin/kill -HUP $MAINPID");
      strictEqual(service("Restart"), "on-failure");
      // A config error at start (EX_CONFIG) or a bad command line (2) is not retried.
      deepStrictEqual(
        service("RestartPreventExitStatus")?.split(/\s+/),
        ["2", String(EX_CONFIG)],
      );
      strictEqual(service("WatchdogSec"), "60s");
      strictEqual(service("KillMode"), "mixed");
      strictEqual(service("LimitCORE"), "0");
      ok(value(unit, "Unit", "Documentation") !== undefined);
      strictEqual(
        value(unit, "Install", "WantedBy"),
        scope === "user" ? "default.target" : "multi-user.target",
      );
    });
  }
  const { unit } = await readUnit("system");
  strictEqual(value(unit, "Service", "RuntimeDirectory"), "leger");
  strictEqual(value(unit, "Service", "RuntimeDirectoryMode"), "0700");
});

Deno.test("legerd's user unit sets nothing that breaks rootless Podman (no_new_privs, a private user namespace)", async () => {
  const { unit } = await readUnit("user");
  // Each of these sets no_new_privs, or PrivateUsers=yes, in a user manager (systemd.exec(5)).
  const breaking = [
    "NoNewPrivileges",
    "PrivateUsers",
    "ProtectSystem",
    "ProtectHome",
    "PrivateTmp",
    "PrivateDevices",
    "ReadWritePaths",
    "ReadOnlyPaths",
    "InaccessiblePaths",
    "SystemCallFilter",
    "SystemCallArchitectures",
    "RestrictAddressFamilies",
    "RestrictNamespaces",
    "RestrictSUIDSGID",
    "RestrictRealtime",
    "ProtectKernelTunables",
    "ProtectKernelModules",
    "ProtectKernelLogs",
    "ProtectClock",
    "ProtectHostname",
    "LockPersonality",
    "MemoryDenyWriteExecute",
    "CapabilityBoundingSet",
  ];
  const found = breaking.filter((key) =>
    value(unit, "Service", key) !== undefined
  );
  deepStrictEqual(found, []);
  const system = (await readUnit("system")).unit;
  strictEqual(
    value(system, "Service", "NoNewPrivileges"),
    undefined,
    "SELinux hosts need Podman's domain transition",
  );
  strictEqual(
    value(system, "Service", "MemoryDenyWriteExecute"),
    undefined,
    "V8 needs W+X pages",
  );
});

Deno.test({
  name: `systemd-analyze verify accepts legerd's units${IGNORED}`,
  ignore: !ANALYZE.ok,
  fn: async (t) => {
    for (const scope of SCOPES) {
      await t.step(scope, async () => {
        const { text } = await readUnit(scope);
        const result = await verify(scope, text);
        deepStrictEqual(result.lines, []);
        strictEqual(result.code, 0);
      });
    }
  },
});

Deno.test({
  name: `systemd-analyze verify, as used here, reports a broken unit${IGNORED}`,
  ignore: !ANALYZE.ok,
  fn: async () => {
    const { text } = await readUnit("user");
    const result = await verify(
      "user",
      text.replace("KillMode=mixed", "KillMode=sometimes"),
    );
    ok(
      result.lines.some((line) => /kill mode/i.test(line)),
      result.lines.join("\n"),
    );
  },
});
