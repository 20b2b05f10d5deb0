import type { Scope } from "../adapters/scope.ts";
import type { DoctorCheck } from "./types.ts";

/** What {@linkcode checkCgroups} judges. */
export interface CgroupFacts {
  /** The scope checked. */
  scope: Scope;
  /** The user's id (user scope: `user@UID.service`). */
  uid: number;
  /**
   * The text of `/sys/fs/cgroup/cgroup.controllers`, or `null` when there
   * is none (no cgroup v2 at `/sys/fs/cgroup`: cgroup v1).
   */
  rootControllers: string | null;
  /**
   * User scope: the text of
   * `/sys/fs/cgroup/user.slice/user-UID.slice/user@UID.service/cgroup.controllers`,
   * the controllers systemd delegates to the user's manager; `null` when
   * there is none (the manager does not run). Unused for the system scope.
   */
  delegated: string | null;
  /**
   * `pids_limit` of containers.conf, or `null` when unset (Podman's default:
   * 2048 processes per container).
   */
  pidsLimit: number | null;
}

/** The controllers leger's units may need, and what does not work without each. */
const CONTROLLERS: readonly [string, string][] = [
  ["cpu", "CPU limits (--cpus, --cpu-shares)"],
  ["memory", "memory limits (Memory=, --memory)"],
  ["pids", "process limits (PidsLimit=)"],
  ["io", "disk I/O limits (--blkio-weight, --device-read-bps)"],
];

/**
 * Checks cgroup v2 and its controllers: Podman 5 deprecates cgroup v1, and a
 * container whose unit sets a limit fails to start when the controller of
 * that limit is missing (for a rootless user: not delegated to the user's
 * manager). Without `pids`, every container fails, unless containers.conf
 * turns Podman's default process limit off (`pids_limit = 0`).
 *
 * @param facts The controllers of the root cgroup and of the user's manager.
 * @returns `pass` with cpu, memory, pids and io; `warn` naming each missing
 * one and what does not work without it; `fail` when every container
 * fails to start (no `pids`, and Podman's default limit on).
 *
 * @example Usage
 * ```ts
 * import { checkCgroups } from "./check_cgroups.ts";
 * import { match, strictEqual } from "node:assert/strict";
 *
 * const check = checkCgroups({
 *   scope: "user", uid: 1000, pidsLimit: null,
 *   rootControllers: "cpuset cpu io memory hugetlb pids rdma misc\n",
 *   delegated: "cpu memory pids\n",
 * });
 * strictEqual(check.status, "warn");
 * match(check.detail, /io: disk I\/O limits/);
 * ```
 */
export function checkCgroups(facts: CgroupFacts): DoctorCheck {
  const { scope, uid, rootControllers, pidsLimit } = facts;
  const base = { id: "cgroups", group: "host" } as const;
  if (rootControllers === null) {
    return {
      ...base,
      title: "cgroup v1",
      status: "warn",
      detail:
        "This host runs cgroup v1 (there is no /sys/fs/cgroup/cgroup.controllers): Podman 5 deprecates it, and rootless containers get no resource limits.",
      fix: [
        "sudo grubby --update-kernel=ALL --args=systemd.unified_cgroup_hierarchy=1   # Fedora, RHEL; elsewhere add it to GRUB_CMDLINE_LINUX in /etc/default/grub, then run sudo update-grub",
        "sudo reboot",
      ].join("\n"),
    };
  }
  const root = words(rootControllers);
  const user = scope === "user";
  if (user && facts.delegated === null) {
    return {
      ...base,
      title: "cgroup v2",
      status: "warn",
      detail:
        `Which controllers systemd delegates to uid ${uid} cannot be read: there is no user@${uid}.service cgroup (its manager does not run).`,
      fix: "# fix the systemd check first, then run leger doctor again",
    };
  }
  const available = user ? words(facts.delegated ?? "") : root;
  const missing = CONTROLLERS.filter(([name]) => !available.includes(name));
  const title = `cgroup v2: ${
    CONTROLLERS.map(([name]) => name).filter((n) => available.includes(n))
      .join(", ") || "no controller"
  }`;
  if (missing.length === 0) {
    return {
      ...base,
      title,
      status: "pass",
      detail: user
        ? `systemd delegates cpu, memory, pids and io to user@${uid}.service: containers may set their limits.`
        : "cpu, memory, pids and io are enabled: containers may set their limits.",
      fix: null,
    };
  }
  // A controller the kernel does not give cgroup v2 cannot be delegated.
  const notInKernel = missing.filter(([name]) => !root.includes(name));
  const where = user ? `delegated to user@${uid}.service` : "enabled";
  const lines = [
    `Not ${where}: ${
      missing.map(([name, what]) => `${name}: ${what}`).join("; ")
    }. A container whose unit sets one of those limits fails to start.`,
  ];
  const fix: string[] = [];
  if (user && notInKernel.length < missing.length) {
    fix.push(
      "sudo mkdir -p /etc/systemd/system/user@.service.d",
      `printf '[Service]\\nDelegate=cpu cpuset io memory pids\\n' | sudo tee /etc/systemd/system/user@.service.d/delegate.conf`,
      "sudo systemctl daemon-reload   # then log out and in again (or reboot), so that your manager starts with them",
    );
  }
  if (notInKernel.length > 0) {
    lines.push(
      `The kernel gives cgroup v2 no ${
        notInKernel.map(([name]) => name).join(", ")
      } (/sys/fs/cgroup/cgroup.controllers): it keeps ${
        notInKernel.length === 1 ? "it" : "them"
      } on cgroup v1, or the container this host runs in does not pass ${
        notInKernel.length === 1 ? "it" : "them"
      } on.`,
    );
  }
  const noPids = missing.some(([name]) => name === "pids");
  if (noPids && pidsLimit !== 0) {
    lines.push(
      `Without pids every container fails to start: Podman limits each to ${
        pidsLimit ?? 2048
      } processes${pidsLimit === null ? " by default" : " (pids_limit)"}.`,
    );
    const dir = user
      ? "~/.config/containers/containers.conf.d"
      : "/etc/containers/containers.conf.d";
    const sudo = user ? "" : "sudo ";
    fix.push(
      `${sudo}mkdir -p ${dir}`,
      `printf '[containers]\\npids_limit = 0\\n' | ${sudo}tee ${dir}/50-pids-limit.conf   # no process limit, so that containers start without pids`,
    );
  }
  if (fix.length === 0) {
    fix.push(
      "# boot with cgroup v2 for every controller: the kernel argument systemd.unified_cgroup_hierarchy=1",
    );
  }
  return {
    ...base,
    title,
    status: noPids && pidsLimit !== 0 ? "fail" : "warn",
    detail: lines.join("\n"),
    fix: fix.join("\n"),
  };
}

function words(text: string): string[] {
  return text.split(/\s+/).filter((w) => w !== "");
}
