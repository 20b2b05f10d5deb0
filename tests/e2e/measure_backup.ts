/**
 * Issue 12's numbers for backups, measured inside the e2e host (root, system
 * scope) on a deployment whose volume holds `SIZE_MB` (500) MB of random data:
 *
 * 1. Backup: `leger backup create --live` against `podman volume export` by
 *    hand (target ≤ 1.1×) and against the export followed by `sha256sum` (a
 *    backup takes the archive's checksum), and `leger backup create`
 *    (services stopped for a consistent copy) against the same stop, export
 *    and start by hand. Each with its CPU time (bash's `time`: user and
 *    system, the processes a command waited for included): leger's own
 *    work is the difference.
 * 2. Restore: `leger backup restore` into a host whose volume was removed
 *    (`deploy remove --remove-volumes`) against the same steps by hand
 *    (`podman quadlet install`, the volume's service, `podman volume
 *    import`, the container's service) and against the bare `podman volume
 *    import`; and over the existing volume (leger first saves its data, for
 *    the undo) against stop, `podman volume rm`/`create`/`import`, start.
 *    Like an install, a restore watches the services for a second (four
 *    pauses of 250 ms): the overhead is also given without it.
 * 3. Peak memory: leger's VmHWM (/proc/PID/status, polled every 20 ms while
 *    it runs) for a backup and a restore of the volume at a tenth of
 *    `SIZE_MB`, at `SIZE_MB` and at three times it: it must not grow with
 *    the volume.
 *
 * The timing loops run inside the host in one shell, so that `nspawn` exec
 * costs are not counted; every file is in the page cache by then (24 GB of
 * RAM), for leger and by hand alike. Run:
 * `LEGER_E2E=1 deno run -A tests/e2e/measure_backup.ts` (a script, not a
 * `deno bench` file, so that `deno task bench` never boots the e2e host).
 * `ROUNDS` (3) and `SIZE_MB` (500) change the runs.
 *
 * @module
 */
import { webDeployment, webNames } from "./_deployments.ts";
import {
  cleanup,
  INSIDE,
  legerCommandLine,
  prepareHost,
  writeSource,
} from "./_host.ts";
import { inside as insideHost, median, parseTimes } from "./_measure.ts";

const ROUNDS = Number(Deno.env.get("ROUNDS") ?? 3);
const SIZE_MB = Number(Deno.env.get("SIZE_MB") ?? 500);
/** The volume sizes (MB) whose backup and restore leger's peak memory is taken of. */
const MEMORY_SIZES = [
  Math.max(1, Math.round(SIZE_MB / 10)),
  SIZE_MB,
  3 * SIZE_MB,
];

/** Runs a script inside the host; `BENCH_TRACE=1` traces it (`bash -x`). */
const inside = (script: string) =>
  insideHost(script, { trace: Boolean(Deno.env.get("BENCH_TRACE")) });

await prepareHost();
const name = "benchbak";
const names = webNames(name);
await cleanup(name, "root");
const files = webDeployment({ name, port: 18298 });
// The runs start the service dozens of times a minute: no start rate limit.
files[names.container] = files[names.container].replace(
  "[Unit]\n",
  "[Unit]\nStartLimitIntervalSec=0\n",
);
const source = await writeSource(name, files);
/**
 * leger's command line, in a subshell (it ends by exec-ing deno); `ID`
 * stands for the shell variable `$id`, which quoting would keep as it is.
 */
const command = (args: string[]) =>
  legerCommandLine(args).replace(`'ID'`, `"$id"`);
const leger = (args: string[]) => `(${command(args)})`;
const backups = "/var/lib/leger/bluebuild-quadlets/backups";
const vol = names.volumeName;
const svc = names.service;
const units = [names.container, names.volume, names.network].join(" ");

/** Fills the volume with `mb` MB of random data (replacing what it held). */
const fill = (mb: number | string) =>
  `podman exec ${names.containerName} /bin/busybox sh -c 'rm -f /data/big && /bin/busybox dd if=/dev/urandom of=/data/big bs=1M count=${
    // A shell variable is expanded outside the single quotes.
    typeof mb === "string" ? `'"${mb}"'` : mb} 2>/dev/null && sync'`;

/**
 * `label ms` for one timed command line; the command must succeed.
 */
const timed = (label: string, command: string) =>
  `{ time { ${command} >/dev/null 2>/tmp/bench-err ; } ; } 2>/tmp/bench-time || { echo "${label} failed"; cat /tmp/bench-err; exit 1; }; read real user sys < /tmp/bench-time; echo "${label} $real $user $sys"`;

const output = await inside(`
set -e
# Wall, user and system time (that of the processes a command waited for included), in ms.
TIMEFORMAT='%3R %3U %3S'
${leger(["deploy", "install", "--source", source, "--yes"])} >/dev/null 2>&1
${fill(SIZE_MB)}
rm -rf /var/tmp/bench && mkdir -p /var/tmp/bench
for r in $(seq ${ROUNDS}); do
  rm -rf ${backups}/* /var/tmp/bench/*
  # 1. Backups.
  ${
  timed("hand_export", `podman volume export ${vol} -o /var/tmp/bench/hand.tar`)
}
  ${timed("leger_live", leger(["backup", "create", name, "--live"]))}
  ${
  timed(
    "hand_export_sum",
    `{ podman volume export ${vol} -o /var/tmp/bench/hand.tar && sha256sum /var/tmp/bench/hand.tar; }`,
  )
}
  ${
  timed(
    "hand_backup",
    `{ systemctl stop ${svc} && podman volume export ${vol} -o /var/tmp/bench/hand.tar && systemctl start ${svc}; }`,
  )
}
  ${timed("leger_backup", leger(["backup", "create", name]))}
  id=$(ls ${backups} | tail -1)
  # 2. Restores: bare import into a fresh volume.
  podman volume rm -f benchtmp >/dev/null 2>&1 || true
  podman volume create benchtmp >/dev/null
  ${
  timed("hand_import", "podman volume import benchtmp /var/tmp/bench/hand.tar")
}
  podman volume rm -f benchtmp >/dev/null
  podman volume create benchtmp >/dev/null
  ${
  timed(
    "hand_sum_import",
    "{ sha256sum /var/tmp/bench/hand.tar && podman volume import benchtmp /var/tmp/bench/hand.tar; }",
  )
}
  podman volume rm -f benchtmp >/dev/null
  # Over the existing volume.
  ${
  timed("leger_restore_over", `${leger(["backup", "restore", "ID", "--yes"])}`)
}
  ${
  timed(
    "hand_restore_over",
    `{ systemctl stop ${svc} && podman volume rm ${vol} && podman volume create ${vol} && podman volume import ${vol} /var/tmp/bench/hand.tar && systemctl start ${svc}; }`,
  )
}
  # Into a host whose deployment and volume were removed.
  ${
  leger(["deploy", "remove", name, "--remove-volumes", "--yes"])
} >/dev/null 2>&1
  ${
  timed("leger_restore_fresh", `${leger(["backup", "restore", "ID", "--yes"])}`)
}
  ${
  leger(["deploy", "remove", name, "--remove-volumes", "--yes"])
} >/dev/null 2>&1
  ${
  timed(
    "hand_restore_fresh",
    `{ (cd ${backups}/$id/files && podman quadlet install ${units}) && systemctl start ${
      names.volume.replace(".volume", "-volume.service")
    } && podman volume import ${vol} ${backups}/$id/volumes/${vol}.tar && systemctl start ${svc}; }`,
  )
}
  systemctl stop ${svc}; podman quadlet rm -f ${names.container} >/dev/null
  podman volume rm -f ${vol} >/dev/null; podman network rm -f ${names.networkName} >/dev/null
  ${leger(["backup", "restore", "ID", "--yes"])} >/dev/null 2>&1
done
rm -rf /var/tmp/bench
`);

/** Peak resident memory (kB) of a leger run in the background, polled. */
const peak = (label: string, args: string[]) => `
(${command(args)}) >/dev/null 2>/tmp/bench-err &
bg=$!
m=0
while kill -0 $bg 2>/dev/null; do
  p=$(pgrep -f '^${INSIDE}/deno run .*cli/main.ts ${args[0]} ${
  args[1]
}' | head -1)
  if [ -n "$p" ]; then
    v=$(awk '/VmHWM/ {print $2}' /proc/$p/status 2>/dev/null || true)
    [ -n "$v" ] && [ "$v" -gt "$m" ] && m=$v
  fi
  sleep 0.02
done
wait $bg || { echo "${label} failed"; cat /tmp/bench-err; exit 1; }
echo "${label} $m"`;

const memory = await inside(`
set -e
for mb in ${MEMORY_SIZES.join(" ")}; do
  ${fill("$mb")}
  rm -rf ${backups}/*
  ${peak("rss_backup_$mb", ["backup", "create", name])}
  id=$(ls ${backups} | tail -1)
  ${peak("rss_restore_$mb", ["backup", "restore", "ID", "--yes"])}
done
`);
await cleanup(name, "root");

/** The runs of a label: wall, user and system time in ms. */
function runs(label: string): { wall: number; cpu: number }[] {
  return output.split("\n").filter((l) => l.startsWith(`${label} `)).map(
    (line) => {
      const [, real, user, sys] = line.split(" ").map(Number);
      return { wall: real * 1000, cpu: (user + sys) * 1000 };
    },
  );
}
/** Median wall time, ms. */
const ms = (label: string) =>
  Math.round(median(runs(label).map((r) => r.wall)));
/** Median CPU time (user + system, the processes it waited for included), ms. */
const cpu = (label: string) =>
  Math.round(median(runs(label).map((r) => r.cpu)));
const ratio = (a: string, b: string) => (ms(a) / ms(b)).toFixed(2);
const kb = (label: string) => parseTimes(memory, label)[0];
const without = (label: string) => ms(label) - 1000;
const report = [
  `Backup and restore of a ${SIZE_MB} MB volume (root, median of ${ROUNDS}; wall time, and CPU time with the processes waited for):`,
  `  backup --live: leger ${ms("leger_live")} ms (CPU ${
    cpu("leger_live")
  } ms), podman volume export ${ms("hand_export")} ms (CPU ${
    cpu("hand_export")
  } ms): ${
    ratio("leger_live", "hand_export")
  }× (target ≤ 1.1×); export + sha256sum by hand ${
    ms("hand_export_sum")
  } ms (CPU ${cpu("hand_export_sum")} ms): ${
    ratio("leger_live", "hand_export_sum")
  }×`,
  `  backup (services stopped): leger ${
    ms("leger_backup")
  } ms, stop + export + start by hand ${ms("hand_backup")} ms: ${
    ratio("leger_backup", "hand_backup")
  }×`,
  `  restore after remove --remove-volumes: leger ${
    ms("leger_restore_fresh")
  } ms (${
    without("leger_restore_fresh")
  } ms without the 1 s settle window), by hand (quadlet install, volume service, import, start) ${
    ms("hand_restore_fresh")
  } ms: ${ratio("leger_restore_fresh", "hand_restore_fresh")}× (${
    (without("leger_restore_fresh") / ms("hand_restore_fresh")).toFixed(2)
  }× without the window)`,
  `  bare volume: podman volume import ${
    ms("hand_import")
  } ms; sha256sum then import by hand ${ms("hand_sum_import")} ms`,
  `  restore over the existing volume (leger first exports its data, for the undo): leger ${
    ms("leger_restore_over")
  } ms (${
    without("leger_restore_over")
  } ms without the window), by hand (stop, rm, create, import, start) ${
    ms("hand_restore_over")
  } ms: ${ratio("leger_restore_over", "hand_restore_over")}×`,
  `Peak memory (VmHWM) of leger: backup ${
    MEMORY_SIZES.map((mb) => `${kb(`rss_backup_${mb}`)} kB at ${mb} MB`).join(
      ", ",
    )
  }; restore ${
    MEMORY_SIZES.map((mb) => `${kb(`rss_restore_${mb}`)} kB at ${mb} MB`).join(
      ", ",
    )
  }`,
];
await Deno.stdout.write(new TextEncoder().encode(report.join("\n") + "\n"));
