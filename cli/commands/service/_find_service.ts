import { LegerError } from "../../../lib/errors/mod.ts";
import { quadletKindOf } from "../../../lib/quadlet/kind.ts";
import { serviceNameOf } from "../../../lib/quadlet/service_name.ts";
import { templateParts } from "../../../lib/quadlet/template_parts.ts";
import { readDeployments } from "../../../lib/state/deployments_file.ts";
import { legerPaths, type Scope } from "../../../lib/state/paths.ts";
import type { PathEnv } from "../../../lib/state/paths.ts";

/**
 * The systemd service a name stands for (`web`, `web.service`,
 * `web.container`, `worker@one`), among the services of leger's installed
 * deployments. An instance of a template a deployment installed
 * (`worker@three` for `worker@.container`) is one of its services too:
 * systemd starts any instance of an installed template.
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
  const wanted = candidates(name);
  const found = services.find((s) => wanted.includes(s));
  if (found !== undefined) return found;
  const templates = installed.flatMap((d) => d.units).filter((unit) =>
    templateParts(unit)?.instance === ""
  ).map((unit) => serviceNameOf(unit));
  const instance = wanted.find((service) => {
    const parts = templateParts(service);
    return parts !== null && parts.instance !== "" &&
      templates.includes(parts.template);
  });
  if (instance !== undefined) return instance;
  const known = [
    ...services,
    ...templates.filter((t) => t.endsWith("@.service")),
  ];
  throw new LegerError(
    "ERR_SERVICE_NOT_FOUND",
    `Cannot find the service "${name}" among leger's deployments (${scope} scope)`,
    {
      details: [`installed: ${known.join(", ") || "none"}`],
      remedy: known.length > 0
        ? `Name one of them, such as \`${
          known[0].replace(/@\.service$/, "@NAME").replace(/\.service$/, "")
        }\``
        : "Install a deployment first with `leger deploy install`",
    },
  );
}

/** The service names `name` may stand for, most literal first. */
function candidates(name: string): string[] {
  const names = [name, `${name}.service`];
  if (quadletKindOf(name) !== null) names.push(serviceNameOf(name));
  names.push(`${name.replace(/\.(service|container|kube|pod)$/, "")}.service`);
  return [...new Set(names)];
}
