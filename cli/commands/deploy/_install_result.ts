import type { Scope } from "../../../lib/adapters/scope.ts";
import type { InstallResult } from "../../../lib/deploy/install_deployment.ts";
import type {
  PlanProblem,
  PlanService,
} from "../../../lib/deploy/plan_types.ts";
import type { PreparedInstall } from "../../../lib/deploy/prepare_install.ts";
import type { LegerdSyncState } from "../../../lib/deploy/sync_missing_secrets.ts";
import type { SourceInfo } from "../../../lib/source/types.ts";
import { podmanSecretCreateHint } from "../../../lib/secrets/podman_secret_create_hint.ts";
import { secretNameProblem } from "../../../lib/secrets/secret_name_problem.ts";
import { legerdStartCommand, legerdStatusCommand } from "../../legerd.ts";
import { warnedWithHint } from "../../render_plan.ts";
import { versionOf } from "../../version_label.ts";

/** What `leger deploy install --json` prints once the install is done. */
export interface InstallDocument {
  /** The deployment's name. */
  deployment: string;
  /** The scope it is installed in. */
  scope: Scope;
  /** Its version (leger.run version, Git commit), or `null` when its source gives none. */
  version: string | null;
  /** Where its files came from. */
  source: SourceInfo;
  /** The plan that was installed, in brief (`--dry-run --json` prints it whole). */
  summary: {
    /** How many files were installed. */
    files: number;
    /** The quadlet units, in path order. */
    units: string[];
    /** The Podman volumes its units create. */
    volumes: string[];
    /** The Podman networks its units create. */
    networks: string[];
    /** The Podman secrets its units need. */
    secrets_required: string[];
    /** Of those, the ones Podman does not have yet. */
    secrets_missing: string[];
    /** The conflicts with this host that `--force` installed over. */
    conflicts_forced: PlanProblem[];
    /** How many warnings the plan had (the plan on stderr lists them). */
    warnings: number;
  };
  /** The services started (none with `--no-start`). */
  started: string[];
  /**
   * Services left stopped until their secrets exist in Podman (recorded in
   * deployments.yaml: legerd starts them once it has the secrets).
   */
  waiting_for_secrets: string[];
  /**
   * What legerd did for the secrets Podman lacked (`summary.secrets_missing`):
   * `not_asked` (none lacked, or `--no-start`), `synced` (it created what
   * leger.run has), `not_running`, `failed`.
   */
  legerd: LegerdSyncState;
  /** The secrets legerd created in Podman during the install. */
  secrets_synced: string[];
  /** The secrets Podman still lacks, which keep their services waiting. */
  secrets_still_missing: string[];
  /** The installed version this install replaced, or `null` for a first install. */
  replaced: {
    version: string | null;
    source: SourceInfo;
    installed_at: string;
  } | null;
}

/**
 * The `--json` document of a finished install: what was installed, what
 * started, what waits for its secrets, and what it replaced.
 *
 * @param prepared What the install decided before changing anything.
 * @param result What the install did.
 * @param options The scope, and the conflicts `--force` installed over.
 * @returns The document.
 *
 * @example Usage
 * ```ts ignore
 * import { installDocument } from "./_install_result.ts";
 * context.out(JSON.stringify(installDocument(prepared, result, { scope, forced }), null, 2) + "\n");
 * ```
 */
export function installDocument(
  prepared: PreparedInstall,
  result: InstallResult,
  options: { scope: Scope; forced: readonly PlanProblem[] },
): InstallDocument {
  const { deployment, plan, previous, missingSecrets } = prepared;
  return {
    deployment: deployment.name,
    scope: options.scope,
    version: versionOf(deployment.source),
    source: deployment.source,
    summary: {
      files: plan.files.length,
      units: plan.services.map((s) => s.unit),
      volumes: plan.volumes,
      networks: plan.networks,
      secrets_required: plan.secrets_required,
      secrets_missing: missingSecrets,
      conflicts_forced: [...options.forced],
      warnings: plan.warnings.length,
    },
    started: result.started,
    waiting_for_secrets: result.waitingForSecrets,
    legerd: result.secrets.legerd,
    secrets_synced: result.secrets.synced,
    secrets_still_missing: result.secrets.missing,
    replaced: previous === null ? null : {
      version: versionOf(previous.source),
      source: previous.source,
      installed_at: previous.installed_at,
    },
  };
}

/** Options for {@linkcode waitingReport}. */
export interface WaitingReportOptions {
  /** The scope, for the command that starts legerd. */
  scope: Scope;
  /** The web UI's URL, where a secret is added. */
  webUrl: string;
  /**
   * The plan's services, to tell which missing secrets each waiting
   * service uses.
   *
   * @default {[]}
   */
  services?: readonly PlanService[];
  /**
   * The plan's warnings, printed above: a name leger.run cannot hold whose
   * warning gives the command that creates it by hand points there
   * instead of repeating it.
   *
   * @default {[]}
   */
  warnings?: readonly PlanProblem[];
}

/**
 * What an install says, on stderr, about the services it left waiting for
 * secrets: which, why (leger.run does not have a secret, or cannot hold its
 * name; legerd is not running or failing), and what makes them start
 * (never `leger secrets set` for a name leger.run refuses). A service
 * starts once every secret it uses exists: when the missing secrets need
 * different steps, no step promises a start, and a last line says what
 * each service still needs. Nothing when none waits.
 *
 * @param result What the install did.
 * @param options The scope (for the command that starts legerd), the web
 * UI's URL (where to add a secret), and the plan's services and warnings.
 * @returns The lines, without their line ends.
 *
 * @example Usage
 * ```ts ignore
 * import { waitingReport } from "./_install_result.ts";
 * context.err(waitingReport(result, { scope, webUrl }).map((l) => `${l}\n`).join(""));
 * ```
 */
export function waitingReport(
  result: InstallResult,
  options: WaitingReportOptions,
): string[] {
  const { services = [], warnings = [] } = options;
  const { secrets, waitingForSecrets } = result;
  if (waitingForSecrets.length === 0 || secrets.legerd === "not_asked") {
    return [];
  }
  // Names leger.run cannot hold: legerd never brings them, and `leger
  // secrets set` refuses them; only a secret made by hand in Podman will do.
  const byHand = secrets.missing.filter((n) => secretNameProblem(n) !== null);
  const fromLegerRun = secrets.missing.filter((n) => !byHand.includes(n));
  const absent = secrets.legerd === "synced"
    ? fromLegerRun.filter((n) => secrets.notInLegerRun.includes(n))
    : [];
  const other = secrets.legerd === "synced"
    ? fromLegerRun.filter((n) => !absent.includes(n))
    : [];
  // Each step below brings some of the secrets; a step may promise a start
  // only when it is the only one.
  const steps = [
    ...[absent, other].filter((s) => s.length > 0),
    ...(secrets.legerd === "synced" || fromLegerRun.length === 0
      ? []
      : [fromLegerRun]),
    ...byHand.map((name) => [name]),
  ];
  const alone = steps.length <= 1;
  const lines = [
    `Not started yet: ${
      waitingForSecrets.join(", ")
    } (secrets missing in Podman: ${secrets.missing.join(", ")})`,
  ];
  const them = (names: readonly string[]) => names.length === 1 ? "it" : "them";
  const one = waitingForSecrets.length === 1;
  const theServices = one ? "the service" : "the services";
  switch (secrets.legerd) {
    case "synced": {
      if (absent.length > 0) {
        lines.push(
          `  leger.run does not have ${absent.join(", ")}: add ${
            absent.length === 1 ? "it" : "each"
          } in the web UI at ${options.webUrl} or with \`leger secrets set ${
            absent.length === 1 ? absent[0] : "NAME"
          }\`; legerd then creates ${them(absent)}${
            alone ? ` and starts ${theServices}` : ""
          } (leger.run takes up to a minute to show a new secret)`,
        );
      }
      if (other.length > 0) {
        lines.push(
          `  legerd could not create ${
            other.join(", ")
          } (see above); it tries again at its next poll${
            alone ? ` and then starts ${theServices}` : ""
          }`,
        );
      }
      break;
    }
    case "not_running":
      lines.push(
        `  legerd is not running: start it with \`${
          legerdStartCommand(options.scope)
        }\` (if it does not stay up, \`${
          legerdStatusCommand(options.scope)
        }\` says why); it ${
          fromLegerRun.length === 0
            ? `starts ${theServices} once ${
              one ? "its secrets exist" : "their secrets exist"
            }`
            : alone
            ? `creates ${
              fromLegerRun.length === 1 ? "the secret" : "the secrets"
            } from leger.run and starts ${theServices}`
            : `creates ${fromLegerRun.join(", ")} from leger.run`
        }`,
      );
      break;
    case "failed":
      if (fromLegerRun.length > 0) {
        lines.push(
          `  legerd could not create ${
            byHand.length === 0 ? them(fromLegerRun) : fromLegerRun.join(", ")
          }: ${secrets.error?.message ?? "it failed"}`,
          ...(secrets.error === null ? [] : [`  ${secrets.error.remedy}`]),
          `  legerd tries again at its next poll${
            alone ? `, then starts ${theServices}` : ""
          }`,
        );
      }
      break;
  }
  for (const name of byHand) {
    lines.push(
      `  leger.run cannot hold ${name} (${
        secretNameProblem(name)
      }): create it in Podman by hand ${
        warnedWithHint(name, warnings)
          ? "(the warning above says how)"
          : `with ${podmanSecretCreateHint(name)}`
      }; legerd leaves it alone${
        alone
          ? ` and starts ${
            one ? "the service that waits" : "the services that wait"
          } for it`
          : ""
      }`,
    );
  }
  if (!alone) {
    lines.push(
      `  legerd starts each service once every secret it uses exists: ${
        needs(waitingForSecrets, secrets.missing, services)
      }`,
    );
  }
  return lines;
}

/** `web.service needs my.key, ok:colon; db.service needs db_password`. */
function needs(
  waiting: readonly string[],
  missing: readonly string[],
  services: readonly PlanService[],
): string {
  return waiting.map((service) => {
    const used = services.filter((s) =>
      s.service === service || s.started_services.includes(service)
    ).flatMap((s) => s.secrets.map((secret) => secret.name));
    const lacks = missing.filter((name) => used.includes(name));
    return lacks.length === 0
      ? service
      : `${service} needs ${lacks.join(", ")}`;
  }).join("; ");
}

/** Options for {@linkcode nextSteps}. */
export interface NextStepsOptions {
  /** The scope the deployment is in. */
  scope: Scope;
  /**
   * The scope leger uses without `--scope` for this user; the commands name
   * `--scope` only when the two differ.
   *
   * @default {scope}
   */
  defaultScope?: Scope;
  /**
   * Whether the install started the services (`--no-start` did not).
   *
   * @default {true}
   */
  started?: boolean;
  /**
   * How the commands start (`leger`, or `deno task leger` for the demo).
   *
   * @default {"leger"}
   */
  program?: string;
  /**
   * Whether the deployment has services: one of only volumes and networks
   * gets no service commands (`leger service logs` of it fails).
   *
   * @default {true}
   */
  hasServices?: boolean;
}

/**
 * What to do after an install, on stderr below `Installed NAME`: see the
 * deployment's services and their health, follow their logs, and remove
 * it, each command with the deployment's real name; first, when the install
 * left services waiting for secrets, what legerd needs to start them (to
 * run, if it is not, and the secrets `leger secrets list` names), and with
 * `--no-start`, how to start them. A deployment without services (only
 * volumes and networks) gets no service commands: only status and remove.
 *
 * @param name The deployment just installed.
 * @param result What the install did.
 * @param options The scope, whether the services were started, and how
 * leger is run.
 * @returns The lines, without their line ends.
 *
 * @example Usage
 * ```ts
 * import { nextSteps } from "./_install_result.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const result = {
 *   started: ["web.service"],
 *   waitingForSecrets: [],
 *   secrets: { legerd: "not_asked" as const, synced: [], missing: [], notInLegerRun: [], error: null },
 * };
 * deepStrictEqual(nextSteps("web", result, { scope: "user" }), [
 *   "Next:",
 *   "  leger status web            its services and their health",
 *   "  leger service logs web -f   follow the logs of all its services",
 *   "  leger deploy remove web     stop it and remove its units (its volumes are kept)",
 * ]);
 * ```
 */
export function nextSteps(
  name: string,
  result: InstallResult,
  options: NextStepsOptions,
): string[] {
  const {
    scope,
    defaultScope = scope,
    started = true,
    program = "leger",
    hasServices = true,
  } = options;
  const scopeFlag = scope === defaultScope ? "" : ` --scope ${scope}`;
  const leger = (words: string) => `${program} ${words}${scopeFlag}`;
  const quoted = shellWord(name);
  const rows: [string, string][] = [];
  const waiting = result.waitingForSecrets;
  if (waiting.length > 0) {
    if (result.secrets.legerd === "not_running") {
      rows.push([
        legerdStartCommand(scope),
        "legerd then brings the missing secrets and starts what waits for them",
      ]);
    }
    rows.push([
      leger("secrets list"),
      `the secrets ${
        waiting.length === 1 ? waiting[0] : waiting.join(", ")
      } still ${waiting.length === 1 ? "waits" : "wait"} for`,
    ]);
  } else if (!started && hasServices) {
    rows.push([leger(`service start ${quoted}`), "start its services"]);
  }
  rows.push(
    hasServices
      ? [leger(`status ${quoted}`), "its services and their health"]
      : [
        leger(`status ${quoted}`),
        "its source and version (it has no services)",
      ],
    ...(hasServices
      ? [[
        leger(`service logs ${quoted} -f`),
        "follow the logs of all its services",
      ] as [string, string]]
      : []),
    [
      leger(`deploy remove ${quoted}`),
      "stop it and remove its units (its volumes are kept)",
    ],
  );
  const width = Math.max(...rows.map(([command]) => command.length));
  return [
    "Next:",
    ...rows.map(([command, what]) => `  ${command.padEnd(width)}   ${what}`),
  ];
}

/** What {@linkcode installCommand} rebuilds the command line from. */
export interface InstallCommandOptions {
  /** The name given on the command line (a release, or with `source` the deployment's). */
  name?: string;
  /** `--source`. */
  source?: string;
  /** `--version`. */
  version?: string;
  /** `false` for `--no-start`. */
  start: boolean;
  /** `false` for `--no-pull`. */
  pull: boolean;
  /** `--force`. */
  force: boolean;
  /** `--timeout` in milliseconds. */
  timeoutMs?: number;
  /** `--scope`, as given. */
  scope?: Scope;
}

/**
 * The command that installs for real what a dry run planned: the dry run's
 * own command line without `--dry-run` (nor `--json`, `--yes`), its words
 * quoted for a POSIX shell where they need it.
 *
 * @param options The dry run's options.
 * @param program How the command starts.
 * @returns Such as `leger deploy install --source ./my-app`.
 *
 * @example Usage
 * ```ts
 * import { installCommand } from "./_install_result.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(
 *   installCommand({ source: "./my app", start: false, pull: true, force: false }),
 *   "leger deploy install --source './my app' --no-start",
 * );
 * ```
 */
export function installCommand(
  options: InstallCommandOptions,
  program = "leger",
): string {
  const words = ["deploy", "install"];
  if (options.name !== undefined) words.push(options.name);
  if (options.source !== undefined) words.push("--source", options.source);
  if (options.version !== undefined) words.push("--version", options.version);
  if (!options.start) words.push("--no-start");
  if (!options.pull) words.push("--no-pull");
  if (options.force) words.push("--force");
  if (options.timeoutMs !== undefined) {
    words.push("--timeout", String(Math.ceil(options.timeoutMs / 1000)));
  }
  if (options.scope !== undefined) words.push("--scope", options.scope);
  return [program, ...words.map(shellWord)].join(" ");
}

const PLAIN_WORD_REGEXP = /^[\w@%+=:,./-]+$/;

/** A word as a POSIX shell reads it back: quoted only when it must be. */
function shellWord(word: string): string {
  return PLAIN_WORD_REGEXP.test(word)
    ? word
    : `'${word.replaceAll("'", `'\\''`)}'`;
}
