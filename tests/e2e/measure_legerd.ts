/**
 * Issue 11's numbers, measured inside the e2e host (root, system scope),
 * with legerd run by systemd from `systemd/system/legerd.service` against
 * the loopback leger.run inside the host:
 *
 * 1. The first sync of 200 secrets (`POST /v1/sync` naming them: 200
 *    `podman secret create`) against 200 sequential `podman secret create`
 *    typed by hand.
 * 2. A steady-state poll with 200 required secrets: the requests to
 *    leger.run, the Podman and systemctl runs and the writes legerd counts
 *    (`last_poll` of its health), and the server's own count of requests.
 * 3. legerd's resident memory when idle and its CPU time over 60 s idle.
 * 4. `leger secrets list` against `podman secret ls`, wall time.
 *
 * The timing loops run inside the host in one shell, so that `nspawn` exec
 * costs are not counted. Run: `LEGER_E2E=1 deno run -A
 * tests/e2e/measure_legerd.ts` (a script, not a `deno bench` file, so that
 * `deno task bench` never boots the e2e host).
 *
 * @module
 */
import {
  cleanup,
  hostExec,
  legerCommandLine,
  prepareHost,
  shellQuote,
} from "./_host.ts";
import {
  health,
  login,
  mainPid,
  socketPath,
  startLegerd,
  startServer,
  stopLegerd,
  stopServer,
  waitFor,
} from "./_legerd.ts";

const COUNT = 200;
const ROUNDS = Number(Deno.env.get("ROUNDS") ?? 10);
const NAMES = Array.from(
  { length: COUNT },
  (_, i) => `bench_${String(i).padStart(3, "0")}`,
);
const UNIT = "/etc/containers/systemd/bench-legerd.container";

async function inside(cmd: string): Promise<string> {
  const result = await hostExec(cmd);
  if (result.code !== 0) {
    throw new Error(`exit ${result.code}: ${cmd}\n${result.stderr}`);
  }
  return result.stdout;
}

function ms(nanoseconds: number): string {
  return `${(nanoseconds / 1e6).toFixed(1)} ms`;
}

await prepareHost();
await stopLegerd("root");
await cleanup("bench-legerd", "root");
await inside(
  `rm -f ${UNIT}; podman secret ls --format '{{.Name}}' | grep -E '^(bench|hand)_' | xargs -r podman secret rm >/dev/null; true`,
);
await startServer();
try {
  await login("root", 300);
  const token =
    `$(sed -n 's/.*"token": "\\(.*\\)".*/\\1/p' /run/leger-e2e-run/root.auth.json)`;
  await inside(
    `token=${token}; for n in ${NAMES.join(" ")}; do ` +
      `printf '{"value":"%s-%s"}' "$n" "$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \\n')" | ` +
      `curl -fsS -o /dev/null -X POST -H "Authorization: Bearer $token" -H 'content-type: application/json' --data-binary @- http://127.0.0.1:18787/secrets/$n; done`,
  );
  await startLegerd("root");

  // 1. First sync of 200 against 200 creates by hand.
  const body = JSON.stringify({ secrets: NAMES });
  const sync = Number(
    await inside(
      `s=$(date +%s%N); curl -fsS -o /dev/null --max-time 600 --unix-socket ${
        socketPath("root")
      } -X POST -H 'content-type: application/json' --data-binary ${
        shellQuote(body)
      } http://legerd/v1/sync; e=$(date +%s%N); echo $((e - s))`,
    ),
  );
  const created = Number(
    await inside(
      `podman secret ls --format '{{.Name}}' | grep -c '^bench_'`,
    ),
  );
  const byHand = Number(
    await inside(
      `s=$(date +%s%N); for i in $(seq -w 0 ${COUNT - 1}); do ` +
        `head -c 16 /dev/urandom | podman secret create --label io.example=1 hand_$i - >/dev/null; done; ` +
        `e=$(date +%s%N); echo $((e - s))`,
    ),
  );
  await inside(
    `podman secret ls --format '{{.Name}}' | grep '^hand_' | xargs -r podman secret rm >/dev/null`,
  );

  // 2. Steady state: a unit requiring all 200 (never started), then syncs.
  const unit = [
    "[Container]",
    "Image=localhost/bb:latest",
    ...NAMES.map((n) => `Secret=${n},type=env,target=${n.toUpperCase()}`),
    "",
  ].join("\n");
  await hostExec(`cat > ${UNIT}`, { stdin: unit });
  const steady: unknown[] = [];
  for (let round = 0; round < 3; round++) {
    await inside(
      `curl -fsS -o /dev/null --max-time 600 --unix-socket ${
        socketPath("root")
      } -X POST -d '{}' http://legerd/v1/sync`,
    );
    steady.push((await health("root") as { last_poll?: unknown }).last_poll);
  }

  // 3. Idle memory and CPU over 60 s.
  const pid = await mainPid("root");
  await waitFor("root", async () => (await health("root")).status === "ok", {
    seconds: 30,
    what: "legerd to be healthy before measuring it idle",
  });
  const ticks = async () => {
    const stat = await inside(`cat /proc/${pid}/stat`);
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]);
  };
  const rss = async () =>
    Number(/VmRSS:\s+(\d+)/.exec(await inside(`cat /proc/${pid}/status`))![1]);
  const hz = Number(await inside("getconf CLK_TCK"));
  const before = await ticks();
  const rssBefore = await rss();
  await inside("sleep 60");
  const after = await ticks();
  const rssAfter = await rss();

  // 4. `leger secrets list` against `podman secret ls`.
  const list = legerCommandLine(["secrets", "list"]);
  const loop = (cmd: string) =>
    `s=$(date +%s%N); for i in $(seq ${ROUNDS}); do ${cmd} >/dev/null || exit 1; done; e=$(date +%s%N); echo $(((e - s) / ${ROUNDS}))`;
  await inside(`(${list}) >/dev/null`); // warm the module cache
  const legerList = Number(await inside(loop(`(${list})`)));
  const podmanList = Number(await inside(loop("podman secret ls")));

  const report = {
    first_sync_200: {
      legerd: ms(sync),
      by_hand: ms(byHand),
      ratio: (sync / byHand).toFixed(2),
      created,
    },
    steady_state_last_poll: steady,
    idle: {
      rss_mb: [(rssBefore / 1024).toFixed(1), (rssAfter / 1024).toFixed(1)],
      cpu_seconds_over_60s: ((after - before) / hz).toFixed(2),
    },
    secrets_list: {
      leger: ms(legerList),
      podman: ms(podmanList),
      ratio: (legerList / podmanList).toFixed(2),
    },
  };
  // deno-lint-ignore no-console -- the script's report
  console.log(JSON.stringify(report, null, 2));
} finally {
  await stopLegerd("root");
  await inside(
    `rm -f ${UNIT}; podman secret ls --format '{{.Name}}' | grep -E '^(bench|hand)_' | xargs -r podman secret rm >/dev/null; true`,
  );
  await cleanup("bench-legerd", "root");
  await stopServer();
}
