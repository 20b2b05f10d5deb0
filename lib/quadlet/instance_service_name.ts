/**
 * Names an instance of a template service, as systemd does: the instance goes
 * between the `@` and `.service` (systemd.unit(5)). `worker@.service` with
 * instance `one` is `worker@one.service`; the template of `x@.volume`,
 * `x-volume@.service`, gives `x-volume@one.service`.
 *
 * @param templateService The template's service name, ending in `@.service`
 * (`QuadletUnit.serviceName` of a template unit).
 * @param instance The instance, such as the template's `DefaultInstance=`.
 * @returns The instance's service name.
 * @throws {TypeError} When `templateService` is no template service (it does
 * not end in `@.service`, as when `ServiceName=` renamed it) or `instance`
 * is empty.
 *
 * @example Usage
 * ```ts
 * import { instanceServiceName } from "./instance_service_name.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(instanceServiceName("worker@.service", "one"), "worker@one.service");
 * ```
 */
export function instanceServiceName(
  templateService: string,
  instance: string,
): string {
  if (!templateService.endsWith("@.service")) {
    throw new TypeError(
      `Cannot name instance "${instance}" of "${templateService}": it is no template service (expected a name ending in "@.service")`,
    );
  }
  if (instance === "") {
    throw new TypeError(
      `Cannot name an instance of "${templateService}": the instance is empty`,
    );
  }
  return `${templateService.slice(0, -".service".length)}${instance}.service`;
}
