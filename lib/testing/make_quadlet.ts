/**
 * Test helpers that build typed units without writing unit files: Podman's
 * default names come from the same functions leger uses for real units.
 *
 * @module
 */
import { quadletKindOf } from "../quadlet/kind.ts";
import { parsePublishPort } from "../quadlet/parse_publish_port.ts";
import { resourceNameOf } from "../quadlet/resource_name.ts";
import { serviceNameOf } from "../quadlet/service_name.ts";
import { templateParts } from "../quadlet/template_parts.ts";
import type { PublishedPort, QuadletUnit } from "../quadlet/types.ts";

/**
 * Builds a {@linkcode QuadletUnit} from a file name, with Podman's default
 * service and resource names; `overrides` replaces any field.
 *
 * @example Usage
 * ```ts
 * import { makeQuadlet } from "./make_quadlet.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(makeQuadlet("data.volume").serviceName, "data-volume.service");
 * ```
 */
export function makeQuadlet(
  file: string,
  overrides: Partial<QuadletUnit> = {},
): QuadletUnit {
  const kind = quadletKindOf(file);
  if (kind === null) {
    throw new TypeError(`Cannot make a quadlet of "${file}": not a unit file`);
  }
  const parts = templateParts(file);
  return {
    file,
    kind,
    template: parts !== null,
    instance: parts === null || parts.instance === "" ? null : parts.instance,
    defaultInstance: null,
    serviceName: serviceNameOf(file),
    resourceName: resourceNameOf(file),
    image: null,
    pod: null,
    ports: [],
    secrets: [],
    volumes: [],
    networks: [],
    files: [],
    units: [],
    health: { cmd: null, notifyHealthy: false },
    ...overrides,
  };
}

/**
 * A `PublishPort=` of `file` at `line`, parsed as Podman does.
 *
 * @example Usage
 * ```ts
 * import { makePort } from "./make_quadlet.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(makePort("web.container", 3, "127.0.0.1:8080:80").hostPort, "8080");
 * ```
 */
export function makePort(
  file: string,
  line: number,
  spec: string,
): PublishedPort {
  return parsePublishPort(spec, { file, line });
}
