import { DIGEST_REGEXP } from "./_labels.ts";
import { parseManagedLabels } from "./parse_managed_labels.ts";
import type { RequiredSecret } from "./required_secrets.ts";

/** A secret as leger.run lists it (`GET /secrets?include_values=true`). */
export interface BackendSecret {
  /** The secret's name. */
  name: string;
  /** The value. */
  value: string;
  /** leger.run's version: it counts writes, not changes of value. */
  version: number;
  /** When the secret was created; a delete and re-create gives a new one. */
  created_at: string;
}

/** A secret in Podman's store, as `podman secret ls --format json` lists it. */
export interface PodmanSecretInfo {
  /** The secret's name. */
  name: string;
  /** Its labels; `null` when it has none. */
  labels: Readonly<Record<string, string>> | null;
}

/** What legerd does to running services when a secret's value changes. */
export type RestartPolicy = "on-rotation" | "never";

/** The inputs of {@linkcode planReconcile}. */
export interface PlanReconcileInput {
  /** The secrets the installed units need (`requiredSecrets()`). */
  required: readonly RequiredSecret[];
  /** leger.run's list of secrets, with values. */
  backend: readonly BackendSecret[];
  /** Podman's secrets, with their labels. */
  podman: readonly PodmanSecretInfo[];
  /**
   * `on-rotation` restarts the running services that use a secret whose
   * value was written; `never` leaves them running with the old value.
   */
  restart: RestartPolicy;
  /**
   * The services that are running now (`web.service`, `worker@a.service`).
   *
   * @default {[]}
   */
  running?: readonly string[];
  /**
   * The services an install left stopped because a secret they use was
   * missing, or because they start one that waits (`waitingForSecrets`),
   * one list per deployment (`waiting_for_secrets`): a service of a list
   * that uses no secret starts with the last of its list's services that
   * do.
   *
   * @default {[]}
   */
  stopped?: readonly (readonly string[])[];
  /**
   * The keyed digest of a backend secret's value (`secretDigest()`),
   * computed beforehand so that planning stays synchronous: typically a
   * lookup in a map from name to digest.
   */
  digest: (secret: BackendSecret) => string;
  /**
   * Rewrite every required leger-managed secret whose value is current
   * too (reason `forced`), as `leger secrets sync --force` asks; secrets
   * leger did not create are still never touched.
   *
   * @default {false}
   */
  force?: boolean;
}

/** A Podman secret to write: the labels it gets (`secretLabels()`); the value is the backend's. */
export interface SecretWrite {
  /** The secret's name. */
  name: string;
  /** leger.run's version of the value. */
  version: number;
  /** leger.run's creation time of the secret. */
  created_at: string;
  /** The keyed digest of the value. */
  digest: string;
}

/** A leger-managed Podman secret to overwrite, and why. */
export interface SecretReplace extends SecretWrite {
  /**
   * `changed`: the digest of leger.run's value differs from the one in the
   * labels. `unverified`: the labels hold no valid digest, so whether the
   * value changed cannot be told. `forced`: the value is current, and a
   * forced sync writes it again.
   */
  reason: "changed" | "unverified" | "forced";
}

/** A secret reported, with the units that use it. */
export interface SecretReport {
  /** The secret's name. */
  name: string;
  /** The unit files that use it. */
  units: string[];
}

/** A required secret that leger.run does not have. */
export interface MissingSecret extends SecretReport {
  /**
   * Whether Podman still holds a leger-managed copy (the secret was deleted
   * in leger.run after it was synced); that copy is kept.
   */
  in_podman: boolean;
}

/** What legerd has to do, and what it reports; no values anywhere. */
export interface ReconcilePlan {
  /** Secrets to create in Podman (no secret of that name there yet). */
  create: SecretWrite[];
  /** leger-managed secrets to overwrite (`podman secret create --replace`). */
  replace: SecretReplace[];
  /** leger-managed secrets no installed unit requires any more. */
  remove: string[];
  /** Running services to restart, for one `systemctl try-restart`. */
  restart: string[];
  /** Services left stopped for a missing secret that can start now. */
  start: string[];
  /** Required secrets leger.run does not have. */
  missing: MissingSecret[];
  /** Required secrets held by a Podman secret leger did not create; left alone. */
  unmanaged: SecretReport[];
  /** Required leger-managed secrets whose value is current. */
  unchanged: string[];
}

/**
 * A reconcile plan with nothing to do and nothing to report: every list
 * empty. Each call gives new lists, so a caller may fill them in.
 *
 * @returns The empty plan.
 *
 * @example Usage
 * ```ts
 * import { emptyReconcilePlan } from "./plan_reconcile.ts";
 * import { deepStrictEqual, notStrictEqual } from "node:assert/strict";
 *
 * const plan = emptyReconcilePlan();
 * deepStrictEqual(plan.create, []);
 * deepStrictEqual(plan.unchanged, []);
 * notStrictEqual(plan.create, emptyReconcilePlan().create);
 * ```
 */
export function emptyReconcilePlan(): ReconcilePlan {
  return {
    create: [],
    replace: [],
    remove: [],
    restart: [],
    start: [],
    missing: [],
    unmanaged: [],
    unchanged: [],
  };
}

/**
 * Plans one reconcile of Podman's secrets with leger.run: the heart of
 * legerd, with no I/O.
 *
 * For each required name:
 *
 * - leger.run does not have it: reported as missing for the units that use
 *   it; a leger-managed copy in Podman is kept (it serves the last value).
 * - Podman has a secret of that name without `io.leger.managed=true`: it is
 *   the user's, never touched, and reported as unmanaged.
 * - Podman has none: created.
 * - Podman has a leger-managed one: replaced when the keyed digest of
 *   leger.run's value differs from `io.leger.digest` (or that label is not
 *   valid), else unchanged. leger.run's `(created_at, version)` cannot decide
 *   this alone: the version grows when the same value is posted again,
 *   restarts at 1 after a delete and re-create, and two concurrent updates
 *   can share one. So a new version or `created_at` with the same digest is
 *   unchanged (no write, no restart), and the same version with another
 *   digest is replaced.
 *
 * leger-managed secrets that no unit requires are removed. With
 * `restart: "on-rotation"`, each created or replaced secret restarts the
 * running services that use it (a template service `worker@.service`
 * stands for its running instances). A service left stopped for a missing
 * secret is started once every secret it uses is in Podman. In the steady
 * state the plan has nothing to create, replace, remove, restart or start.
 * With `force`, current leger-managed secrets are replaced too (reason
 * `forced`), and restart the running services that use them.
 *
 * Every list is sorted by name; services appear once.
 *
 * @param input The required names, leger.run's and Podman's secrets, the
 * restart policy, the services' states and the digest of each value.
 * @returns The plan. It holds names, versions and digests, never a value.
 * @throws {TypeError} When an input is malformed: a name listed twice, a
 * leger.run entry whose version is not a positive integer or whose
 * `created_at` is no text, or a digest that is not 64 lowercase hex digits.
 *
 * @example Usage
 * ```ts
 * import { planReconcile } from "./plan_reconcile.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const digests = new Map([["api_token", "b".repeat(64)]]);
 * const plan = planReconcile({
 *   required: [{ name: "api_token", units: ["web.container"], services: ["web.service"] }],
 *   backend: [{ name: "api_token", value: "new", version: 4, created_at: "2025-01-01T00:00:00Z" }],
 *   podman: [{
 *     name: "api_token",
 *     labels: { "io.leger.managed": "true", "io.leger.version": "3", "io.leger.digest": "a".repeat(64) },
 *   }],
 *   restart: "on-rotation",
 *   running: ["web.service"],
 *   digest: (secret) => digests.get(secret.name)!,
 * });
 * deepStrictEqual(plan.replace.map((r) => [r.name, r.version, r.reason]), [["api_token", 4, "changed"]]);
 * deepStrictEqual(plan.restart, ["web.service"]);
 * ```
 */
export function planReconcile(input: PlanReconcileInput): ReconcilePlan {
  const {
    required,
    backend,
    podman,
    restart,
    running = [],
    stopped = [],
    digest,
    force = false,
  } = input;
  const backendByName = indexByName(backend, "leger.run's list");
  const podmanByName = indexByName(podman, "Podman's list");
  const requiredByName = indexByName(required, "the required secrets");
  const plan = emptyReconcilePlan();
  const written = new Set<string>();
  const inPodman = new Set<string>();
  for (const need of [...requiredByName.values()].sort(byName)) {
    const { name, units } = need;
    const fromBackend = backendByName.get(name);
    const inStore = podmanByName.get(name);
    const labels = inStore === undefined
      ? null
      : parseManagedLabels(inStore.labels);
    if (inStore !== undefined && labels === null) {
      plan.unmanaged.push({ name, units: [...units] });
      inPodman.add(name);
      continue;
    }
    if (fromBackend === undefined) {
      plan.missing.push({
        name,
        units: [...units],
        in_podman: labels !== null,
      });
      if (labels !== null) inPodman.add(name);
      continue;
    }
    const write = toWrite(fromBackend, digest);
    inPodman.add(name);
    if (labels === null) {
      plan.create.push(write);
      written.add(name);
    } else if (labels.digest === null) {
      plan.replace.push({ ...write, reason: "unverified" });
      written.add(name);
    } else if (labels.digest !== write.digest) {
      plan.replace.push({ ...write, reason: "changed" });
      written.add(name);
    } else if (force) {
      plan.replace.push({ ...write, reason: "forced" });
      written.add(name);
    } else {
      plan.unchanged.push(name);
    }
  }
  for (const secret of [...podmanByName.values()].sort(byName)) {
    if (requiredByName.has(secret.name)) continue;
    if (parseManagedLabels(secret.labels) !== null) {
      plan.remove.push(secret.name);
    }
  }
  const runningSet = new Set(running);
  if (restart === "on-rotation") {
    const restarts = new Set<string>();
    for (const name of written) {
      for (const service of requiredByName.get(name)!.services) {
        for (const live of matching(service, runningSet)) restarts.add(live);
      }
    }
    plan.restart = [...restarts].sort(compare);
  }
  const starts = new Set<string>();
  for (const group of stopped) {
    // A service that uses no secret waited for one that does: it starts
    // once none of those is left waiting.
    const withoutSecrets: string[] = [];
    let blocked = false;
    for (const service of group) {
      if (runningSet.has(service)) continue;
      const uses = required.filter((need) =>
        need.services.some((s) => matches(s, service))
      );
      if (uses.length === 0) withoutSecrets.push(service);
      else if (uses.every((need) => inPodman.has(need.name))) {
        starts.add(service);
      } else blocked = true;
    }
    if (!blocked) withoutSecrets.forEach((service) => starts.add(service));
  }
  plan.start = [...starts].sort(compare);
  return plan;
}

function toWrite(
  secret: BackendSecret,
  digest: (secret: BackendSecret) => string,
): SecretWrite {
  const { name, version, created_at } = secret;
  if (!Number.isSafeInteger(version) || version < 1) {
    throw new TypeError(
      `Cannot plan secret "${name}": leger.run gave version ${
        JSON.stringify(version)
      } (expected a positive integer)`,
    );
  }
  if (typeof created_at !== "string") {
    throw new TypeError(
      `Cannot plan secret "${name}": leger.run gave created_at ${
        JSON.stringify(created_at)
      } (expected a time as text)`,
    );
  }
  const hex = digest(secret);
  if (typeof hex !== "string" || !DIGEST_REGEXP.test(hex)) {
    // The digest is ours, not leger.run's, and never the value: safe to show.
    throw new TypeError(
      `Cannot plan secret "${name}": its digest is ${
        JSON.stringify(hex)
      } (expected 64 lowercase hex digits from secretDigest())`,
    );
  }
  return { name, version, created_at, digest: hex };
}

function indexByName<T extends { name: string }>(
  items: readonly T[],
  what: string,
): Map<string, T> {
  const byName = new Map<string, T>();
  for (const item of items) {
    if (typeof item.name !== "string" || item.name === "") {
      throw new TypeError(
        `Cannot plan secrets: ${what} has an entry without a name`,
      );
    }
    if (byName.has(item.name)) {
      throw new TypeError(
        `Cannot plan secrets: ${what} names "${item.name}" twice`,
      );
    }
    byName.set(item.name, item);
  }
  return byName;
}

/** The running services a service name stands for: itself, or a template's instances. */
function matching(service: string, running: ReadonlySet<string>): string[] {
  if (!service.endsWith("@.service")) {
    return running.has(service) ? [service] : [];
  }
  return [...running].filter((live) => matches(service, live));
}

function matches(service: string, live: string): boolean {
  if (service === live) return true;
  if (!service.endsWith("@.service")) return false;
  const prefix = service.slice(0, -".service".length);
  return live.startsWith(prefix) && live.endsWith(".service") &&
    live.length > prefix.length + ".service".length;
}

function byName(a: { name: string }, b: { name: string }): number {
  return compare(a.name, b.name);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
