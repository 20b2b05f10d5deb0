import type { QuadletKind, QuadletUnit } from "../quadlet/types.ts";
import type { Finding } from "../errors/finding.ts";

/** The kinds whose resource names share a namespace in Podman, and the key that sets them. */
const NAMED_KINDS: Partial<Record<QuadletKind, { noun: string; key: string }>> =
  {
    container: { noun: "container", key: "ContainerName" },
    volume: { noun: "volume", key: "VolumeName" },
    network: { noun: "network", key: "NetworkName" },
    pod: { noun: "pod", key: "PodName" },
  };

/**
 * Finds units of one deployment that claim the same name: the same systemd
 * service (only one of them would be generated), or the same container,
 * volume, network or pod name (the second would replace or silently share
 * the first). Names holding a systemd specifier (`%i`) are only known at start
 * and are skipped.
 *
 * @param quadlets The typed units of the deployment.
 * @returns One `ERR_DUPLICATE_NAME` for each unit whose name an earlier unit
 * already claims, pointing at the later unit.
 *
 * @example Usage
 * ```ts
 * import { checkDuplicates } from "./check_duplicates.ts";
 * import type { QuadletUnit } from "../quadlet/types.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const a = { file: "a.container", kind: "container", serviceName: "a.service", resourceName: "web" };
 * const b = { file: "b.container", kind: "container", serviceName: "b.service", resourceName: "web" };
 * const [finding] = checkDuplicates([a, b] as QuadletUnit[]);
 * strictEqual(finding.file, "b.container");
 * ```
 */
export function checkDuplicates(quadlets: readonly QuadletUnit[]): Finding[] {
  const services = new Map<string, QuadletUnit>();
  const resources = new Map<string, QuadletUnit>();
  const findings: Finding[] = [];
  for (const quadlet of quadlets) {
    const earlier = services.get(quadlet.serviceName);
    if (earlier === undefined) {
      services.set(quadlet.serviceName, quadlet);
    } else {
      findings.push({
        code: "ERR_DUPLICATE_NAME",
        message:
          `Cannot install "${quadlet.file}": its service "${quadlet.serviceName}" is also the service of "${earlier.file}"`,
        file: quadlet.file,
        remedy:
          `Set ServiceName= in one of the two units, or rename one of the files`,
      });
    }
    const named = NAMED_KINDS[quadlet.kind];
    const name = quadlet.resourceName;
    if (
      named === undefined || name === null || name === "" || name.includes("%")
    ) continue;
    const key = `${quadlet.kind}:${name}`;
    const first = resources.get(key);
    if (first === undefined) {
      resources.set(key, quadlet);
    } else {
      findings.push({
        code: "ERR_DUPLICATE_NAME",
        message:
          `Cannot install "${quadlet.file}": ${named.noun} name "${name}" is also the name of "${first.file}"`,
        file: quadlet.file,
        remedy: `Set ${named.key}= in one of the two units to another name`,
      });
    }
  }
  return findings;
}
