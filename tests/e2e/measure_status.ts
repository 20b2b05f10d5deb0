/**
 * Issue 13's numbers, measured inside the e2e host (root, system scope), in
 * one run:
 *
 * 1. The processes `leger status --json` and `leger deploy list --json`
 *    start, with 3 and with 30 services installed (PATH shims count every
 *    program leger may run): constant in the number of services.
 * 2. With 30 services: the wall time of `leger status --json` against one
 *    `podman ps --all --format json` (target ≤ 1.5×), and of
 *    `leger deploy list --json` against one `podman quadlet list --format
 *    json` (target ≤ 1.5×; issue 4 measured 1.95× when deploy list still
 *    ran `podman quadlet list`), medians of ROUNDS runs, each pair run one
 *    after the other in the same loop.
 *
 * The services are busybox sleepers without a health check, so that the
 * times are leger's own and not an HTTP server's. The timing loops run
 * inside the host in one shell, so that `nspawn` exec costs are not counted.
 * Run: `LEGER_E2E=1 deno run -A tests/e2e/measure_status.ts` (a script, not
 * a `deno bench` file, so that `deno task bench` never boots the e2e host).
 *
 * @module
 */
import { cleanup, prepareHost, writeSource } from "./_host.ts";
import {
  inside,
  leger,
  median,
  now,
  parseTimes,
  sleepers,
} from "./_measure.ts";

const ROUNDS = Number(Deno.env.get("ROUNDS") ?? 7);

function line(output: string, label: string): string {
  return output.split("\n").find((l) => l.startsWith(`${label} `))
    ?.slice(label.length + 1) ?? "?";
}

const SHIMS = `
mkdir -p /tmp/bench-shims
for bin in podman systemctl journalctl git cat tailscale; do
  real=$(PATH=/usr/sbin:/usr/bin:/sbin:/bin command -v $bin) || continue
  printf '#!/bin/sh\\necho %s "$1" >> /tmp/bench-spawns\\nexec %s "$@"\\n' "$bin" "$real" > /tmp/bench-shims/$bin
  chmod +x /tmp/bench-shims/$bin
done`;

/** Counts the programs one leger command starts: `<n> <bin arg1, …>`. */
function counted(label: string, args: string[]): string {
  return `
: > /tmp/bench-spawns
(export PATH=/tmp/bench-shims:$PATH; ${
    leger(args)
  }) > /tmp/bench-out.json || true
echo "${label} $(wc -l < /tmp/bench-spawns) $(sort /tmp/bench-spawns | uniq -c | tr -s ' ' | tr '\\n' ',')"
echo "${label}-services $(grep -c '"service":' /tmp/bench-out.json)"`;
}

await prepareHost();
await cleanup("bench-status", "root");
try {
  const three = await writeSource(
    "bench-status3",
    sleepers("bench-status3", 3),
  );
  const thirty = await writeSource(
    "bench-status30",
    sleepers("bench-status30", 30),
  );
  const output = await inside(`
set -e
${SHIMS}
${leger(["deploy", "install", "--source", three, "--yes"])} >/dev/null 2>&1
${counted("status3", ["status", "--json"])}
${counted("list3", ["deploy", "list", "--json"])}
${leger(["deploy", "remove", "bench-status3", "--yes"])} >/dev/null 2>&1
${leger(["deploy", "install", "--source", thirty, "--yes"])} >/dev/null 2>&1
${counted("status30", ["status", "--json"])}
${counted("list30", ["deploy", "list", "--json"])}
${leger(["status", "--json"])} >/dev/null || exit 1
for i in $(seq ${ROUNDS}); do
  t0=$(${now}); ${
    leger(["status", "--json"])
  } >/dev/null; t1=$(${now}); echo "status $((t1 - t0))"
  t0=$(${now}); podman ps --all --format json >/dev/null; t1=$(${now}); echo "ps $((t1 - t0))"
  t0=$(${now}); ${
    leger(["deploy", "list", "--json"])
  } >/dev/null; t1=$(${now}); echo "list $((t1 - t0))"
  t0=$(${now}); podman quadlet list --format json >/dev/null; t1=$(${now}); echo "quadlet $((t1 - t0))"
done
${leger(["deploy", "remove", "bench-status30", "--yes"])} >/dev/null 2>&1
`);
  const statusMs = median(parseTimes(output, "status"));
  const psMs = median(parseTimes(output, "ps"));
  const listMs = median(parseTimes(output, "list"));
  const quadletMs = median(parseTimes(output, "quadlet"));
  const report = [
    `processes started, 3 services (${
      line(output, "status3-services")
    } listed): leger status --json ${
      line(output, "status3")
    }; deploy list --json ${line(output, "list3")}`,
    `processes started, 30 services (${
      line(output, "status30-services")
    } listed): leger status --json ${
      line(output, "status30")
    }; deploy list --json ${line(output, "list30")}`,
    `leger status --json with 30 services (median of ${ROUNDS}): ${statusMs} ms, podman ps --all --format json ${psMs} ms: ${
      (statusMs / psMs).toFixed(2)
    }× (target ≤ 1.5×)`,
    `leger deploy list --json with 30 services (median of ${ROUNDS}): ${listMs} ms, podman quadlet list --format json ${quadletMs} ms: ${
      (listMs / quadletMs).toFixed(2)
    }× (target ≤ 1.5×)`,
    `all runs (ms): status ${parseTimes(output, "status").join(" ")}; ps ${
      parseTimes(output, "ps").join(" ")
    }; list ${parseTimes(output, "list").join(" ")}; quadlet ${
      parseTimes(output, "quadlet").join(" ")
    }`,
  ];
  await Deno.stdout.write(new TextEncoder().encode(report.join("\n") + "\n"));
} finally {
  await cleanup("bench-status", "root");
}
