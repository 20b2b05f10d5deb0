/**
 * leger's systemd units (`systemd/{user,system}/legerd.service`, and
 * `leger-update.service` with `leger-update.timer`): what they promise, read
 * with lib's unit parser, and `systemd-analyze verify` on each when it is
 * installed (the test is ignored, saying so, when it is not). `verify` wants
 * ExecStart='s program to exist: it checks a copy whose ExecStart= names
 * this Deno.
 *
 * @module
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { lookupAll, lookupLast } from "../lib/unit/lookup.ts";
import { parseUnit } from "../lib/unit/parse_unit.ts";
import type { UnitFile } from "../lib/unit/types.ts";
import { EX_CONFIG } from "../daemon/main.ts";
import { parseArgs } from "../cli/parse_args.ts";
import { parse as parseUpdate } from "../cli/commands/deploy/update.ts";
import { ROOT } from "./_leger.ts";

const SCOPES = ["user", "system"] as const;
type UnitScope = typeof SCOPES[number];

/** leger's unit files, in each scope's folder. */
type UnitName =
  | "legerd.service"
  | "leger-update.service"
  | "leger-update.timer";

function unitPath(scope: UnitScope, name: UnitName = "legerd.service"): string {
  return `${ROOT}/systemd/${scope}/${name}`;
}

async function readUnit(
  scope: UnitScope,
  name: UnitName = "legerd.service",
): Promise<{ text: string; unit: UnitFile }> {
  const text = await Deno.readTextFile(unitPath(scope, name));
  return { text, unit: parseUnit(text, { file: `${scope}/${name}` }) };
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

/**
 * Runs `systemd-analyze [--user] verify` on copies of unit texts (by file
 * name, in one folder: a timer beside its service); returns its exit code
 * and the lines about those units.
 */
async function verify(
  scope: UnitScope,
  units: string | Partial<Record<UnitName, string>>,
): Promise<{ code: number; lines: string[] }> {
  const texts: Partial<Record<UnitName, string>> = typeof units === "string"
    ? { "legerd.service": units }
    : units;
  const dir = await Deno.makeTempDir({ prefix: "leger_units_" });
  try {
    const runtime = `${dir}/run`;
    await Deno.mkdir(runtime, { mode: 0o700 });
    const paths: string[] = [];
    for (const [name, text] of Object.entries(texts)) {
      const path = `${dir}/${name}`;
      await Deno.writeTextFile(
        path,
        text.replace(
          /^ExecStart=\/usr\/bin\/leger(d?)( .*)?$/m,
          `ExecStart=${Deno.execPath()}$2`,
        ),
      );
      paths.push(path);
    }
    const output = await new Deno.Command("systemd-analyze", {
      args: [...(scope === "user" ? ["--user"] : []), "verify", ...paths],
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
      Object.keys(texts).some((name) => line.includes(name))
    );
    return { code: output.code, lines };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Each of these sets no_new_privs, or PrivateUsers=yes, in a user manager (systemd.exec(5)): rootless Podman breaks. */
const ROOTLESS_BREAKING = [
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
  const found = ROOTLESS_BREAKING.filter((key) =>
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

Deno.test("leger-update's timer runs the update once a day, at a random time of its own, catching up a missed run", async (t) => {
  for (const scope of SCOPES) {
    await t.step(scope, async () => {
      const { unit } = await readUnit(scope, "leger-update.timer");
      const timer = (key: string) => value(unit, "Timer", key);
      strictEqual(timer("OnCalendar"), "daily");
      strictEqual(timer("RandomizedDelaySec"), "1h");
      strictEqual(timer("FixedRandomDelay"), "true");
      strictEqual(timer("AccuracySec"), "1min");
      strictEqual(timer("Persistent"), "true");
      strictEqual(timer("Unit"), "leger-update.service");
      strictEqual(value(unit, "Install", "WantedBy"), "timers.target");
    });
  }
});

Deno.test("leger-update's service is a oneshot running deploy update --all --yes --wait as the timer's, and nothing enables it but the timer", async (t) => {
  for (const scope of SCOPES) {
    await t.step(scope, async () => {
      const { unit } = await readUnit(scope, "leger-update.service");
      const service = (key: string) => value(unit, "Service", key);
      strictEqual(service("Type"), "oneshot");
      strictEqual(service("RemainAfterExit"), undefined);
      const execStart = service("ExecStart")!;
      strictEqual(
        execStart,
        "/usr/bin/leger deploy update --all --yes --wait",
      );
      // The words are a command line leger accepts, meaning what they say.
      const parsed = parseArgs(execStart.split(" ").slice(1));
      strictEqual(parsed.path, "deploy update");
      const options = parseUpdate(parsed);
      deepStrictEqual(
        [options.all, options.yes, options.wait, options.dryRun],
        [true, true, true, false],
      );
      const environment = lookupAll(unit, "Service", "Environment").map((e) =>
        e.value
      );
      ok(
        environment.includes("LEGER_UPDATE_TRIGGER=timer"),
        environment.join("\n"),
      );
      // A hung run is stopped (and rolled back) rather than blocking every later one.
      strictEqual(service("TimeoutStartSec"), "2h");
      strictEqual(service("KillMode"), "mixed");
      strictEqual(service("LimitCORE"), "0");
      // Opt-in: only the timer, once enabled, starts it.
      strictEqual(lookupAll(unit, "Install", "WantedBy").length, 0);
      ok(value(unit, "Unit", "Documentation") !== undefined);
    });
  }
  const system = (await readUnit("system", "leger-update.service")).unit;
  strictEqual(value(system, "Unit", "Wants"), "network-online.target");
  ok(
    value(system, "Unit", "After")?.split(/\s+/).includes(
      "network-online.target",
    ),
  );
  ok(
    lookupAll(system, "Service", "Environment").some((e) =>
      e.value === "HOME=/root"
    ),
  );
  // A user manager cannot order itself after the system's targets.
  const user = (await readUnit("user", "leger-update.service")).unit;
  strictEqual(value(user, "Unit", "After"), undefined);
});

Deno.test("leger-update's units keep rootless Podman working and leave leger's folders writable", async () => {
  const user = (await readUnit("user", "leger-update.service")).unit;
  deepStrictEqual(
    ROOTLESS_BREAKING.filter((key) =>
      value(user, "Service", key) !== undefined
    ),
    [],
  );
  const system = (await readUnit("system", "leger-update.service")).unit;
  const service = (key: string) => value(system, "Service", key);
  strictEqual(
    service("NoNewPrivileges"),
    undefined,
    "SELinux hosts need Podman's domain transition",
  );
  strictEqual(
    service("MemoryDenyWriteExecute"),
    undefined,
    "V8 needs W+X pages",
  );
  // leger writes /etc/containers/systemd; Podman /etc/containers/networks.
  ok(
    !["full", "strict"].includes(service("ProtectSystem") ?? ""),
    `ProtectSystem=${service("ProtectSystem")} makes /etc read-only`,
  );
  strictEqual(service("ProtectHome"), "read-only");
  for (const unit of [user, system]) {
    strictEqual(value(unit, "Service", "UMask"), undefined);
  }
});

Deno.test({
  name:
    `systemd-analyze verify accepts leger-update's timer and service${IGNORED}`,
  ignore: !ANALYZE.ok,
  fn: async (t) => {
    for (const scope of SCOPES) {
      await t.step(scope, async () => {
        const result = await verify(scope, {
          "leger-update.service":
            (await readUnit(scope, "leger-update.service")).text,
          "leger-update.timer":
            (await readUnit(scope, "leger-update.timer")).text,
        });
        deepStrictEqual(result.lines, []);
        strictEqual(result.code, 0);
      });
    }
  },
});

Deno.test({
  name:
    `systemd-analyze verify, as used here, reports a broken timer${IGNORED}`,
  ignore: !ANALYZE.ok,
  fn: async () => {
    const result = await verify("user", {
      "leger-update.service":
        (await readUnit("user", "leger-update.service")).text,
      "leger-update.timer": (await readUnit("user", "leger-update.timer")).text
        .replace("OnCalendar=daily", "OnCalendar=every other blue moon"),
    });
    ok(
      result.lines.some((line) => /OnCalendar|calendar/i.test(line)),
      result.lines.join("\n"),
    );
  },
});
