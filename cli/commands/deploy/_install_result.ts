import type { Scope } from "../../../lib/adapters/scope.ts";
import type { InstallResult } from "../../../lib/deploy/install_deployment.ts";
import type { PlanProblem } from "../../../lib/deploy/plan_types.ts";
import type { PreparedInstall } from "../../../lib/deploy/prepare_install.ts";
import type { SourceInfo } from "../../../lib/source/types.ts";
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
  /** Services left stopped until their secrets exist in Podman. */
  waiting_for_secrets: string[];
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
    replaced: previous === null ? null : {
      version: versionOf(previous.source),
      source: previous.source,
      installed_at: previous.installed_at,
    },
  };
}
