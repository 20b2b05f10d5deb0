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
import { LegerError } from "../../../lib/errors/leger_error.ts";
import type { SecretStatus } from "../../../lib/secrets/control_api.ts";
import type { LegerdHealthAnswer } from "../../../lib/secrets/legerd_client.ts";
import { parseManagedLabels } from "../../../lib/secrets/parse_managed_labels.ts";
import type { CommandDeps } from "../../deps.ts";
import { legerdOf, legerdScope } from "../../legerd.ts";
import { flag, scopeOption } from "../../options.ts";
import type { CommandLine } from "../../spec.ts";
import { formatTable } from "../../table.ts";
import { renderListNotes } from "./shared/render_list_notes.ts";

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
  /**
   * When it was last written, RFC 3339 in UTC with milliseconds as every
   * time leger prints (Podman's own has nanoseconds and the host's offset);
   * `null` when Podman does not say or says something that is no time.
   */
  updated_at: string | null;
}

/** What `leger secrets list --json` prints. */
export interface SecretsListDocument {
  /** legerd's secrets, sorted by name (`GET /v1/secrets`). */
  secrets: SecretStatus[];
  /** legerd's health (`GET /v1/health`). */
  legerd: LegerdHealthAnswer;
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
 * Lists the secrets: a table NAME STATE VERSION USED BY SYNCED (aligned
 * under its header on a terminal; tab-separated rows without one, as every
 * leger table), and with
 * `--podman` Podman's secrets as a second table NAME LEGER VERSION (`managed`
 * or `not managed`); or one JSON document. Notes on stderr follow the
 * states: where to add a missing secret and what then starts, why one is
 * pending, what unmanaged means, a degraded legerd.
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
      secrets: secrets.map((s) => ({ ...s, synced_at: rfc3339(s.synced_at) })),
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
  } else if (secrets.length > 0) {
    context.out(
      table(
        ["NAME", "STATE", "VERSION", "USED BY", "SYNCED"],
        secrets.map(row),
        terminal,
      ),
    );
  }
  if (podman !== null) {
    context.out(
      `${secrets.length === 0 ? "" : "\n"}${
        terminal ? `Podman's secrets (${podman.length}):\n` : ""
      }` +
        table(["NAME", "LEGER", "VERSION"], podman.map(podmanRow), terminal),
    );
  }
  const explain = secrets.some((s) =>
    s.state === "missing" || s.state === "pending"
  );
  context.err(renderListNotes(secrets, health, {
    webUrl: explain ? await webUrl(deps) : "",
    waiting: explain
      ? await waitingServices(secrets, deps, options.scope)
      : new Map(),
  }));
  return 0;
}

/** The web UI's URL; loaded only when a secret is missing (it reads leger's config, YAML). */
async function webUrl(deps: CommandDeps): Promise<string> {
  const { webUiUrl } = await import("../../web_ui_url.ts");
  return await webUiUrl(deps.context);
}

/** A table: under its header on a terminal, bare rows without one (STYLE §6). */
function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  terminal: boolean,
): string {
  return formatTable(rows, { header, terminal });
}

/**
 * The services an install left waiting for each missing or pending secret
 * (deployments.yaml of the scope); none when the file cannot be read: this
 * only words a note, and `leger deploy list` reports the file.
 */
async function waitingServices(
  secrets: readonly SecretStatus[],
  deps: CommandDeps,
  scope: Scope | undefined,
): Promise<Map<string, string[]>> {
  const { context } = deps;
  // Loaded only here: a list with nothing missing pays for no YAML.
  const [{ legerPaths }, { readDeployments }, { servicesWaitingFor }] =
    await Promise.all([
      import("../../../lib/state/paths.ts"),
      import("../../../lib/state/deployments_file.ts"),
      import("./shared/services_waiting_for.ts"),
    ]);
  const { stateDir } = legerPaths(legerdScope(scope, context.uid), context);
  let deployments;
  try {
    deployments = await readDeployments(stateDir);
  } catch (error) {
    if (!(error instanceof LegerError)) throw error;
    return new Map();
  }
  const waiting = new Map<string, string[]>();
  for (const secret of secrets) {
    const services = servicesWaitingFor(secret.used_by, deployments);
    if (services.length > 0) waiting.set(secret.name, services);
  }
  return waiting;
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
    rfc3339(secret.synced_at) ?? "-",
  ];
}

/** A Podman secret as a row: whether it is leger's, and leger.run's version in it. */
function podmanRow(secret: PodmanSecret): string[] {
  const managed = parseManagedLabels(secret.labels);
  return [
    secret.name,
    managed === null ? "not managed" : "managed",
    managed === null || managed.version === null
      ? "-"
      : String(managed.version),
  ];
}

function listedPodman(secret: PodmanSecret): ListedPodmanSecret {
  return {
    name: secret.name,
    id: secret.id,
    labels: { ...secret.labels },
    updated_at: rfc3339(secret.updated_at),
  };
}

/** A time as leger prints every time: RFC 3339, UTC, milliseconds; `null` when unknown or no time. */
function rfc3339(time: string | null): string | null {
  if (time === null) return null;
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
