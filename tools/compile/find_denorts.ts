/**
 * Where `deno compile` will take each target's denort from: `DENORT_BIN`,
 * Deno's cache, or dl.deno.land.
 *
 * @module
 */
import { CompileError, EXIT_SKIPPED, EXIT_USAGE } from "./compile_error.ts";
import { checkDenortBin } from "./denort_bin.ts";
import type { Target } from "./targets.ts";

/** Where `deno compile` will take a target's denort from. */
export type DenortSource =
  | { kind: "DENORT_BIN"; path: string }
  | { kind: "cache"; path: string }
  | { kind: "download"; url: string };

/** What {@linkcode findDenorts} looks at. */
export interface FindDenortsOptions {
  /** `DENORT_BIN`'s value, if set. */
  denortBin?: string;
  /** Deno's cache folder (`deno info --json`'s `denoDir`). */
  denoDir: string;
  /**
   * The version of Deno that compiles, whose denort it needs.
   *
   * @default {Deno.version.deno}
   */
  denoVersion?: string;
  /**
   * The version of that Deno's V8, which its denort holds.
   *
   * @default {Deno.version.v8}
   */
  v8Version?: string;
  /**
   * Used for the HEAD request to dl.deno.land.
   *
   * @default {globalThis.fetch}
   */
  fetch?: typeof fetch;
  /**
   * How long the HEAD request may take, in milliseconds.
   *
   * @default {5000}
   */
  timeoutMs?: number;
  /**
   * The environment variable that names the proxy the HEAD request goes
   * through (`HTTPS_PROXY`), if one is set: the message then says so.
   */
  proxyVariable?: string;
}

/**
 * Finds, before anything is built, the denort `deno compile` will use for
 * each target: `DENORT_BIN` (checked with {@linkcode checkDenortBin}), else
 * Deno's cache, else dl.deno.land if it answers a HEAD request for the zip.
 *
 * @param targets The targets to build.
 * @param options Where to look.
 * @returns Each target's denort, in `targets`' order.
 * @throws {CompileError} With exit code {@linkcode EXIT_SKIPPED} when a
 *   target has none (the message says what was looked at, why each failed,
 *   and the fix); 2 for `DENORT_BIN` with more than one target; 1 for a
 *   `DENORT_BIN` that does not fit.
 *
 * @example Usage
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { findDenorts } from "./find_denorts.ts";
 *
 * const sources = await findDenorts(["x86_64-unknown-linux-gnu"], {
 *   denoDir: "/nonexistent",
 *   denoVersion: "2.9.6",
 *   fetch: () => Promise.resolve(new Response(null, { status: 200 })),
 * });
 * deepStrictEqual(sources, [{
 *   kind: "download",
 *   url: "https://dl.deno.land/release/v2.9.6/denort-x86_64-unknown-linux-gnu.zip",
 * }]);
 * ```
 */
export async function findDenorts(
  targets: readonly Target[],
  options: FindDenortsOptions,
): Promise<DenortSource[]> {
  const {
    denortBin,
    denoDir,
    denoVersion = Deno.version.deno,
    v8Version = Deno.version.v8,
    fetch: fetchFn = globalThis.fetch,
    timeoutMs = 5000,
    proxyVariable,
  } = options;
  // Deno reads DENORT_BIN whenever it is set, even empty.
  if (denortBin !== undefined) {
    if (targets.length > 1) {
      throw new CompileError(
        `Cannot compile for ${
          targets.join(" and ")
        } with DENORT_BIN set: Deno uses that one denort ("${denortBin}") for every target\n  Pass --target with the target of that denort, or unset DENORT_BIN`,
        EXIT_USAGE,
      );
    }
    await checkDenortBin(denortBin, targets[0], { denoVersion, v8Version });
    return [{ kind: "DENORT_BIN", path: denortBin }];
  }
  const found: DenortSource[] = [];
  const missing: { target: Target; facts: string[]; probe: Probe }[] = [];
  for (const target of targets) {
    const zip = `denort-${target}.zip`;
    const path = `${denoDir}/dl/release/v${denoVersion}/${zip}`;
    if (await isFile(path)) {
      found.push({ kind: "cache", path });
      continue;
    }
    const url = `https://dl.deno.land/release/v${denoVersion}/${zip}`;
    const result = await probe(url, fetchFn, timeoutMs);
    if (result === null) {
      found.push({ kind: "download", url });
      continue;
    }
    missing.push({
      target,
      probe: result,
      facts: [
        `  ${target}: Deno's cache has no ${path}`,
        `  ${target}: ${url}: ${result.detail}${
          proxyVariable ? ` (through the proxy ${proxyVariable} names)` : ""
        }`,
      ],
    });
  }
  if (missing.length === 0) return found;
  throw new CompileError(
    missingDenortMessage(missing, denoVersion),
    EXIT_SKIPPED,
  );
}

/** Why dl.deno.land gave no denort: in short (for the first line), and in full. */
interface Probe {
  summary: string;
  detail: string;
}

function missingDenortMessage(
  missing: { target: Target; facts: string[]; probe: Probe }[],
  denoVersion: string,
): string {
  const targets = missing.map((m) => m.target);
  const summaries = [...new Set(missing.map((m) => m.probe.summary))];
  const zip = targets.length === 1
    ? `denort-${targets[0]}.zip`
    : "denort-<target>.zip";
  return [
    `Cannot compile leger: no denort for ${
      targets.join(" or ")
    } (DENORT_BIN is not set, Deno's cache has none, ${
      summaries.join(", ")
    }), so nothing was built`,
    `  denort is the runtime of Deno ${denoVersion} that \`deno compile\` joins to the program`,
    ...missing.flatMap((m) => m.facts),
    `  Build on a machine that reaches dl.deno.land, or set DENORT_BIN to the \`denort\` of Deno ${denoVersion} for ${
      targets.length === 1 ? "that target" : "one target (and pass --target)"
    }, unzipped from ${zip} (https://github.com/denoland/deno/releases/tag/v${denoVersion})`,
  ].join("\n");
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/** `null` when `url` answers 2xx to HEAD, else why not. */
async function probe(
  url: string,
  fetchFn: typeof fetch,
  timeoutMs: number,
): Promise<Probe | null> {
  try {
    const response = await fetchFn(url, {
      method: "HEAD",
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    if (response.ok) return null;
    return {
      summary: `dl.deno.land answered HTTP ${response.status}`,
      detail: `HTTP ${response.status} ${response.statusText}`.trim(),
    };
  } catch (error) {
    const unreachable = "dl.deno.land is unreachable";
    if (error instanceof DOMException && error.name === "TimeoutError") {
      return {
        summary: unreachable,
        detail: `no answer within ${timeoutMs / 1000} s`,
      };
    }
    if (!(error instanceof TypeError)) throw error;
    return { summary: unreachable, detail: networkReason(error, url) };
  }
}

/** The innermost reason of a failed fetch, without what Deno repeats. */
function networkReason(error: Error, url: string): string {
  let reason: unknown = error;
  while (reason instanceof Error && reason.cause instanceof Error) {
    reason = reason.cause;
  }
  const message = reason instanceof Error ? reason.message : String(reason);
  return message.replace(`error sending request for url (${url}): `, "")
    .replace(/^client error \(Connect\): /, "");
}
