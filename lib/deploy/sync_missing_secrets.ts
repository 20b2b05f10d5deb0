import { secretNames } from "../adapters/podman_quadlet.ts";
import { LegerError } from "../errors/leger_error.ts";
import type { DeployContext } from "./context.ts";

/**
 * What legerd did for an install's missing secrets:
 *
 * - `not_asked`: no secret was missing (or the install starts nothing);
 * - `synced`: legerd answered (it created what leger.run has);
 * - `not_running`: legerd is not running (or the context has none);
 * - `failed`: legerd answered with an error, or did not answer in time.
 */
export type LegerdSyncState = "not_asked" | "synced" | "not_running" | "failed";

/** What {@linkcode syncMissingSecrets} found. */
export interface MissingSecretsSync {
  /** What legerd did. */
  legerd: LegerdSyncState;
  /** The secrets that are in Podman now and were not before. */
  synced: string[];
  /** The secrets Podman still lacks: their units cannot start yet. */
  missing: string[];
  /** Of those, the ones legerd says leger.run does not have. */
  notInLegerRun: string[];
  /** Why legerd could not do it (`not_running`, `failed`); `null` otherwise. */
  error: LegerError | null;
}

/**
 * Asks the scope's legerd to create the Podman secrets an install needs and
 * Podman lacks (`POST /v1/sync {"secrets": [...]}`), before the install
 * starts anything, then lists Podman's secrets again to see which are
 * still missing. legerd is asked only once it answers (`GET /v1/health`):
 * one that is not running gets no progress line, and the install's report
 * says how to start it. Nothing here fails the install: legerd not
 * running, or failing, leaves the missing secrets missing, and says why.
 *
 * Requires `--allow-run=podman` and what the context's legerd needs (its
 * socket).
 *
 * @param missing The secrets Podman lacked when the install was planned.
 * @param context The deploy context, with its legerd.
 * @returns What legerd did and what is still missing.
 * @throws {LegerError} What listing Podman's secrets throws.
 *
 * @example Usage
 * ```ts ignore
 * import { syncMissingSecrets } from "./sync_missing_secrets.ts";
 * const { missing, synced } = await syncMissingSecrets(["db_password"], context);
 * ```
 */
export async function syncMissingSecrets(
  missing: readonly string[],
  context: DeployContext,
): Promise<MissingSecretsSync> {
  const none = { synced: [], notInLegerRun: [], error: null };
  if (missing.length === 0) {
    return { legerd: "not_asked", missing: [], ...none };
  }
  const { legerd } = context;
  if (legerd === undefined) {
    return { legerd: "not_running", missing: [...missing], ...none };
  }
  let notInLegerRun: string[];
  try {
    await legerd.health();
    context.progress(
      `Asking legerd for the secrets Podman lacks: ${missing.join(", ")}…`,
    );
    const result = await legerd.sync({ secrets: [...missing] });
    notInLegerRun = result.plan.missing.map((m) => m.name).filter((name) =>
      missing.includes(name)
    );
    for (const error of result.errors) {
      // A secret leger.run lacks is reported with its units once, after.
      if (error.name !== undefined && notInLegerRun.includes(error.name)) {
        continue;
      }
      context.progress(
        `legerd could not write ${error.name ?? "a secret"}: ${error.message}`,
      );
    }
  } catch (error) {
    if (!(error instanceof LegerError)) throw error;
    const state = error.code === "ERR_LEGERD_NOT_RUNNING"
      ? "not_running"
      : "failed";
    if (state === "failed") {
      context.progress(`legerd could not sync the secrets: ${error.message}`);
    }
    return { legerd: state, missing: [...missing], ...none, error };
  }
  // Podman is the truth: what legerd wrote, or someone else meanwhile.
  const present = new Set(await secretNames({ runner: context.runner }));
  const synced = missing.filter((name) => present.has(name));
  if (synced.length > 0) {
    context.progress(`legerd created ${synced.join(", ")} from leger.run`);
  }
  return {
    legerd: "synced",
    synced,
    missing: missing.filter((name) => !present.has(name)),
    notInLegerRun: notInLegerRun.filter((name) => !present.has(name)),
    error: null,
  };
}
