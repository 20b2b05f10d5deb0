/**
 * legerd's decisions about secrets, as pure functions: which Podman secrets
 * the installed units need and who uses them, the keyed digest that tells a
 * changed value without keeping a copy of it, the labels that mark a Podman
 * secret as leger's, and the reconcile plan of leger.run's secrets against
 * Podman's (create, replace, remove, restart, start, report).
 *
 * ```ts
 * import { planReconcile, requiredSecrets, secretDigest, secretLabels } from "@leger/leger/secrets";
 * import { toQuadletUnit } from "../quadlet/to_quadlet_unit.ts";
 * import { parseUnit } from "../unit/parse_unit.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const web = toQuadletUnit(
 *   parseUnit("[Container]\nImage=web\nSecret=api_token,type=env,target=API_TOKEN\n", {
 *     file: "web.container",
 *   }),
 * );
 * const backend = [{ name: "api_token", value: "s3cret", version: 1, created_at: "2025-01-01T00:00:00Z" }];
 * const key = new Uint8Array(32).fill(7);
 * const digests = new Map([["api_token", await secretDigest(key, "s3cret")]]);
 * const plan = planReconcile({
 *   required: requiredSecrets([web]),
 *   backend,
 *   podman: [],
 *   restart: "on-rotation",
 *   stopped: [["web.service"]],
 *   digest: (secret) => digests.get(secret.name)!,
 * });
 * deepStrictEqual(plan.create.map((write) => write.name), ["api_token"]);
 * deepStrictEqual(plan.start, ["web.service"]);
 * deepStrictEqual(secretLabels(plan.create[0]).slice(0, 2), ["--label", "io.leger.managed=true"]);
 * ```
 *
 * @module
 */
export * from "./required_secrets.ts";
export * from "./secret_digest.ts";
export * from "./generate_digest_key.ts";
export * from "./secret_labels.ts";
export * from "./parse_managed_labels.ts";
export * from "./plan_reconcile.ts";
export * from "./control_api.ts";
export * from "./legerd_client.ts";
export * from "./check_secret_name.ts";
export * from "./secret_name_problem.ts";
export * from "./podman_secret_create_hint.ts";
