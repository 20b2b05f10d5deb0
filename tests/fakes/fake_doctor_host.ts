/**
 * What `leger doctor` reads of a host beyond the fake Podman + systemd host
 * (tests/fakes/fake_host.ts): a folder standing for `/` with the files it
 * reads (`/etc/subuid`, `/sys/fs/cgroup/…`, linger, containers.conf), and a
 * runner over the fake host's that also answers `podman info`,
 * `systemctl is-system-running` and, with sockets listening, `/proc/net`.
 * A healthy rootless host by default (Podman 5.8.6, user `alice` uid 1000
 * with linger and 65536 subordinate ids, every cgroup controller delegated).
 *
 * @module
 */
import type { RunOptions, RunResult } from "../../lib/adapters/run.ts";
import type { ListeningSocket } from "../../lib/conflicts/parse_proc_net.ts";
import { hostFiles } from "../../lib/doctor/host_files.ts";
import type { DoctorDeps } from "../../cli/commands/doctor.ts";
import type { CommandFixture } from "./command_fixture.ts";

/** How the fake host differs from a healthy one. */
export interface FakeDoctorHostOptions {
  /** Linger for the user (`/var/lib/systemd/linger/alice`). @default {true} */
  linger?: boolean;
  /** `/etc/subuid` (`null`: no file). @default {"alice:100000:65536\n"} */
  subuid?: string | null;
  /** The controllers delegated to user@1000.service. @default {"cpuset cpu io memory pids"} */
  delegated?: string;
  /** What `systemctl --user is-system-running` prints. @default {"running"} */
  systemState?: string;
  /** Sockets listening on the host, beside the fake host's containers. */
  listening?: readonly ListeningSocket[];
  /** Podman's version in `podman info`. @default {"5.8.6"} */
  podmanVersion?: string;
}

const PODMAN_INFO = await Deno.readTextFile(
  new URL(
    "../../lib/adapters/testdata/podman_info_rootless.out",
    import.meta.url,
  ),
);

/**
 * Makes the fixture's commands see a host for `leger doctor`: writes its
 * files under the fixture's HOME (`hostroot/`), and answers doctor's calls.
 *
 * @param fixture The command fixture (uid 1000).
 * @param options What differs from a healthy host.
 * @returns The folder standing for `/`.
 */
export async function fakeDoctorHost(
  fixture: CommandFixture,
  options: FakeDoctorHostOptions = {},
): Promise<string> {
  const {
    linger = true,
    subuid = "alice:100000:65536\n",
    delegated = "cpuset cpu io memory pids",
    systemState = "running",
    listening = [],
    podmanVersion = "5.8.6",
  } = options;
  const root = `${fixture.home}/hostroot`;
  const files: Record<string, string> = {
    "/etc/passwd":
      "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\n",
    "/etc/subgid": "alice:100000:65536\n",
    "/etc/os-release": 'PRETTY_NAME="Debian GNU/Linux forky/sid"\nID=debian\n',
    "/usr/share/containers/containers.conf": '[secrets]\n#driver = "file"\n',
    "/usr/libexec/podman/quadlet": "",
    "/run/systemd/system/.keep": "",
    "/run/user/1000/bus": "",
    "/sys/fs/cgroup/cgroup.controllers":
      "cpuset cpu io memory hugetlb pids rdma misc\n",
    "/sys/fs/cgroup/user.slice/user-1000.slice/user@1000.service/cgroup.controllers":
      `${delegated}\n`,
    ...(subuid === null ? {} : { "/etc/subuid": subuid }),
    ...(linger ? { "/var/lib/systemd/linger/alice": "" } : {}),
  };
  for (const [path, text] of Object.entries(files)) {
    const file = `${root}${path}`;
    await Deno.mkdir(file.slice(0, file.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(file, text);
  }
  const info = PODMAN_INFO.replaceAll('"5.8.6"', JSON.stringify(podmanVersion));
  const { deps } = fixture;
  const inner = deps.runner;
  deps.runner = (
    bin: string,
    args: readonly string[],
    runOptions?: RunOptions,
  ) => {
    const line = [bin, ...args].join(" ");
    if (line === "podman info --format json") {
      fixture.host.calls.push(line);
      return Promise.resolve(ok(info));
    }
    if (line === "systemctl --user is-system-running") {
      fixture.host.calls.push(line);
      const code = systemState === "running" ? 0 : 1;
      return Promise.resolve({ code, stdout: `${systemState}\n`, stderr: "" });
    }
    if (line === "cat /proc/net/tcp" && listening.length > 0) {
      fixture.host.calls.push(line);
      return Promise.resolve(ok(procNetTcp(listening)));
    }
    return inner(bin, args, runOptions);
  };
  (deps as DoctorDeps).hostFiles = hostFiles({ root, runner: deps.runner });
  // Tailscale: not installed, whatever the machine running the test has.
  const env = deps.context.env;
  deps.context = {
    ...deps.context,
    env: (name) =>
      name === "LEGER_TAILSCALE_SOCKET"
        ? `${root}/run/tailscale/tailscaled.sock`
        : env(name),
  };
  return root;
}

function ok(stdout: string): RunResult {
  return { code: 0, stdout, stderr: "" };
}

/** `/proc/net/tcp` with IPv4 sockets in LISTEN state. */
function procNetTcp(sockets: readonly ListeningSocket[]): string {
  const header =
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
  return header + sockets.map((s, index) => {
    const address = s.address.split(".").reverse().map((n) =>
      Number(n).toString(16).padStart(2, "0").toUpperCase()
    ).join("");
    const port = s.port.toString(16).padStart(4, "0").toUpperCase();
    return `   ${index}: ${address}:${port} 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 ${
      4242 + index
    } 1\n`;
  }).join("");
}
