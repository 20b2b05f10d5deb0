/**
 * `leger diff [deployment] [--json]`: what applying the staged version of a
 * deployment would change, file by file, as unified diffs and a summary.
 *
 * @module
 */
import {
  type DeploymentDiff,
  diffDeployments,
} from "../../lib/diff/diff_deployments.ts";
import type {
  DeploymentFolder,
  DeploymentRecord,
} from "../../lib/state/deployment_folder.ts";
import { resolveScope } from "../../lib/deploy/scope.ts";
import { readDeploymentState } from "../../lib/state/read_deployment_state.ts";
import type { CommandDeps } from "../deps.ts";
import { type DeploymentOptions, deploymentOptions } from "../options.ts";
import { renderNormalisations } from "../render_plan.ts";
import { versionOf } from "../version_label.ts";

/** The `--json` document of `leger diff`. */
export interface DiffDocument extends DeploymentDiff {
  deployment: string;
  /** The installed version (`version` `null` where its source gives none), or `null` when none is. */
  active: { version: string | null; source: DeploymentRecord["source"] } | null;
  /** The staged version (`version` `null` where its source gives none). */
  staged: {
    version: string | null;
    source: DeploymentRecord["source"];
    fetched_at: string;
  };
  normalisations: DeploymentRecord["normalisations"];
}

/** Reads the command line of `leger diff`. */
export const parse = deploymentOptions;

/** Runs `leger diff`. */
export async function run(
  options: DeploymentOptions,
  deps: CommandDeps,
): Promise<number> {
  const { context } = deps;
  const state = await readDeploymentState(options.deployment, {
    scope: resolveScope(options.scope, context),
    pathEnv: context,
    need: "staged",
  });
  const document = diffDocument(state.name, state.active, state.staged!);
  context.out(
    options.json
      ? JSON.stringify(document, null, 2) + "\n"
      : renderDiff(document),
  );
  return 0;
}

/** The diff document of a deployment's active and staged folders. */
export function diffDocument(
  name: string,
  active: DeploymentFolder | null,
  staged: DeploymentFolder,
): DiffDocument {
  return {
    deployment: name,
    active: active === null ? null : {
      version: versionOf(active.record.source),
      source: active.record.source,
    },
    staged: {
      version: versionOf(staged.record.source),
      source: staged.record.source,
      fetched_at: staged.record.fetched_at,
    },
    ...diffDeployments(active?.files ?? new Map(), staged.files),
    normalisations: staged.record.normalisations,
  };
}

/** Renders a diff document for a person: the patches, normalisations, then a summary. */
export function renderDiff(document: DiffDocument): string {
  const { summary } = document;
  const from = document.active === null
    ? "nothing installed"
    : `active ${document.active.version ?? "-"}`;
  return [
    ...document.files.map((file) => file.patch),
    ...renderNormalisations(document.normalisations),
    `${document.deployment}: ${from} → staged ${
      document.staged.version ?? "-"
    }: ` +
    `${summary.modified} modified, ${summary.added} added, ${summary.removed} removed, ${summary.unchanged} unchanged`,
    ...document.files.map((file) => `  ${file.status.padEnd(8)} ${file.name}`),
    "",
  ].join("\n");
}
