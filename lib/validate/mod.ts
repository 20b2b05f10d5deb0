/**
 * Validation of a deployment before it is installed: the checks Podman's
 * quadlet generator and systemd would make, run on the parsed units so that
 * every problem is reported at once, with its file, line and remedy.
 * Unknown keys (against Podman 5.8's key lists), required keys, values Podman
 * rejects, references to units and files that will not be there, service
 * names Podman never generates, duplicate names, file names systemd
 * refuses as unit names, files named like drop-in folders, byte order marks,
 * control characters, `Environment=` lines that split at a space, secrets
 * whose names leger.run cannot hold, and the
 * variables of ports and names resolved as systemd will resolve them.
 * Everything here is pure; the findings it returns
 * are plain data shared with the conflict checks.
 *
 * ```ts
 * import { validateDeployment } from "@leger/leger/validate";
 * import { parseUnit } from "../unit/parse_unit.ts";
 * import { toQuadletUnit } from "../quadlet/to_quadlet_unit.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const unit = parseUnit("[Container]\nExec=sleep 1\n", { file: "web.container" });
 * const [finding] = validateDeployment([{ unit, quadlet: toQuadletUnit(unit) }], {
 *   deploymentFiles: ["web.container"],
 * });
 * strictEqual(finding.code, "ERR_UNIT_MISSING_KEY");
 * ```
 *
 * @module
 */
export type { Finding } from "../errors/finding.ts";
export * from "./finding_to_error.ts";
export * from "./supported_keys.ts";
export * from "./closest_name.ts";
export * from "./check_unknown_keys.ts";
export * from "./check_required_keys.ts";
export * from "./check_values.ts";
export * from "./check_references.ts";
export * from "./check_dependency_names.ts";
export * from "./check_duplicates.ts";
export * from "./check_unit_names.ts";
export * from "./check_drop_in_folders.ts";
export * from "./check_control_characters.ts";
export * from "./check_environment.ts";
export * from "./check_health_url.ts";
export * from "./check_manifest_health.ts";
export * from "./check_secret_names.ts";
export * from "./check_byte_order_marks.ts";
export * from "./resolve_variables.ts";
export * from "./validate_deployment.ts";
export * from "./parse_generator_stderr.ts";
