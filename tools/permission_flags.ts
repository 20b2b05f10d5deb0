/**
 * The one source of truth for the permission flags of leger's two programs:
 * deno.json's `leger` and `legerd` tasks. `deno task leger` runs with them,
 * the tests run the CLI and the daemon with them (`tests/_leger.ts`), and
 * `deno task compile` bakes them into `dist/leger` and `dist/legerd`
 * (`tools/compile.ts`), so that the binaries behave as tested.
 *
 * @example Usage
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { permissionFlags } from "./permission_flags.ts";
 *
 * ok(permissionFlags("legerd").includes("--unstable-net"));
 * ```
 *
 * @module
 */
import denoJson from "../deno.json" with { type: "json" };

/** The deno.json tasks that run one of leger's programs. */
export type ProgramTask = "leger" | "legerd";

/**
 * The `deno run` flags of a program's task in deno.json that a compiled
 * binary keeps: its permissions (`--allow-*`), the unstable APIs it enables
 * (`--unstable-*`) and V8's flags (`--v8-flags=`). Other flags (`--quiet`)
 * and the entry module are left out.
 *
 * @param task `leger` or `legerd`.
 * @returns The flags, in the task's order.
 */
export function permissionFlags(task: ProgramTask): string[] {
  return denoJson.tasks[task].split(/\s+/).filter((word) =>
    word.startsWith("--allow-") || word.startsWith("--unstable-") ||
    word.startsWith("--v8-flags=")
  );
}
