/**
 * The typed view of quadlet units: what leger needs to know about a
 * `.container`, `.volume`, `.network`, `.pod`, `.kube`, `.image`, `.build` or
 * `.artifact` file to plan, validate and conflict-check a deployment, with
 * every name and value as Podman's quadlet generator makes it: the systemd
 * service (`data.volume` runs as `data-volume.service`), the Podman resource
 * (`systemd-data` unless `VolumeName=` says otherwise), the `--publish`,
 * `--secret`, `-v`, `--mount` and `--network` arguments, the files it reads
 * and the other units it depends on. Source: podman-systemd.unit(5) and
 * Podman's generator (`pkg/systemd/quadlet`).
 *
 * ```ts
 * import { toQuadletUnit } from "@leger/leger/quadlet";
 * import { parseUnit } from "../unit/parse_unit.ts";
 * import { deepStrictEqual, strictEqual } from "node:assert/strict";
 *
 * const siblings = new Map([
 *   ["data.volume", parseUnit("[Volume]\nVolumeName=app-data\n", { file: "data.volume" })],
 * ]);
 * const web = toQuadletUnit(
 *   parseUnit(
 *     "[Container]\nImage=quay.io/org/web:1\nPublishPort=127.0.0.1:8080:80\n" +
 *       "Secret=api_key,type=env,target=API_KEY\nVolume=data.volume:/data:Z\nNetwork=llm.network\n",
 *     { file: "web.container" },
 *   ),
 *   { siblings, unitDir: "/srv/web" },
 * );
 * strictEqual(web.serviceName, "web.service");
 * strictEqual(web.resourceName, "systemd-web");
 * strictEqual(web.ports[0].spec, "127.0.0.1:8080:80");
 * strictEqual(web.secrets[0].name, "api_key");
 * strictEqual(web.volumes[0].spec, "app-data:/data:Z");
 * strictEqual(web.networks[0].spec, "systemd-llm");
 * deepStrictEqual(web.units.map((ref) => ref.unit), ["data.volume", "llm.network"]);
 * ```
 *
 * @module
 */
export * from "./types.ts";
export * from "./kind.ts";
export * from "./load_units.ts";
export * from "./service_name.ts";
export * from "./template_parts.ts";
export * from "./instance_service_name.ts";
export * from "./resource_name.ts";
export * from "./resolve_image.ts";
export * from "./resolve_storage_source.ts";
export * from "./parse_publish_port.ts";
export * from "./parse_secret.ts";
export * from "./parse_volume.ts";
export * from "./parse_mount.ts";
export * from "./parse_network.ts";
export * from "./to_quadlet_unit.ts";
export * from "./unit_dependency_keys.ts";
export * from "./resolve_in_deployment.ts";
export * from "./kind_section.ts";
export * from "./health_url.ts";
export * from "./resolve_specifiers.ts";
