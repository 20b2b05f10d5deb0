import type { UnitFile } from "../unit/types.ts";
import { referenceNameOf } from "./_reference_name.ts";

/** What an `Image=` value resolves to. */
export interface ResolvedImage {
  /** The image Podman runs, or `null` when a referenced unit is missing or names none. */
  image: string | null;
  /** The `.image` or `.build` unit referenced, or `null` for a plain image name. */
  unit: string | null;
}

/** Options for {@linkcode resolveImage}. */
export interface ResolveImageOptions {
  /**
   * The other units of the deployment by file name (drop-ins merged).
   *
   * @default {new Map()}
   */
  siblings?: ReadonlyMap<string, UnitFile>;
}

const NO_SIBLINGS: ReadonlyMap<string, UnitFile> = new Map();

/**
 * Resolves an `Image=` value as Podman's `handleImageSource` does: a value
 * ending in `.image` or `.build` names that unit, which gives its image
 * (`ImageTag=` or `Image=` of a `.image`, the first `ImageTag=` of a
 * `.build`); anything else is the image itself.
 *
 * @param value The `Image=` value, as Podman's `Lookup` reads it.
 * @param options The deployment's other units.
 * @returns The image and the unit referenced.
 *
 * @example Usage
 * ```ts
 * import { resolveImage } from "./resolve_image.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * deepStrictEqual(resolveImage("quay.io/app:1"), { image: "quay.io/app:1", unit: null });
 * deepStrictEqual(resolveImage("app.build"), { image: null, unit: "app.build" });
 * ```
 */
export function resolveImage(
  value: string,
  options: ResolveImageOptions = {},
): ResolvedImage {
  const { siblings = NO_SIBLINGS } = options;
  if (!value.endsWith(".image") && !value.endsWith(".build")) {
    return { image: value, unit: null };
  }
  return { image: referenceNameOf(value, siblings.get(value)), unit: value };
}
