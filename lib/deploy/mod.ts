/**
 * The deploy pipeline: every install, update, restore and remove — from the
 * CLI, legerd or a script — goes through these stages, in this order:
 *
 * 1. **resolve the source** ({@linkcode resolveSource}): a local folder, a Git
 *    repository folder or a leger.run version, read into memory and checked
 *    (safe paths, checksums);
 * 2. **load and type the units** (`loadUnits`, beside the quadlet view in
 *    `lib/quadlet`): parsed, drop-ins merged, typed;
 * 3. **validate** ({@linkcode validateUnits}): leger's checks, then Podman's
 *    own generator;
 * 4. **check against the host** ({@linkcode readHost}, then `findConflicts`
 *    in `lib/conflicts`): ports, names, volumes, networks, installed units;
 * 5. **plan** ({@linkcode planDeployment}, {@linkcode buildPlan};
 *    {@linkcode planSource} runs 1–5 for `validate` and `--dry-run`;
 *    {@linkcode prepareInstall} runs 2–5 under the lock and
 *    {@linkcode checkInstallable} is the gate before any change);
 * 6. **pull the images** ({@linkcode pullImages}, of what
 *    {@linkcode imagesToPull} lists): every image the units need is in
 *    Podman's storage before the first change to the host, so that a wrong
 *    image fails here and not as a start failure;
 * 7. **stage** ({@linkcode stageDeployment}): the files written atomically
 *    under `staged/<name>/`;
 * 8. **apply, with rollback** ({@linkcode applyDeployment}): the units
 *    installed the native Podman way and started; any failure or signal
 *    undoes every change;
 * 9. **record** ({@linkcode recordDeployment}): `active/<name>/`,
 *    `deployments.yaml`, `manifest.json`.
 *
 * {@linkcode installDeployment} runs 6–9; {@linkcode removeDeployment} takes
 * a deployment away; {@linkcode restoreBackup} installs a backup's files
 * and puts its volumes' data back (backups themselves: `lib/backup`). An update runs the same stages: {@linkcode prepareUpdate}
 * plans the new version as an install does, then {@linkcode planUpdate}
 * compares it with the installed one unit by unit, and
 * {@linkcode updateDeployment} ({@linkcode applyUpdate}, undone by
 * {@linkcode undoUpdate}) restarts only what changed. Each stage takes a {@linkcode DeployContext}: the scope,
 * the environment, a process runner and the clock, so that tests run the
 * pipeline without starting processes. {@linkcode lockScope} keeps two
 * processes from changing one scope at once.
 *
 * ```ts
 * import { buildPlan } from "@leger/leger/deploy";
 * import { discoverManifest } from "../manifest/mod.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const plan = buildPlan({
 *   name: "empty",
 *   source: { type: "local", location: "/srv/empty" },
 *   files: [],
 *   manifest: discoverManifest([]),
 * }, { scope: "user", units: [], findings: [] });
 * strictEqual(plan.valid, true);
 * ```
 *
 * @module
 */
export * from "./context.ts";
export * from "./resolve_source.ts";
export * from "./validate_units.ts";
export * from "./read_host.ts";
export * from "./plan_types.ts";
export * from "./build_plan.ts";
export * from "./plan_deployment.ts";
export * from "./plan_source.ts";
export * from "./prepare_install.ts";
export * from "./plan_update.ts";
export * from "./prepare_update.ts";
export * from "./check_installable.ts";
export * from "./images_to_pull.ts";
export * from "./pull_images.ts";
export * from "./stage_deployment.ts";
export * from "./read_staged_deployment.ts";
export * from "./apply_deployment.ts";
export * from "./apply_update.ts";
export * from "./record_deployment.ts";
export * from "./sync_missing_secrets.ts";
export * from "./install_deployment.ts";
export * from "./update_deployment.ts";
export * from "./update_rolled_back_error.ts";
export * from "./update_outcome.ts";
export * from "./finish_interrupted_change.ts";
export * from "./wait_for_leftover_processes.ts";
export * from "./remove_deployment.ts";
export * from "./restore_backup.ts";
export * from "./rebuild_record.ts";
export * from "./lock_scope.ts";
export * from "./scope.ts";
export * from "./unit_roles.ts";
export * from "./unit_start.ts";
export * from "./waiting_for_secrets.ts";
export * from "./unit_services.ts";
export * from "./explain_start_failure.ts";
export * from "./watch_stay_up.ts";
