import type { DoctorCheck, DoctorSummary } from "./types.ts";

/**
 * Counts the checks that passed, warned and failed.
 *
 * @param checks The checks.
 * @returns The counts, and `ok` when none failed.
 *
 * @example Usage
 * ```ts
 * import { summarizeChecks } from "./summarize_checks.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const check = { id: "x", group: "host", title: "x", detail: "", fix: null } as const;
 * deepStrictEqual(
 *   summarizeChecks([{ ...check, status: "pass" }, { ...check, status: "warn" }]),
 *   { pass: 1, warn: 1, fail: 0, ok: true },
 * );
 * ```
 */
export function summarizeChecks(
  checks: readonly Pick<DoctorCheck, "status">[],
): DoctorSummary {
  const count = (status: DoctorCheck["status"]) =>
    checks.filter((c) => c.status === status).length;
  const fail = count("fail");
  return { pass: count("pass"), warn: count("warn"), fail, ok: fail === 0 };
}
