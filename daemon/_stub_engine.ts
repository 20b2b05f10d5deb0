/**
 * A stand-in for legerd's reconcile engine in the daemon's own tests: it
 * records what it is asked and answers what the test sets.
 *
 * @module
 */
import type {
  LegerdEngine,
  LegerdError,
  LegerdHealth,
  PurgeResult,
  RotateRequest,
  RotateResult,
  SecretStatus,
  SyncRequest,
  SyncResult,
} from "../lib/secrets/control_api.ts";
import type { RestartPolicy } from "../lib/secrets/plan_reconcile.ts";
import { healthyLegerd, syncResult } from "../tests/fakes/fake_legerd.ts";

/**
 * A health document with every field set, for tests: a healthy legerd
 * (`healthyLegerd()` of the fake) that has not synced or polled yet and
 * holds no Podman secrets.
 */
export function stubHealth(
  overrides: Partial<LegerdHealth> = {},
): LegerdHealth {
  return healthyLegerd({
    version: "0.0.0-test",
    leger_run: {
      api_url: "http://127.0.0.1:1",
      reachable: true,
      auth: "ok",
      last_error: null,
    },
    podman: { reachable: true, secrets: 0, last_error: null },
    last_successful_sync_at: null,
    next_poll_at: null,
    last_poll: null,
    config: { file: "/etc/leger/legerd.yaml", error: null },
    ...overrides,
  });
}

/** An empty sync result. */
export function stubSyncResult(dryRun = false): SyncResult {
  return syncResult({ dry_run: dryRun });
}

/** A {@linkcode LegerdEngine} that records calls; each method can be replaced. */
export class StubEngine implements LegerdEngine {
  /** What the engine was asked, in order (`sync {…}`, `rotate {…}`, `purge`). */
  calls: string[] = [];
  /** The requests of `sync()`. */
  syncRequests: SyncRequest[] = [];
  /** How many times tailscaled was asked for its state. */
  tailscaleChecks = 0;
  /** The next polls noted. */
  nextPolls: (Date | null)[] = [];
  /** The restart policies, intervals and config errors set by reloads. */
  settings: {
    restart?: RestartPolicy;
    pollIntervalMs?: number;
    configError?: LegerdError | null;
  }[] = [];
  /** The health answered. */
  healthValue: LegerdHealth = stubHealth();
  /** The secrets answered. */
  secretsValue: SecretStatus[] = [];
  /** Replaces `sync()`'s answer (a failure, a held promise). */
  onSync: (request: SyncRequest) => Promise<SyncResult> = (request) =>
    Promise.resolve(stubSyncResult(request.dry_run ?? false));
  /** Replaces `rotate()`'s answer. */
  onRotate: (request: RotateRequest) => Promise<RotateResult> = (request) =>
    Promise.resolve({
      name: request.name,
      version: 2,
      changed: true,
      restarted: [],
    });
  /** Replaces `purge()`'s answer. */
  onPurge: () => Promise<PurgeResult> = () => Promise.resolve({ removed: [] });

  health(): LegerdHealth {
    return this.healthValue;
  }

  secrets(): Promise<SecretStatus[]> {
    this.calls.push("secrets");
    return Promise.resolve(this.secretsValue);
  }

  sync(request: SyncRequest): Promise<SyncResult> {
    this.calls.push(`sync ${JSON.stringify(request)}`);
    this.syncRequests.push(request);
    return this.onSync(request);
  }

  rotate(request: RotateRequest): Promise<RotateResult> {
    this.calls.push(`rotate ${JSON.stringify(request)}`);
    return this.onRotate(request);
  }

  purge(): Promise<PurgeResult> {
    this.calls.push("purge");
    return this.onPurge();
  }

  noteNextPoll(at: Date | null): void {
    this.nextPolls.push(at);
    this.healthValue = {
      ...this.healthValue,
      next_poll_at: at?.toISOString() ?? null,
    };
  }

  setRestartPolicy(restart: RestartPolicy): void {
    this.settings.push({ restart });
    this.healthValue = { ...this.healthValue, restart };
  }

  /** As the engine: degraded while a reload has failed. */
  setConfigError(configError: LegerdError | null): void {
    this.settings.push({ configError });
    this.healthValue = {
      ...this.healthValue,
      status: configError === null ? "ok" : "degraded",
      config: { ...this.healthValue.config, error: configError },
    };
  }

  checkTailscale(): Promise<void> {
    this.tailscaleChecks++;
    return Promise.resolve();
  }

  setPollInterval(pollIntervalMs: number): void {
    this.settings.push({ pollIntervalMs });
    this.healthValue = {
      ...this.healthValue,
      poll_interval_ms: pollIntervalMs,
    };
  }
}
