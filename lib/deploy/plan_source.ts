import { readLegerRunUrls } from "../api/read_leger_run_urls.ts";
import { LegerError } from "../errors/mod.ts";
import { redactUrl } from "../git/redact_url.ts";
import { discoverManifest } from "../manifest/discover_manifest.ts";
import { classifySource } from "../source/classify_source.ts";
import type { LoadedDeployment, SourceInfo } from "../source/types.ts";
import { buildPlan } from "./build_plan.ts";
import type { DeployContext } from "./context.ts";
import { planDeployment } from "./plan_deployment.ts";
import type { DeploymentPlan } from "./plan_types.ts";
import { resolveSource, type ResolveSourceOptions } from "./resolve_source.ts";

/** Options for {@linkcode planSource}. */
export interface PlanSourceOptions extends ResolveSourceOptions {
  /**
   * A source that cannot be read still yields a plan document (invalid, with
   * the error), so that `--json` always prints one document.
   *
   * @default {false}
   */
  planUnreadable?: boolean;
}

/**
 * Stages 1 to 5 of a deploy, for `leger validate` and `deploy install
 * --dry-run`: resolves the source, then plans it against the host. Changes
 * nothing on the host.
 *
 * Requires what {@linkcode resolveSource} and {@linkcode planDeployment}
 * require.
 *
 * @param source The `--source` as given, or `undefined` for the user's space.
 * @param context The scope, environment, runner and host facts.
 * @param options Version, release, name; whether to plan an unreadable source.
 * @returns The deployment (`null` when it could not be read) and its plan.
 * @throws {LegerError} What {@linkcode resolveSource} throws, unless
 * `planUnreadable`.
 *
 * @example Usage
 * ```ts ignore
 * import { planSource } from "./plan_source.ts";
 * const { plan } = await planSource("./my-app", context);
 * ```
 */
export async function planSource(
  source: string | undefined,
  context: DeployContext,
  options: PlanSourceOptions = {},
): Promise<{ deployment: LoadedDeployment | null; plan: DeploymentPlan }> {
  let deployment: LoadedDeployment;
  try {
    deployment = await resolveSource(source, context, options);
  } catch (error) {
    if (!(options.planUnreadable && error instanceof LegerError)) throw error;
    return {
      deployment: null,
      plan: await unreadablePlan(source ?? "leger.run", error, context),
    };
  }
  return {
    deployment,
    plan: (await planDeployment(deployment, context)).plan,
  };
}

/**
 * The plan of a source that could not be read: invalid, with the error. The
 * source is named as the user gave it, minus any credentials in a URL.
 */
async function unreadablePlan(
  source: string,
  error: LegerError,
  context: DeployContext,
): Promise<DeploymentPlan> {
  const location = redactUrl(source);
  const name = location.replace(/[/#]+$/, "").split(/[/:#]/).pop() || location;
  const deployment: LoadedDeployment = {
    name,
    source: { type: await sourceTypeOf(source, context), location },
    files: [],
    manifest: discoverManifest([]),
  };
  return buildPlan(deployment, {
    scope: context.scope,
    units: [],
    findings: [{ ...error.toJSON(), file: error.file ?? "" }],
  });
}

/**
 * What kind of source a `--source` that could not be read names, as far as
 * classifySource can tell without the file system (a path it cannot place
 * is taken as local).
 */
async function sourceTypeOf(
  source: string,
  context: DeployContext,
): Promise<SourceInfo["type"]> {
  if (source === "leger.run") return "leger.run";
  try {
    const spec = classifySource(source, {
      staticUrl: (await readLegerRunUrls(context)).static,
      isLocalPath: () => false,
    });
    return spec.type === "leger.run-space" ? "leger.run" : spec.type;
  } catch (error) {
    if (error instanceof LegerError) return "local";
    throw error;
  }
}
