import { LegerError } from "../errors/mod.ts";
import type { DeployContext } from "./context.ts";
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
  /**
   * What the change is, for the message (`Cannot update "web": …`).
   *
   * @default {"install"}
   */
  action?: "install" | "update";
}

/**
 * The gate between planning and changing the host: an install stops on any
 * error of its plan, and on any conflict with the host unless forced. It
 * checks nothing the plan did not: every check against the host (ports,
 * names, files already in the quadlet folder, drop-ins that reach other
 * deployments) is planning's, so that `validate`, `deploy install --dry-run`
 * and the install agree. A file the install would overwrite — another
 * deployment's, or one put in the quadlet folder outside leger — is an error
 * of the plan, which `--force` does not pass: the install would replace it
 * and an undo would then delete it.
 *
 * @param prepared The prepared install.
 * @param _context The scope and its folders (the plan already holds what
 * the host looked like).
 * @param options `force`.
 * @returns The conflicts `force` let through (to warn about).
 * @throws {LegerError} With the first problem's code (`ERR_PORT_CONFLICT`,
 * `ERR_NAME_CONFLICT`, `ERR_UNIT_UNKNOWN_KEY`, …), the others as details.
 *
 * @example Usage
 * ```ts ignore
 * import { checkInstallable } from "./check_installable.ts";
 * const forced = await checkInstallable(prepared, context, { force: false });
 * ```
 */
export function checkInstallable(
  prepared: PreparedInstall,
  _context: DeployContext,
  options: CheckInstallableOptions = {},
): Promise<PlanProblem[]> {
  const { force = false, action = "install" } = options;
  const { plan } = prepared;
  const problems = [...plan.errors, ...(force ? [] : plan.conflicts)];
  if (problems.length > 0) {
    const [first] = problems;
    return Promise.reject(
      new LegerError(
        first.code,
        `Cannot ${action} "${plan.deployment}": ${first.message}`,
        {
          file: first.file,
          line: first.line,
          details: problems.slice(1).map((p) =>
            `${p.file}${p.line ? `:${p.line}` : ""}: ${p.message} [${p.code}]`
          ),
          remedy: first.remedy ??
            (plan.errors.length === 0
              ? `Free the port or name, or pass --force to ${action} anyway`
              : `Fix the units (\`leger validate\` lists every problem), then ${action} again`),
        },
      ),
    );
  }
  return Promise.resolve(force ? [...plan.conflicts] : []);
}
