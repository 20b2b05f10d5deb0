import type { UnitFile } from "../unit/types.ts";
import { referenceNameOf } from "./_reference_name.ts";
import type { NetworkRef } from "./types.ts";

/** Options for {@linkcode parseNetwork}. */
export interface ParseNetworkOptions {
  /**
   * The file the value comes from, copied into the result.
   *
   * @default {""}
   */
  file?: string;
  /**
   * The line the value comes from, copied into the result.
   *
   * @default {0}
   */
  line?: number;
  /**
   * The other units of the deployment by file name (drop-ins merged), to
   * resolve `x.network` to its `NetworkName=` and `x.container` to its
   * `ContainerName=`.
   *
   * @default {new Map()}
   */
  siblings?: ReadonlyMap<string, UnitFile>;
}

/**
 * Parses a `Network=` value and gives the `--network` argument Podman's
 * generator makes of it (`addNetworks`).
 *
 * `x.network[:OPTIONS]` names a quadlet network and becomes its network
 * name (`systemd-x` or `NetworkName=`) with the options kept;
 * `x.container` joins that container's network namespace and becomes
 * `container:NAME`. Anything else (`host`, `none`, `mynet:ip=…`,
 * `container:db`) passes unchanged. A missing sibling gets Podman's default
 * name.
 *
 * @param value The value, such as `app.network:ip=10.0.0.5`.
 * @param options Where the value comes from, and the unit's siblings.
 * @returns The network reference.
 * @throws {SyntaxError} When options follow a `.container` reference,
 * which Podman refuses.
 * @throws {RangeError} When the referenced container's name holds a
 * specifier Podman cannot resolve (a template container).
 *
 * @example Usage
 * ```ts
 * import { parseNetwork } from "./parse_network.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * deepStrictEqual(parseNetwork("app.network:ip=10.0.0.5", { line: 3, file: "web.container" }), {
 *   value: "app.network:ip=10.0.0.5", unit: "app.network", resolvedName: "systemd-app",
 *   spec: "systemd-app:ip=10.0.0.5", line: 3, file: "web.container",
 * });
 * ```
 */
export function parseNetwork(
  value: string,
  options: ParseNetworkOptions = {},
): NetworkRef {
  const { file = "", line = 0, siblings } = options;
  const colon = value.indexOf(":");
  const name = colon === -1 ? value : value.slice(0, colon);
  const isNetwork = name.endsWith(".network");
  if (!isNetwork && !name.endsWith(".container")) {
    return { value, unit: null, resolvedName: name, spec: value, line, file };
  }
  if (!isNetwork && colon !== -1) {
    throw new SyntaxError(
      `Cannot join the network of "${name}" with options "${
        value.slice(colon + 1)
      }": Podman supports no options when joining another container's network`,
    );
  }
  const resolved = referenceNameOf(name, siblings?.get(name));
  if (resolved === null) {
    throw new RangeError(
      `Cannot join the network of "${name}": its container name holds a systemd specifier Podman cannot resolve`,
    );
  }
  const spec = isNetwork
    ? (colon === -1 ? resolved : `${resolved}${value.slice(colon)}`)
    : `container:${resolved}`;
  return { value, unit: name, resolvedName: resolved, spec, line, file };
}
