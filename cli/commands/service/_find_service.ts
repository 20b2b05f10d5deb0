import { LegerError } from "../../../lib/errors/mod.ts";
import { readDeployments } from "../../../lib/state/deployments_file.ts";
import { legerPaths, type Scope } from "../../../lib/state/paths.ts";
import type { PathEnv } from "../../../lib/state/paths.ts";

/**
 * The systemd service a name stands for (`web`, `web.service` or
 * `web.container`), among the services of leger's installed deployments.
 *
 * @throws {LegerError} `ERR_SERVICE_NOT_FOUND` listing the installed services.
 */
export async function findService(
  name: string,
  options: { scope: Scope; context: PathEnv },
): Promise<string> {
  const { scope, context } = options;
  const installed = await readDeployments(legerPaths(scope, context).stateDir);
  const services = installed.flatMap((d) => d.services);
  const stem = name.replace(/\.(service|container|kube|pod)$/, "");
  const found = services.find((s) => s === name || s === `${stem}.service`);
  if (found !== undefined) return found;
  throw new LegerError(
    "ERR_SERVICE_NOT_FOUND",
    `Cannot find the service "${name}" among leger's deployments (${scope} scope)`,
    {
      details: [`installed: ${services.join(", ") || "none"}`],
      remedy: services.length > 0
        ? `Name one of them, such as \`${
          services[0].replace(/\.service$/, "")
        }\``
        : "Install a deployment first with `leger deploy install`",
    },
  );
}
