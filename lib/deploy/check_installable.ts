import { LegerError } from "../errors/mod.ts";
import { type DeployContext, pathsOf } from "./context.ts";
import type { PlanProblem } from "./plan_types.ts";
import type { PreparedInstall } from "./prepare_install.ts";

/** Options for {@linkcode checkInstallable}. */
export interface CheckInstallableOptions {
  /**
   * Install despite conflicts with the host (never despite errors).
   *
   * @default {false}
   */
  force?: boolean;
}

/**
 * The gate between planning and changing the host: an install stops on any
 * error of its plan, on any conflict with the host unless forced, and on a
 * file of the same name already in the quadlet folder that is not its own
 * (Podman puts every deployment's files in one folder, so it would be
 * overwritten).
 *
 * Requires `--allow-read` for the quadlet folder.
 *
 * @param prepared The prepared install.
 * @param context The scope and its folders.
 * @param options `force`.
 * @returns The conflicts `force` let through (to warn about).
 * @throws {LegerError} With the first problem's code (`ERR_PORT_CONFLICT`,
 * `ERR_UNIT_UNKNOWN_KEY`, …), the others as details; `ERR_NAME_CONFLICT`
 * for a foreign file.
 *
 * @example Usage
 * ```ts ignore
 * import { checkInstallable } from "./check_installable.ts";
 * const forced = await checkInstallable(prepared, context, { force: false });
 * ```
 */
export async function checkInstallable(
  prepared: PreparedInstall,
  context: DeployContext,
  options: CheckInstallableOptions = {},
): Promise<PlanProblem[]> {
  const { force = false } = options;
  const { plan } = prepared;
  const problems = [...plan.errors, ...(force ? [] : plan.conflicts)];
  if (problems.length > 0) {
    const [first] = problems;
    throw new LegerError(
      first.code,
      `Cannot install "${plan.deployment}": ${first.message}`,
      {
        file: first.file,
        line: first.line,
        details: problems.slice(1).map((p) =>
          `${p.file}${p.line ? `:${p.line}` : ""}: ${p.message} [${p.code}]`
        ),
        remedy: first.remedy ??
          (plan.errors.length === 0
            ? "Free the port or name, or pass --force to install anyway"
            : "Fix the units (`leger validate` lists every problem), then install again"),
      },
    );
  }
  await refuseForeignFiles(prepared, context);
  return force ? [...plan.conflicts] : [];
}

async function refuseForeignFiles(
  prepared: PreparedInstall,
  context: DeployContext,
): Promise<void> {
  const { deployment, previous } = prepared;
  const { quadletDir } = pathsOf(context);
  const owned = new Set(previous?.files.map((f) => f.name) ?? []);
  for (const file of deployment.files) {
    if (owned.has(file.path)) continue;
    try {
      await Deno.lstat(`${quadletDir}/${file.path}`);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) continue;
      throw error;
    }
    throw new LegerError(
      "ERR_NAME_CONFLICT",
      `Cannot install "${deployment.name}": ${quadletDir}/${file.path} already exists and is not part of it`,
      {
        remedy:
          "Rename the file in the deployment, or remove the other one if it is no longer used",
      },
    );
  }
}
