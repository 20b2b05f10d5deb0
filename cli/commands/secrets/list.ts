/**
 * `leger secrets list [--podman] [--scope …] [--json]`: the secrets the
 * installed units use and those legerd manages, from legerd (`GET
 * /v1/secrets` and `GET /v1/health`, asked at once), never a value. With
 * `--podman`, Podman's own list with every secret's labels too.
 *
 * It is meant to be as quick as `podman secret ls`: legerd answers from
 * memory, and this module loads only the client and the table.
 *
 * @module
 */
import type { PodmanSecret } from "../../../lib/adapters/podman_secrets.ts";
import type { Scope } from "../../../lib/adapters/scope.ts";
import type {
  LegerdHealth,
  SecretStatus,
} from "../../../lib/secrets/control_api.ts";
import type { CommandDeps } from "../../deps.ts";
import { legerdOf, legerdScope } from "../../legerd.ts";
import { flag, scopeOption } from "../../options.ts";
import type { CommandLine } from "../../spec.ts";
import { formatTable } from "../../table.ts";

/** The options of `leger secrets list`. */
export interface ListOptions {
  /** Also list Podman's own secrets with their labels. */
  podman: boolean;
  /** `--scope`, or the default of the user running leger. */
  scope?: Scope;
  /** Print one JSON document. */
  json: boolean;
}

/** A Podman secret as `secrets list --podman --json` shows it. */
export interface ListedPodmanSecret {
  name: string;
  /** Podman's id of the secret's last write. */
  id: string;
  /** Its labels (`io.leger.managed`, `io.leger.version`, …); `{}` for none. */
  labels: Record<string, string>;
  /** When it was last written, RFC 3339; `null` when Podman does not say. */
  updated_at: string | null;
}

/** What `leger secrets list --json` prints. */
export interface SecretsListDocument {
  /** legerd's secrets, sorted by name (`GET /v1/secrets`). */
  secrets: SecretStatus[];
  /** legerd's health (`GET /v1/health`). */
  legerd: LegerdHealth;
  /** With `--podman`: Podman's secrets, sorted by name. */
  podman?: ListedPodmanSecret[];
}

/** Reads the command line of `leger secrets list`. */
export function parse(line: CommandLine): ListOptions {
  return {
    podman: flag(line, "podman"),
    scope: scopeOption(line),
    json: flag(line, "json"),
  };
}

/**
 * Lists the secrets: a table NAME STATE VERSION USED BY SYNCED (aligned with
 * a header on a terminal, tab-separated without one), or one JSON document.
 *
 * @param options `--podman`, `--scope`, `--json`.
 * @param deps The context, the runner (for `--podman`) and legerd.
 * @returns The exit code: 0.
 * @throws {LegerError} `ERR_LEGERD_NOT_RUNNING` (with the command that
 * starts legerd) and the other errors of `LegerdClient`; with `--podman`,
 * what listing Podman's secrets throws.
 *
 * @example Usage
 * ```ts ignore
 * import { run } from "./list.ts";
 * const code = await run({ podman: false, json: true }, deps);
 * ```
 */
export async function run(
  options: ListOptions,
  deps: CommandDeps,
): Promise<number> {
  const { context } = deps;
  const legerd = legerdOf(deps, legerdScope(options.scope, context.uid));
  // Asked at once; the first failure in this order is the one reported.
  const [secrets, health, podman] = await firstFailure(
    [
      legerd.secrets(),
      legerd.health(),
      options.podman ? podmanSecrets(deps) : null,
    ] as const,
  );
  if (options.json) {
    const document: SecretsListDocument = {
      secrets,
      legerd: health,
      ...(podman === null ? {} : { podman: podman.map(listedPodman) }),
    };
    context.out(JSON.stringify(document, null, 2) + "\n");
    return 0;
  }
  const terminal = context.stdoutIsTerminal;
  if (secrets.length === 0 && terminal) {
    context.err(
      "No secrets: no installed unit uses a Podman secret, and legerd manages none.\n",
    );
  } else {
    context.out(formatTable(secrets.map(row), {
      header: ["NAME", "STATE", "VERSION", "USED BY", "SYNCED"],
      terminal,
    }));
  }
  if (podman !== null) {
    context.out(
      (terminal ? `\nPodman's secrets (${podman.length}):\n` : "\n") +
        formatTable(
          podman.map((s) => [s.name, labelsText(s.labels)]),
          { header: ["NAME", "LABELS"], terminal },
        ),
    );
  }
  context.err(notes(secrets, health));
  return 0;
}

/** Podman's secrets, its adapter loaded only for `--podman`. */
async function podmanSecrets(deps: CommandDeps): Promise<PodmanSecret[]> {
  const { listPodmanSecrets } = await import(
    "../../../lib/adapters/podman_secrets.ts"
  );
  return await listPodmanSecrets(deps.runner);
}

/** Like `Promise.all`, but rejects with the first failure in the list's order, not in time. */
async function firstFailure<T extends readonly unknown[]>(
  values: T,
): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const settled = await Promise.allSettled(values);
  for (const result of settled) {
    if (result.status === "rejected") throw result.reason;
  }
  return settled.map((r) => (r as PromiseFulfilledResult<unknown>).value) as {
    -readonly [K in keyof T]: Awaited<T[K]>;
  };
}

function row(secret: SecretStatus): string[] {
  return [
    secret.name,
    secret.state,
    secret.version === null ? "-" : String(secret.version),
    secret.used_by.join(",") || "-",
    secret.synced_at ?? "-",
  ];
}

function listedPodman(secret: PodmanSecret): ListedPodmanSecret {
  return {
    name: secret.name,
    id: secret.id,
    labels: { ...secret.labels },
    updated_at: secret.updated_at,
  };
}

function labelsText(labels: Readonly<Record<string, string>> | null): string {
  const pairs = Object.entries(labels ?? {}).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0
  );
  return pairs.map(([key, value]) => `${key}=${value}`).join(",") || "-";
}

/** What a person should know beside the table: on stderr, never in the result. */
function notes(secrets: readonly SecretStatus[], health: LegerdHealth): string {
  const lines: string[] = [];
  const missing = secrets.filter((s) => s.state === "missing");
  if (missing.length > 0) {
    lines.push(
      `${missing.length} missing in leger.run: add ${
        missing.length === 1 ? "it" : "each"
      } with \`leger secrets set ${
        missing.length === 1 ? missing[0].name : "NAME"
      }\` (or in the web UI); legerd then creates it and starts what waits for it.`,
    );
  }
  if (secrets.some((s) => s.state === "unmanaged")) {
    lines.push(
      "unmanaged: a Podman secret leger did not create holds the name; legerd leaves it alone (remove it with `podman secret rm NAME` to let legerd manage it).",
    );
  }
  if (health.status === "degraded") {
    const error = health.leger_run.last_error ?? health.podman.last_error;
    lines.push(
      `Warning: legerd is degraded${
        error === null ? "" : `: ${error.message}`
      }; Podman keeps the last good values (\`leger auth status\` says more).`,
    );
  }
  return lines.map((line) => `${line}\n`).join("");
}
