/**
 * A 20-file leger.run deployment (the service's own rendering,
 * `tests/testdata/leger-run-rendered/v1`: its manifest, the 19 files it
 * lists and the `llm.network` it leaves out) fetched from the loopback
 * leger.run by `fetchLegerRunSource()` (checksums, reference closure and
 * normalisation included), against fetching the same 21 URLs with `curl`
 * one after another in the same run: one `curl` process per file (the
 * baseline), and, for reference, one `curl` given all the URLs (it reuses
 * its connection). Target: leger ≤ 1.0× the baseline.
 *
 * Medians of a few timed runs are printed before deno bench's own table.
 *
 * Run with `deno bench --allow-all tests/leger_run_fetch_bench.ts`.
 *
 * @module
 */
import { fetchLegerRunSource } from "../lib/source/fetch_leger_run_source.ts";
import { TESTDATA } from "./_leger.ts";
import { LegerRunServer } from "./leger_run_server.ts";

const UUID = "f44a09fc-90d1-5f2b-bf2c-7380100ec435";
const FIXTURE = `${TESTDATA}/leger-run-rendered/v1`;
const RUNS = 15;

const server = await LegerRunServer.start();
globalThis.addEventListener("unload", () => void server.close());
await server.addStaticDir(`${UUID}/v1`, FIXTURE);
const folder = `${server.staticUrl}/${UUID}/v1/`;
const urls = [
  `${folder}manifest.json`,
  ...[...Deno.readDirSync(FIXTURE)].map((e) => e.name).filter((n) =>
    n !== "manifest.json"
  ).sort().map((name) => `${folder}${name}`),
];
if (urls.length !== 21) throw new Error(`Expected 21 URLs, got ${urls.length}`);

async function leger(): Promise<void> {
  const deployment = await fetchLegerRunSource(
    { userUuid: UUID, version: "v1" },
    {
      urls: {
        api: server.apiUrl,
        static: server.staticUrl,
        web: server.webUrl,
      },
    },
  );
  if (deployment.files.length !== 20) throw new Error("Unexpected deployment");
}

async function curl(args: string[]): Promise<void> {
  const { code } = await new Deno.Command("curl", {
    args: ["--silent", "--show-error", "--fail", ...args],
    stdout: "null",
  }).output();
  if (code !== 0) throw new Error(`curl exited with ${code}`);
}

async function curlEach(): Promise<void> {
  for (const url of urls) await curl(["--output", "/dev/null", url]);
}

async function curlOnce(): Promise<void> {
  await curl(urls.flatMap((url) => ["--output", "/dev/null", url]));
}

async function median(fn: () => Promise<void>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)];
}

// Warm every path once (module graph, connection pool, page cache).
await leger();
await curlEach();
await curlOnce();
const legerMs = await median(leger);
const eachMs = await median(curlEach);
const onceMs = await median(curlOnce);
// deno-lint-ignore no-console -- the benchmark's report, beside deno bench's table
console.log(
  [
    `20 files + manifest from ${server.staticUrl} (medians of ${RUNS} runs)`,
    `fetchLegerRunSource():              ${legerMs.toFixed(1)} ms`,
    `curl, one process per file:         ${eachMs.toFixed(1)} ms`,
    `curl, one process for all 21 URLs:  ${onceMs.toFixed(1)} ms`,
    `ratio: ${
      (legerMs / eachMs).toFixed(2)
    }× the per-file curl (target ≤ 1.0×), ${
      (legerMs / onceMs).toFixed(2)
    }× the single curl`,
  ].join("\n"),
);

Deno.bench({
  name: "curl, one process per file, one after another",
  group: "leger.run",
  baseline: true,
  n: 20,
  warmup: 2,
  fn: curlEach,
});
Deno.bench({
  name: "curl, one process for all URLs",
  group: "leger.run",
  n: 20,
  warmup: 2,
  fn: curlOnce,
});
Deno.bench({
  name: "fetchLegerRunSource() v1 (20 files)",
  group: "leger.run",
  n: 20,
  warmup: 2,
  fn: leger,
});
