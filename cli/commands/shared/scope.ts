import type { Scope } from "../../../lib/state/paths.ts";
import type { CliContext } from "../../context.ts";

/**
 * The scope a command acts on: `--scope` when given, else system for root and
 * user for everyone else (as Podman itself decides where `podman quadlet
 * install` writes).
 *
 * @example Usage
 * ```ts
 * import { resolveScope } from "./scope.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(resolveScope(undefined, { uid: 0 }), "system");
 * strictEqual(resolveScope("user", { uid: 0 }), "user");
 * ```
 */
export function resolveScope(
  flag: unknown,
  context: Pick<CliContext, "uid">,
): Scope {
  if (flag === "user" || flag === "system") return flag;
  return context.uid === 0 ? "system" : "user";
}
