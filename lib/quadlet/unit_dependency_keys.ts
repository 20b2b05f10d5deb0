/**
 * The `[Unit]` keys that name other units, whose quadlet file names Podman
 * translates to service names (Podman's `unitDependencyKeys`).
 *
 * @example Usage
 * ```ts
 * import { UNIT_DEPENDENCY_KEYS } from "./unit_dependency_keys.ts";
 * import { ok } from "node:assert/strict";
 *
 * ok(UNIT_DEPENDENCY_KEYS.includes("Requires"));
 * ```
 */
export const UNIT_DEPENDENCY_KEYS: readonly string[] = [
  "After",
  "Before",
  "BindsTo",
  "Conflicts",
  "OnFailure",
  "OnSuccess",
  "PartOf",
  "PropagatesReloadTo",
  "PropagatesStopTo",
  "ReloadPropagatedFrom",
  "Requires",
  "Requisite",
  "StopPropagatedFrom",
  "Upholds",
  "Wants",
];
