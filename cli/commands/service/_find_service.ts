import { LegerError } from "../../../lib/errors/mod.ts";
import { quadletKindOf } from "../../../lib/quadlet/kind.ts";
import { serviceNameOf } from "../../../lib/quadlet/service_name.ts";
import { templateParts } from "../../../lib/quadlet/template_parts.ts";
import {
  type InstalledDeployment,
  readDeployments,
} from "../../../lib/state/deployments_file.ts";
import { legerPaths, type Scope } from "../../../lib/state/paths.ts";
import type { PathEnv } from "../../../lib/state/paths.ts";
import { closestName } from "../../../lib/validate/closest_name.ts";
import type { CliContext } from "../../context.ts";

/** What the word of `leger service logs|start|stop|restart WORD` names. */
export interface ServiceTarget {
  /**
   * The deployment named, whose services are all acted on; `null` when the
   * word names one service.
   */
  deployment: string | null;
  /**
   * The systemd services: the one named, or the deployment's, in the order
   * `leger deploy list` shows them (a template's instances each as one).
   */
  services: string[];
  /**
   * When the word names a deployment and is also a name of a service (of
   * that deployment or another): that service, which a note names.
   */
  alsoService?: string;
}

/**
 * What a word names among leger's installed deployments of a scope: a whole
 * deployment, or one service.
 *
 * The rule: a word that is exactly a deployment's name names that
 * deployment (all its services), even when it is also a service's short
 * name (`web` for the deployment `web` that runs `web.service` and
 * `web-db.service`): the deployment is the wider of the two, and the
 * service alone is always reachable by its full name (`web.service`),
 * which never names a deployment unless one is literally called so; a
 * deployment whose only service is the one the word also names is that
 * service (the same thing either way, shown as one service). Any other
 * word names a service: `web`, `web.service`, `web.container`, or an
 * instance of an installed template (`worker@three` for `worker@.container`:
 * systemd starts any instance of an installed template).
 *
 * @param name The word given.
 * @param options The scope and where leger's state is.
 * @returns The deployment or service, and its services.
 * @throws {LegerError} `ERR_SERVICE_NOT_FOUND` listing the installed
 * deployments and services and suggesting the closest name; or naming a
 * deployment that has no services.
 *
 * @example Usage
 * ```ts ignore
 * const target = await findTarget("myapp", { scope: "user", context });
 * // { deployment: "myapp", services: ["myapp-web.service", "myapp-db.service"] }
 * ```
 */
export async function findTarget(
  name: string,
  options: { scope: Scope; context: PathEnv },
): Promise<ServiceTarget> {
  const { scope, context } = options;
  const installed = await readDeployments(legerPaths(scope, context).stateDir);
  const service = findService(name, installed);
  const deployment = installed.find((d) => d.name === name);
  if (deployment === undefined) {
    if (service !== undefined) return { deployment: null, services: [service] };
    throw notFound(name, installed, scope);
  }
  // The deployment `web` of the one service `web.service`: both are the
  // same, and the service's output (its own document) is the simpler.
  if (
    deployment.services.length === 1 && deployment.services[0] === service
  ) return { deployment: null, services: [service] };
  if (deployment.services.length === 0) {
    throw new LegerError(
      "ERR_SERVICE_NOT_FOUND",
      `${name} is installed but has no services (only volumes/networks: ${
        deployment.units.join(", ") || "none"
      }), so there is nothing to start, stop, restart or follow the logs of (${scope} scope)`,
      {
        remedy:
          `Its volumes and networks are made when a service of another deployment that uses them starts: act on that service instead (\`leger deploy list\` shows every deployment's services), or add a .container to ${name}'s source and \`leger deploy update ${name}\``,
      },
    );
  }
  return {
    deployment: name,
    services: [...deployment.services],
    ...(service === undefined ? {} : { alsoService: service }),
  };
}

/**
 * Says on stderr, when a word names a deployment and also a service other
 * than the deployment's only one, that the deployment is meant and how to
 * name the service alone.
 *
 * @param target What {@linkcode findTarget} found.
 * @param context Where to say it.
 *
 * @example Usage
 * ```ts ignore
 * noteAmbiguity(target, deps.context);
 * ```
 */
export function noteAmbiguity(
  target: ServiceTarget,
  context: Pick<CliContext, "err">,
): void {
  const { deployment, services, alsoService } = target;
  if (deployment === null || alsoService === undefined) return;
  if (services.length === 1 && services[0] === alsoService) return;
  context.err(
    `Note: "${deployment}" names the deployment ${deployment} (${
      services.join(", ")
    }); name the service alone as ${alsoService}\n`,
  );
}

/**
 * The service a word names among the deployments' services, or an instance
 * of an installed template.
 */
function findService(
  name: string,
  installed: readonly InstalledDeployment[],
): string | undefined {
  const services = installed.flatMap((d) => d.services);
  const wanted = candidates(name);
  const found = services.find((s) => wanted.includes(s));
  if (found !== undefined) return found;
  const templates = templatesOf(installed);
  return wanted.find((service) => {
    const parts = templateParts(service);
    return parts !== null && parts.instance !== "" &&
      templates.includes(parts.template);
  });
}

/** The template services (`worker@.service`) of the installed template units. */
function templatesOf(installed: readonly InstalledDeployment[]): string[] {
  return installed.flatMap((d) => d.units).filter((unit) =>
    templateParts(unit)?.instance === ""
  ).map((unit) => serviceNameOf(unit));
}

/** The error for a word that names nothing installed. */
function notFound(
  name: string,
  installed: readonly InstalledDeployment[],
  scope: Scope,
): LegerError {
  const deployments = installed.map((d) => d.name);
  const services = [
    ...installed.flatMap((d) => d.services),
    ...templatesOf(installed).filter((t) => t.endsWith("@.service")),
  ];
  const message =
    `Cannot find a service or deployment "${name}" in the ${scope} scope`;
  if (deployments.length === 0) {
    return new LegerError(
      "ERR_SERVICE_NOT_FOUND",
      `${message}: none is installed`,
      {
        remedy:
          "Install a deployment first with `leger deploy install --source <folder>`; `leger deploy list` shows what is installed in every scope you can see",
      },
    );
  }
  const short = (service: string) =>
    service.replace(/@\.service$/, "@NAME").replace(/\.service$/, "");
  const names = [...deployments, ...services.map(short)];
  const base = withoutSuffix(name);
  // `web.servic`: `web` itself is the suggestion.
  const near = base !== name && names.includes(base)
    ? base
    : closestName(base, names);
  return new LegerError("ERR_SERVICE_NOT_FOUND", message, {
    details: [
      `deployments: ${deployments.join(", ")}`,
      // A template is started as an instance: `worker@NAME.service`.
      `services: ${
        services.map((s) => s.replace(/@\.service$/, "@NAME.service"))
          .join(", ") || "none"
      }`,
    ],
    remedy: near !== undefined
      ? `Did you mean \`${near}\`?`
      : `Name one of them, such as \`${deployments[0]}\`${
        services.length === 0 ? "" : ` or \`${short(services[0])}\``
      }`,
  });
}

const SUFFIXES = ["service", "container", "kube", "pod"];
const SUFFIX_REGEXP = /^(.+)\.([a-z]+)$/;

/**
 * `name` without its suffix, also a misspelt one (`web.servic`,
 * `web.contaner`), for suggesting the closest name.
 */
function withoutSuffix(name: string): string {
  const match = SUFFIX_REGEXP.exec(name);
  if (match === null) return name;
  const [, base, suffix] = match;
  const suffixLike = SUFFIXES.some((s) => s.startsWith(suffix)) ||
    closestName(suffix, SUFFIXES) !== undefined;
  return suffixLike ? base : name;
}

/** The service names `name` may stand for, most literal first. */
function candidates(name: string): string[] {
  const names = [name, `${name}.service`];
  if (quadletKindOf(name) !== null) names.push(serviceNameOf(name));
  names.push(`${name.replace(/\.(service|container|kube|pod)$/, "")}.service`);
  return [...new Set(names)];
}
