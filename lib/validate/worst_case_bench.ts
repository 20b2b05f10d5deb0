/**
 * Throughput from bytes to plan over the worst shapes leger accepts (and a
 * few it refuses), each generated at the size limits of a local source (files
 * of 1 MiB, 10,000 files, 64 MiB in all; see `lib/testing/worst_cases.ts`):
 * the manifests, the units and their drop-ins, validation, conflicts with a
 * busy host and the plan, as `leger validate` runs them without Podman's
 * generator (`lib/testing/plan_files.ts`).
 *
 * Each bench's name gives the shape's size; after the run a table on stderr
 * gives each shape's median time and throughput in bytes/s.
 *
 * Run with `deno bench --allow-read lib/validate/worst_case_bench.ts`
 * (`deno task bench` runs it with the others).
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { DeploymentFile } from "../manifest/types.ts";
import { busyHost, planFiles } from "../testing/plan_files.ts";
import { worstCases } from "../testing/worst_cases.ts";

const host = busyHost();
const encoder = new TextEncoder();
const timings = new Map<string, { bytes: number; ms: number[] }>();

for (const shape of worstCases()) {
  const files: DeploymentFile[] = shape.files.map((file) => ({
    path: file.path,
    bytes: encoder.encode(file.text),
    sha256: createHash("sha256").update(file.text).digest("hex"),
  }));
  const bytes = files.reduce((sum, file) => sum + file.bytes.length, 0);
  const timing = { bytes, ms: [] as number[] };
  timings.set(shape.name, timing);
  const heavy = bytes > 8 * 1024 * 1024;
  Deno.bench({
    name: `${shape.name}: ${files.length} files, ${bytes} bytes`,
    group: shape.accepted ? "accepted" : "refused",
    n: heavy ? 3 : 10,
    warmup: 1,
    fn: () => {
      const start = performance.now();
      planFiles(files, { host });
      timing.ms.push(performance.now() - start);
    },
  });
}

globalThis.addEventListener("unload", () => {
  const lines = ["shape\tbytes\tmedian ms\tbytes/s"];
  for (const [name, { bytes, ms }] of timings) {
    if (ms.length === 0) continue;
    const median = [...ms].sort((a, b) => a - b)[Math.floor(ms.length / 2)];
    const rate = Math.round(bytes / (median / 1000));
    lines.push(`${name}\t${bytes}\t${median.toFixed(1)}\t${rate}`);
  }
  Deno.stderr.writeSync(encoder.encode(`${lines.join("\n")}\n`));
});
