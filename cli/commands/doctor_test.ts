import {
  deepStrictEqual,
  doesNotThrow,
  match,
  ok,
  strictEqual,
} from "node:assert/strict";
import type { DoctorReport } from "../../lib/doctor/types.ts";
import { legerCommands } from "../../tests/_shell_commands.ts";
import {
  type CommandFixture,
  commandFixture,
  installDeployment,
} from "../../tests/fakes/command_fixture.ts";
import { fakeDoctorHost } from "../../tests/fakes/fake_doctor_host.ts";
import { parseArgs } from "../parse_args.ts";
import { runProgram } from "../program.ts";

/** Runs `leger doctor …` (after installing `names`) and reads its JSON report. */
async function doctor(
  fixture: CommandFixture,
  args: string[] = [],
): Promise<{ code: number; report: DoctorReport }> {
  fixture.clearOutput();
  const code = await runProgram(["doctor", "--json", ...args], fixture.deps);
  return { code, report: JSON.parse(fixture.output.stdout) };
}

function statuses(report: DoctorReport): Record<string, string> {
  return Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
}

Deno.test("leger doctor passes a healthy rootless host with a deployment, in a few spawns whatever the deployments", async () => {
  await using fixture = await commandFixture();
  await installDeployment(fixture, "web");
  await fakeDoctorHost(fixture);
  fixture.host.calls.length = 0;
  const { code, report } = await doctor(fixture);
  strictEqual(code, 0, fixture.output.stderr);
  deepStrictEqual(statuses(report), {
    "podman": "pass",
    "secrets-driver": "warn",
    "systemd": "pass",
    "linger": "pass",
    "sub-ids": "pass",
    "cgroups": "pass",
    "folders": "pass",
    "tailscale": "warn",
    "legerd": "warn",
    "ports:web": "pass",
    "drift:web": "pass",
  });
  deepStrictEqual(report.summary, { pass: 8, warn: 3, fail: 0, ok: true });
  strictEqual(report.scope, "user");
  const calls = [...fixture.host.calls].sort();
  deepStrictEqual(calls, [
    "cat /proc/net/tcp",
    "cat /proc/net/tcp6",
    "cat /proc/net/udp",
    "cat /proc/net/udp6",
    "podman info --format json",
    "podman ps --all --format json",
    "systemctl --user is-system-running",
    "tailscale status --json",
  ]);

  // A second deployment adds checks, not processes.
  await installDeployment(fixture, "api", {
    "api.container":
      "[Container]\nImage=localhost/bb:latest\nPublishPort=18081:8080\n",
  });
  fixture.host.calls.length = 0;
  const two = await doctor(fixture);
  deepStrictEqual([...fixture.host.calls].sort(), calls);
  ok(two.report.checks.some((c) => c.id === "drift:api"));
});

Deno.test("leger doctor fails what is broken, each with its fix: linger, subordinate ids, a port taken, files changed and removed", async () => {
  await using fixture = await commandFixture();
  await installDeployment(fixture, "web");
  // Behind leger's back: web.container edited, the volume unit deleted,
  // the service stopped and its port taken by another program.
  const unit = `${fixture.quadletDir}/web.container`;
  await Deno.writeTextFile(unit, "# edited\n" + await Deno.readTextFile(unit));
  await Deno.remove(`${fixture.quadletDir}/web-data.volume`);
  fixture.host.services.set("web.service", {
    activeState: "failed",
    subState: "failed",
  });
  await fakeDoctorHost(fixture, {
    linger: false,
    subuid: "",
    listening: [{ protocol: "tcp", address: "0.0.0.0", port: 18080 }],
  });
  const { code, report } = await doctor(fixture);
  strictEqual(code, 1);
  const byId = new Map(report.checks.map((c) => [c.id, c]));
  deepStrictEqual(
    ["linger", "sub-ids", "ports:web", "drift:web"].map((id) =>
      byId.get(id)?.status
    ),
    ["fail", "fail", "fail", "fail"],
  );
  strictEqual(byId.get("linger")!.fix, "sudo loginctl enable-linger alice");
  match(
    byId.get("sub-ids")!.fix!,
    /^sudo usermod --add-subuids 165536-231071 alice\nrunning=\$\(podman ps [^\n]*\npodman system migrate [^\n]*\n\[ -z "\$running" \] \|\| systemctl --user start \$running/,
  );
  match(
    byId.get("ports:web")!.detail,
    /^Port 18080\/tcp of web.container line 3 \(PublishPort=18080:8080\) is held by another process/,
  );
  match(
    byId.get("drift:web")!.detail,
    /Changed outside leger: web\.container\./,
  );
  match(
    byId.get("drift:web")!.detail,
    /Removed outside leger: web-data\.volume/,
  );
  deepStrictEqual(byId.get("drift:web")!.fix!.split("\n").slice(1), [
    `install -D -m 644 ${fixture.workDir}/active/web/web.container ${unit}   # puts back what leger installed`,
    `install -D -m 644 ${fixture.workDir}/active/web/web-data.volume ${fixture.quadletDir}/web-data.volume   # puts back what leger installed`,
    "systemctl --user daemon-reload",
    "leger service restart web   # runs it as installed",
  ]);
  deepStrictEqual(report.summary.fail, 4);

  // Every leger command of every fix is one the command table takes.
  for (const check of report.checks) {
    for (const line of (check.fix ?? "").split("\n")) {
      const command = line.replace(/(^|\s+)#.*$/, "");
      for (const argv of legerCommands(command)) {
        doesNotThrow(() => parseArgs(argv), `${check.id}: ${line}`);
      }
    }
  }
});

Deno.test("leger doctor prints the checks by group, marks on a terminal and words elsewhere, and a summary", async () => {
  await using fixture = await commandFixture();
  await fakeDoctorHost(fixture, { linger: false });
  fixture.clearOutput();
  strictEqual(await runProgram(["doctor"], fixture.deps), 1);
  const plain = fixture.output.stdout;
  match(plain, /^Podman\n {2}pass Podman 5\.8\.6\n/);
  match(
    plain,
    /\n {2}fail Linger is off for alice\n {6}systemd stops alice's services [^\n]+\n {6}fix: sudo loginctl enable-linger alice\n/,
  );
  match(plain, /\n {2}warn Secrets driver: file \(unencrypted\)\n/);
  match(
    plain,
    /\n\n10 checks in the user scope: 6 passed, 3 warnings, 1 failed: fix what failed, then run `leger doctor` again\n$/,
  );

  fixture.deps.context = { ...fixture.deps.context, stdoutIsTerminal: true };
  fixture.clearOutput();
  await runProgram(["doctor"], fixture.deps);
  match(fixture.output.stdout, /\n {2}✓ Podman 5\.8\.6\n/);
  match(fixture.output.stdout, /\n {2}! Secrets driver/);
  match(fixture.output.stdout, /\n {2}✗ Linger is off for alice\n/);
  // A fix of several lines is one command a line, under `fix:`.
  match(
    fixture.output.stdout,
    /\n {6}fix:\n {8}curl -fsSL https:\/\/tailscale.com\/install.sh \| sh\n {8}sudo tailscale up\n/,
  );
});

Deno.test("leger doctor says what the systemd user session lacks, and checks only the scope the user runs", async () => {
  await using fixture = await commandFixture();
  await fakeDoctorHost(fixture, {
    systemState: "degraded",
    delegated: "cpu memory pids",
  });
  const { code, report } = await doctor(fixture);
  strictEqual(code, 0);
  const systemd = report.checks.find((c) => c.id === "systemd")!;
  deepStrictEqual([systemd.status, systemd.fix], [
    "warn",
    "systemctl --user --failed   # lists the failed units",
  ]);
  const cgroups = report.checks.find((c) => c.id === "cgroups")!;
  strictEqual(cgroups.status, "warn");
  match(cgroups.detail, /^Not delegated to user@1000\.service: io/);

  fixture.clearOutput();
  strictEqual(
    await runProgram(["doctor", "--scope", "system"], fixture.deps),
    2,
  );
  match(fixture.output.stderr, /Cannot check the system scope: it needs root/);
  match(fixture.output.stderr, /sudo leger doctor/);
});
