/** The parts of a template or instance name, as {@linkcode templateParts} splits it. */
export interface TemplateParts {
  /**
   * The template's name: the name with the instance left out
   * (`worker@.container` for `worker@two.container`, `worker@.service` for
   * `worker@one.service`).
   */
  template: string;
  /** The instance (`two`); empty for the template itself. */
  instance: string;
}

/**
 * Splits a unit file or systemd unit name into its template and instance, as
 * Podman's `UnitFile.GetTemplateParts` and systemd do: the part before the
 * first `@` names the template, the part between it and the extension the
 * instance (systemd.unit(5) "template"). `worker@.container` is a template
 * (empty instance), `worker@two.container` an instance of it, and
 * `worker@one.service` an instance of the template service `worker@.service`.
 *
 * @param name A file or unit name, or a path (its folder is left out).
 * @returns The parts, or `null` when the name holds no `@` (or no extension)
 * and so is neither a template nor an instance.
 *
 * @example Usage
 * ```ts
 * import { templateParts } from "./template_parts.ts";
 * import { deepStrictEqual, strictEqual } from "node:assert/strict";
 *
 * deepStrictEqual(templateParts("worker@two.container"), {
 *   template: "worker@.container",
 *   instance: "two",
 * });
 * deepStrictEqual(templateParts("worker@.container"), {
 *   template: "worker@.container",
 *   instance: "",
 * });
 * deepStrictEqual(templateParts("worker@one.service")?.template, "worker@.service");
 * strictEqual(templateParts("web.container"), null);
 * ```
 */
export function templateParts(name: string): TemplateParts | null {
  const file = name.slice(name.lastIndexOf("/") + 1);
  const dot = file.lastIndexOf(".");
  if (dot <= 0) return null;
  const base = file.slice(0, dot);
  const at = base.indexOf("@");
  if (at === -1) return null;
  return {
    template: `${base.slice(0, at)}@${file.slice(dot)}`,
    instance: base.slice(at + 1),
  };
}
