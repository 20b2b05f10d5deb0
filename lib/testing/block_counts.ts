/**
 * Counts how often each block of leger's code runs while the worst shapes
 * of `worst_cases.ts` are planned at two sizes, the second twice the first,
 * and reports the blocks that ran more than three times as often: a linear
 * block runs about twice as often, an n log n one a little more, a quadratic
 * one four times as often. The counts are V8's precise block coverage
 * (through `node:inspector`); loops inside the engine (such as
 * `Array.prototype.includes`) are not counted, only leger's own code.
 *
 * V8's optimising compilers do not count calls of the functions they
 * compile, so the counts are exact only without them: run it as
 * `deno run --v8-flags=--no-opt,--no-maglev --allow-read --allow-sys lib/testing/block_counts.ts`
 * (`node:inspector` asks for `--allow-sys`),
 * which prints a {@linkcode BlockReport} as JSON
 * (`lib/validate/worst_case_test.ts` does, and judges it).
 *
 * @module
 */
import { Session } from "node:inspector";
import { createHash } from "node:crypto";
import type { DeploymentFile } from "../manifest/types.ts";
import { busyHost, planFiles } from "./plan_files.ts";
import { type WorstCase, worstCases } from "./worst_cases.ts";

/** The smaller size, as a fraction of the limits: files of 16 KiB, 156 files. */
export const SCALE = 1 / 64;
/** A block that runs more than this many times as often at twice the size is super-linear. */
export const MAX_RATIO = 3;
/** Blocks that run fewer times than this at the larger size are not judged. */
export const MIN_COUNT = 1000;

/** Where the measured code lives: lib/, but not the generators of the shapes or the tests. */
const LIB = new URL("../", import.meta.url).href;

interface CoverageRange {
  startOffset: number;
  endOffset: number;
  count: number;
}

interface FunctionCoverage {
  functionName: string;
  ranges: CoverageRange[];
}

interface ScriptCoverage {
  scriptId: string;
  url: string;
  functions: FunctionCoverage[];
}

/** Block counts by script, function (by its start) and then its ranges. */
type Counts = Map<string, Map<number, FunctionCoverage>>;

class BlockCounter {
  #session = new Session();
  #scripts = new Map<string, string>();
  #sources = new Map<string, string>();

  async start(): Promise<void> {
    this.#session.connect();
    await this.#post("Profiler.enable");
    await this.#post("Profiler.startPreciseCoverage", {
      callCount: true,
      detailed: true,
    });
  }

  /** The counts since the last call (V8 resets them as it reports them). */
  async take(): Promise<Counts> {
    const { result } = await this.#post("Profiler.takePreciseCoverage") as {
      result: ScriptCoverage[];
    };
    const counts: Counts = new Map();
    for (const script of result) {
      if (!script.url.startsWith("file:")) continue;
      this.#scripts.set(script.url, script.scriptId);
      counts.set(
        script.url,
        new Map(script.functions.map((f) => [f.ranges[0].startOffset, f])),
      );
    }
    return counts;
  }

  /**
   * The code at an offset of a script, for a message: offsets are those of
   * the JavaScript V8 runs (types stripped), not of the TypeScript file.
   */
  async codeAt(url: string, offset: number): Promise<string> {
    let source = this.#sources.get(url);
    if (source === undefined) {
      await this.#post("Debugger.enable");
      ({ scriptSource: source } = await this.#post("Debugger.getScriptSource", {
        scriptId: this.#scripts.get(url),
      }) as { scriptSource: string });
      this.#sources.set(url, source);
    }
    return source.slice(offset, offset + 60).replace(/\s+/g, " ").trim();
  }

  #post(method: string, params: object = {}): Promise<unknown> {
    return new Promise((resolve, reject) =>
      this.#session.post(
        method,
        params,
        (error: Error | null, result: unknown) =>
          error ? reject(error) : resolve(result),
      )
    );
  }
}

function measured(url: string): boolean {
  return url.startsWith(LIB) && !url.startsWith(`${LIB}testing/`) &&
    !url.endsWith("_test.ts") && !url.endsWith("_bench.ts");
}

/**
 * How often the block `range` of a function ran: V8 leaves out a block that
 * ran as often as the block around it, so the innermost reported range that
 * holds it says.
 */
function countOf(fn: FunctionCoverage | undefined, range: CoverageRange) {
  let count = 0;
  let size = Infinity;
  for (const r of fn?.ranges ?? []) {
    const holds = r.startOffset <= range.startOffset &&
      range.endOffset <= r.endOffset;
    if (holds && r.endOffset - r.startOffset < size) {
      count = r.count;
      size = r.endOffset - r.startOffset;
    }
  }
  return count;
}

/** A block that ran more than {@linkcode MAX_RATIO} times as often at twice the size. */
export interface Growth {
  /** Its function and file: `addLine in unit/parse_unit.ts`. */
  where: string;
  /** The start of its code (as V8 runs it: types stripped). */
  code: string;
  /** How often it ran at the smaller size. */
  small: number;
  /** How often it ran at twice the size. */
  large: number;
}

/** The blocks that ran more than {@linkcode MAX_RATIO} times as often in `large`. */
async function superLinear(
  counter: BlockCounter,
  small: Counts,
  large: Counts,
  judged: (url: string) => boolean = measured,
): Promise<Growth[]> {
  const found: Growth[] = [];
  for (const [url, functions] of large) {
    if (!judged(url)) continue;
    for (const [start, fn] of functions) {
      for (const range of fn.ranges) {
        if (range.count < MIN_COUNT) continue;
        const before = countOf(small.get(url)?.get(start), range);
        if (range.count <= MAX_RATIO * Math.max(before, 1)) continue;
        found.push({
          where: `${fn.functionName || "(anonymous)"} in ${
            url.startsWith(LIB) ? url.slice(LIB.length) : url
          }`,
          code: await counter.codeAt(url, range.startOffset),
          small: before,
          large: range.count,
        });
      }
    }
  }
  return found;
}

function filesOf(shape: WorstCase): DeploymentFile[] {
  const encoder = new TextEncoder();
  return shape.files.map((file) => ({
    path: file.path,
    bytes: encoder.encode(file.text),
    sha256: createHash("sha256").update(file.text).digest("hex"),
  }));
}

/** Each with each: what the counting must catch. */
function pairs(n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) sum += i ^ j;
  }
  return sum;
}

/** Each once, and a sort: what the counting must let pass. */
function sorted(n: number): number[] {
  const items = Array.from({ length: n }, (_, i) => (i * 7919) % n);
  return items.sort((a, b) => a - b);
}

/** What one shape did. */
export interface ShapeReport {
  /** The shape's name. */
  name: string;
  /** Whether leger accepted it at both sizes as the shape says it should. */
  acceptedAsExpected: boolean;
  /** The blocks that grew faster than linearly; none is right. */
  growths: Growth[];
}

/** What {@linkcode measureBlockGrowth} found. */
export interface BlockReport {
  /** Each worst shape. */
  shapes: ShapeReport[];
  /**
   * The check of the counting itself, over a quadratic function (`pairs`)
   * and an n log n one (`sorted`): it must name `pairs` alone.
   */
  selfCheck: Growth[];
}

/**
 * Plans each worst shape at {@linkcode SCALE} and twice that, and reports
 * the blocks of leger's code that ran more than {@linkcode MAX_RATIO} times
 * as often at the larger size.
 *
 * @param only The shapes to plan; by default all.
 * @returns The report.
 *
 * @example Usage
 * ```ts ignore
 * import { measureBlockGrowth } from "./block_counts.ts";
 * const report = await measureBlockGrowth(["sections"]);
 * console.log(report.shapes[0].growths);
 * ```
 */
export async function measureBlockGrowth(
  only?: readonly string[],
): Promise<BlockReport> {
  const counter = new BlockCounter();
  await counter.start();
  const self = (url: string) => url === import.meta.url;
  const run = async (size: number) => {
    pairs(size);
    sorted(20 * size);
    return await counter.take();
  };
  await run(100);
  const selfCheck = await superLinear(
    counter,
    await run(100),
    await run(200),
    self,
  );
  const host = busyHost();
  const smalls = worstCases({ scale: SCALE, only });
  const larges = worstCases({ scale: 2 * SCALE, only });
  const shapes: ShapeReport[] = [];
  for (const [i, small] of smalls.entries()) {
    const smallFiles = filesOf(small);
    const largeFiles = filesOf(larges[i]);
    // A first plan of each compiles what it needs; the counts that follow
    // are those of the plan alone.
    planFiles(smallFiles, { host });
    await counter.take();
    const smallPlan = planFiles(smallFiles, { host });
    const smallCounts = await counter.take();
    const largePlan = planFiles(largeFiles, { host });
    const largeCounts = await counter.take();
    const accepted = (plan: typeof smallPlan) =>
      plan.valid && plan.conflicts.length === 0;
    shapes.push({
      name: small.name,
      acceptedAsExpected: accepted(smallPlan) === small.accepted &&
        accepted(largePlan) === small.accepted,
      growths: await superLinear(counter, smallCounts, largeCounts),
    });
  }
  return { shapes, selfCheck };
}

if (import.meta.main) {
  const report = await measureBlockGrowth(
    Deno.args.length > 0 ? Deno.args : undefined,
  );
  await Deno.stdout.write(new TextEncoder().encode(JSON.stringify(report)));
}
