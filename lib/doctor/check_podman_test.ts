import { deepStrictEqual, match, strictEqual } from "node:assert/strict";
import { CommandError } from "../adapters/command_error.ts";
import type { PodmanInfo } from "../adapters/podman_info.ts";
import { LegerError } from "../errors/leger_error.ts";
import { checkPodman, type PodmanFacts } from "./check_podman.ts";

const info = (version: string): PodmanInfo => ({
  version,
  uidMap: [],
  graphRoot: "/home/a/.local/share/containers/storage",
});

const FACTS: PodmanFacts = {
  info: info("5.8.6"),
  scope: "user",
  quadletDir: "/home/a/.config/containers/systemd",
  generator: "/usr/libexec/podman/quadlet",
  forceFallback: false,
  osRelease: 'PRETTY_NAME="Debian GNU/Linux forky/sid"\nID=debian\n',
};

/** The check when `podman info` exits 125 with `stderr`. */
const podmanInfoFailed = (stderr: string) =>
  checkPodman({
    ...FACTS,
    info: new CommandError("podman", ["info", "--format", "json"], 125, stderr),
  });

Deno.test("checkPodman() names the way leger installs units, by Podman's version", () => {
  const cases: [Partial<PodmanFacts>, string, RegExp][] = [
    [
      {},
      "pass",
      /`podman quadlet install --replace` into \/home\/a\/.config\/containers\/systemd\./,
    ],
    [{ info: info("5.6.0-rc1") }, "pass", /`podman quadlet install` into/],
    [
      { info: info("5.5.2") },
      "pass",
      /copies units into \/home\/a\/.config\/containers\/systemd and runs `systemctl --user daemon-reload`; Podman 5.6 or newer/,
    ],
    [
      {
        info: info("4.4.0"),
        scope: "system",
        quadletDir: "/etc/containers/systemd",
      },
      "pass",
      /runs `systemctl daemon-reload`/,
    ],
    [
      { forceFallback: true },
      "pass",
      /copies units .*\(LEGER_FORCE_QUADLET_FALLBACK=1\)/,
    ],
    [
      { info: info("4.3.1") },
      "fail",
      /Quadlet needs Podman 4\.4 or newer: Podman 4\.3\.1/,
    ],
    [{ generator: null }, "fail", /quadlet generator is missing/],
  ];
  for (const [change, status, detail] of cases) {
    const check = checkPodman({ ...FACTS, ...change });
    strictEqual(check.status, status, JSON.stringify(change));
    match(check.detail, detail);
    strictEqual(check.fix === null, status === "pass");
  }
});

Deno.test("checkPodman() gives the command that installs Podman on this distribution", () => {
  const missing = new LegerError(
    "ERR_COMMAND_NOT_FOUND",
    'Cannot run "podman": it is not installed or not in PATH',
  );
  const fixes: [string | null, string][] = [
    ["ID=debian\n", "sudo apt-get install podman"],
    ["ID=ubuntu\nID_LIKE=debian\n", "sudo apt-get install podman"],
    ['ID="rocky"\nID_LIKE="rhel centos fedora"\n', "sudo dnf install podman"],
    ["ID=arch\n", "sudo pacman -S podman"],
    [
      'ID="opensuse-tumbleweed"\nID_LIKE="opensuse suse"\n',
      "sudo zypper install podman",
    ],
    ["ID=alpine\n", "sudo apk add podman"],
    [
      null,
      "# install Podman 5.6 or newer: see https://podman.io/docs/installation",
    ],
  ];
  for (const [osRelease, fix] of fixes) {
    const check = checkPodman({ ...FACTS, info: missing, osRelease });
    deepStrictEqual([check.status, check.title, check.fix], [
      "fail",
      "Podman is not installed",
      fix,
    ]);
  }
});

Deno.test("checkPodman() fails with Podman's own words when podman info fails", () => {
  const check = podmanInfoFailed(
    'time="…" level=warning msg="…"\nError: database configuration mismatch\ntime="…" level=warning msg="Failed to add pause process to systemd sandbox cgroup"\n',
  );
  strictEqual(check.status, "fail");
  strictEqual(
    check.detail,
    "`podman info` failed: Error: database configuration mismatch",
  );
  strictEqual(check.fix, "podman info   # shows the whole error");
});

Deno.test("checkPodman() sends a rootless Podman without a user session to the systemd check", () => {
  const check = podmanInfoFailed(
    'time="…" level=warning msg="The cgroupv2 manager is set to systemd but there is no systemd user session available"\n' +
      "Error: getting host info: getting available cgroup controllers: failed while reading controllers for cgroup v2: open /sys/fs/cgroup.controllers: no such file or directory\n",
  );
  strictEqual(check.status, "fail");
  match(
    check.detail,
    /\nPodman finds no systemd user session: see the systemd check\.$/,
  );
  strictEqual(
    check.fix,
    "# fix the systemd check first, then run leger doctor again",
  );
});
