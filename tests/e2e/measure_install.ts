/**
 * Issue 4's numbers, measured inside the e2e host (root, system scope):
 *
 * 1. `leger deploy install` of a 3-unit deployment (container, volume,
 *    network), installed and started, against the same `podman quadlet
 *    install` and `systemctl start` typed by hand. Target ≤ 1.3×.
 * 2. `leger deploy list --json` with 30 services installed: the processes it
 *    spawns, and its wall time against one `podman quadlet list --format
 *    json`. Target ≤ 1.5×.
 *
 * 3. Pulling N images in parallel with leger's `pullImages` against `podman
 *    pull` of the same images one after another (the host has no network:
 *    the images come from local OCI archives, a transport like any other
 *    for `podman pull`).
 *
 * Issue 9 asks for leger's overhead without the settle window: the window is
 * four pauses of 250 ms between state checks (`applyDeployment`), so the
 * overhead is leger's time less the time by hand less 1,000 ms.
 *
 * The timing loops run inside the host in one shell, so that `nspawn` exec
 * costs are not counted. Run: `LEGER_E2E=1 deno run -A tests/e2e/measure_install.ts` (a script, not a
 * `deno bench` file, so that `deno task bench` never boots the e2e host).
 *
 * @module
 */
import {
  cleanup,
  INSIDE,
  prepareHost,
  PROJECT_INSIDE,
  SHARE,
  writeSource,
} from "./_host.ts";
import {
  inside,
  leger,
  median,
  now,
  parseTimes,
  sleepers,
} from "./_measure.ts";

const ROUNDS = Number(Deno.env.get("ROUNDS") ?? 5);

function webUnits(prefix: string, port: number): Record<string, string> {
  return {
    [`${prefix}-web.container`]: [
      "[Container]",
      "Image=localhost/bb:latest",
      `Exec=/bin/busybox sh -c "trap 'exit 0' TERM; /bin/busybox httpd -f -p 8080 -h /www & wait"`,
      `PublishPort=127.0.0.1:${port}:8080`,
      `Volume=${prefix}-data.volume:/data`,
      `Network=${prefix}-net.network`,
      "",
    ].join("\n"),
    [`${prefix}-data.volume`]: "[Volume]\n",
    [`${prefix}-net.network`]: "[Network]\n",
  };
}

await prepareHost();
// A run that was interrupted may have left its deployments behind.
await cleanup("bench", "root");

// 1. Install and start: leger against the same steps by hand.
const bySource = await writeSource(
  "bench-leger",
  webUnits("bench-leger", 18401),
);
const byHand = await writeSource("bench-hand", webUnits("bench-hand", 18402));
const installOutput = await inside(`
set -e
for i in $(seq ${ROUNDS}); do
  t0=$(${now}); ${
  leger(["deploy", "install", "--source", bySource, "--yes"])
} >/dev/null 2>&1; t1=$(${now})
  echo "leger $((t1 - t0))"
  ${
  leger(["deploy", "remove", "bench-leger", "--yes", "--remove-volumes"])
} >/dev/null 2>&1
  t0=$(${now}); (cd ${byHand} && podman quadlet install bench-hand-web.container bench-hand-data.volume bench-hand-net.network >/dev/null) && systemctl start bench-hand-web.service; t1=$(${now})
  echo "hand $((t1 - t0))"
  systemctl stop bench-hand-web.service; podman quadlet rm -f bench-hand-web.container >/dev/null
  podman volume rm -f systemd-bench-hand-data >/dev/null; podman network rm -f systemd-bench-hand-net >/dev/null
done
`);
const legerMs = median(parseTimes(installOutput, "leger"));
const handMs = median(parseTimes(installOutput, "hand"));

// 2. deploy list with 30 services, and the processes it starts (PATH shims count them).
const thirty = await writeSource("bench-list", sleepers("bench-list", 30));
const listOutput = await inside(`
set -e
${leger(["deploy", "install", "--source", thirty, "--yes"])} >/dev/null 2>&1
mkdir -p /tmp/bench-shims && : > /tmp/bench-spawns
for bin in podman systemctl journalctl git cat; do
  real=$(command -v $bin) || continue
  printf '#!/bin/sh\\necho %s >> /tmp/bench-spawns\\nexec %s "$@"\\n' "$bin" "$real" > /tmp/bench-shims/$bin
  chmod +x /tmp/bench-shims/$bin
done
(export PATH=/tmp/bench-shims:$PATH; ${
  leger(["deploy", "list", "--json"])
}) > /tmp/bench-list.json
echo "spawned $(wc -l < /tmp/bench-spawns) $(sort /tmp/bench-spawns | uniq -c | tr -s ' ' | tr '\\n' ',')"
echo "services $(grep -c '"service"' /tmp/bench-list.json)"
for i in $(seq ${ROUNDS}); do
  t0=$(${now}); ${
  leger(["deploy", "list", "--json"])
} >/dev/null; t1=$(${now}); echo "list $((t1 - t0))"
  t0=$(${now}); podman quadlet list --format json >/dev/null; t1=$(${now}); echo "podman $((t1 - t0))"
done
${leger(["deploy", "remove", "bench-list", "--yes"])} >/dev/null 2>&1
`);
const spawned = listOutput.split("\n").find((l) => l.startsWith("spawned "));
const services = listOutput.split("\n").find((l) => l.startsWith("services "));
const listMs = median(parseTimes(listOutput, "list"));
const podmanMs = median(parseTimes(listOutput, "podman"));

// 3. Pulls: N images from local OCI archives, leger's pullImages (parallel)
// against podman pull one after another.
const PULLS = 4;
await Deno.writeTextFile(
  `${SHARE}/bench-pull.ts`,
  `import { pullImages } from "${PROJECT_INSIDE}/lib/deploy/pull_images.ts";
import { deployContext } from "${PROJECT_INSIDE}/lib/deploy/context.ts";
const context = deployContext({ scope: "system", home: "/root", cwd: "/", env: () => undefined });
const images = Deno.args.map((image) => ({ image, unit: "bench.container", file: "bench.container", line: 1, policy: "always" as const }));
const t0 = performance.now();
await pullImages(images, context, {});
console.log("parallel " + Math.round(performance.now() - t0));
`,
  { mode: 0o644 },
);
const archives = Array.from(
  { length: PULLS },
  (_, i) => `oci-archive:/tmp/bench-pull-${i}.tar`,
);
const pullOutput = await inside(`
set -e
for i in $(seq 0 ${PULLS - 1}); do
  [ -e /tmp/bench-pull-$i.tar ] && continue
  podman tag localhost/bb:latest localhost/bench-pull-$i:1
  podman save --quiet --format oci-archive -o /tmp/bench-pull-$i.tar localhost/bench-pull-$i:1
  podman rmi localhost/bench-pull-$i:1 >/dev/null
done
for r in $(seq ${ROUNDS}); do
  t0=$(${now}); for a in ${
  archives.join(" ")
}; do podman pull --quiet $a >/dev/null; done; t1=$(${now})
  echo "sequential $((t1 - t0))"
  DENO_DIR=${INSIDE}/deno-dir ${INSIDE}/deno run --quiet -A ${INSIDE}/bench-pull.ts ${
  archives.join(" ")
}
done
`);
await Deno.remove(`${SHARE}/bench-pull.ts`);
const sequentialMs = median(parseTimes(pullOutput, "sequential"));
const parallelMs = median(parseTimes(pullOutput, "parallel"));

const report = [
  `install + start of 3 units (median of ${ROUNDS}): leger ${legerMs} ms, by hand ${handMs} ms: ${
    (legerMs / handMs).toFixed(2)
  }×; the settle window 1000 ms; leger's overhead without it ${
    legerMs - handMs - 1000
  } ms (target ≤ 300 ms)`,
  `pull of ${PULLS} images (median of ${ROUNDS}): leger in parallel ${parallelMs} ms, podman pull one after another ${sequentialMs} ms: ${
    (parallelMs / sequentialMs).toFixed(2)
  }×`,
  `deploy list --json with 30 ${services}: ${spawned}`,
  `deploy list --json (median of ${ROUNDS}): ${listMs} ms, podman quadlet list --format json ${podmanMs} ms: ${
    (listMs / podmanMs).toFixed(2)
  }× (target ≤ 1.5×)`,
];
await Deno.stdout.write(new TextEncoder().encode(report.join("\n") + "\n"));
