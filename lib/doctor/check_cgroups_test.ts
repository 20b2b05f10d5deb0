import { match, strictEqual } from "node:assert/strict";
import { type CgroupFacts, checkCgroups } from "./check_cgroups.ts";

const ALL = "cpuset cpu io memory hugetlb pids rdma misc\n";
const FACTS: CgroupFacts = {
  scope: "user",
  uid: 1000,
  rootControllers: ALL,
  delegated: "cpuset cpu io memory pids\n",
  pidsLimit: null,
};

Deno.test("checkCgroups() passes with cpu, memory, pids and io", () => {
  const user = checkCgroups(FACTS);
  strictEqual(user.status, "pass");
  strictEqual(user.title, "cgroup v2: cpu, memory, pids, io");
  strictEqual(
    checkCgroups({ ...FACTS, scope: "system", uid: 0, delegated: null }).status,
    "pass",
  );
});

Deno.test("checkCgroups() warns of controllers systemd does not delegate, with the drop-in that does", () => {
  const check = checkCgroups({ ...FACTS, delegated: "cpu memory pids\n" });
  strictEqual(check.status, "warn");
  match(
    check.detail,
    /^Not delegated to user@1000\.service: io: disk I\/O limits/,
  );
  match(
    check.fix!,
    /printf '\[Service\]\\nDelegate=cpu cpuset io memory pids\\n' \| sudo tee \/etc\/systemd\/system\/user@\.service\.d\/delegate\.conf/,
  );
});

Deno.test("checkCgroups() fails without pids while Podman limits processes, and says how to turn the limit off", () => {
  // The e2e host: cgroup v2 without any controller (the kernel keeps them on v1).
  const none = { ...FACTS, rootControllers: "\n", delegated: "\n" };
  const check = checkCgroups(none);
  strictEqual(check.status, "fail");
  strictEqual(check.title, "cgroup v2: no controller");
  match(
    check.detail,
    /Without pids every container fails to start: Podman limits each to 2048 processes by default/,
  );
  match(check.detail, /The kernel gives cgroup v2 no cpu, memory, pids, io/);
  match(
    check.fix!,
    /printf '\[containers\]\\npids_limit = 0\\n' \| tee ~\/.config\/containers\/containers.conf.d\/50-pids-limit.conf/,
  );
  // With pids_limit = 0 (as that host sets) only the limits fail.
  const off = checkCgroups({ ...none, pidsLimit: 0 });
  strictEqual(off.status, "warn");
  match(off.fix!, /^# boot with cgroup v2/);
  // As root, the fix writes the system's containers.conf.d.
  const root = checkCgroups({ ...none, scope: "system", uid: 0 });
  match(
    root.fix!,
    /sudo tee \/etc\/containers\/containers.conf.d\/50-pids-limit.conf/,
  );
});

Deno.test("checkCgroups() warns of cgroup v1 and of a user manager that does not run", () => {
  const v1 = checkCgroups({ ...FACTS, rootControllers: null });
  strictEqual(v1.status, "warn");
  match(v1.fix!, /systemd\.unified_cgroup_hierarchy=1/);
  const noManager = checkCgroups({ ...FACTS, delegated: null });
  strictEqual(noManager.status, "warn");
  match(noManager.detail, /no user@1000\.service cgroup/);
});
