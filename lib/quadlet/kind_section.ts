import type { QuadletKind } from "./types.ts";

/** The section of a quadlet kind: `Container`, `Volume`, … */
export type KindSection = Capitalize<QuadletKind>;

const SECTION_BY_KIND: Readonly<Record<QuadletKind, KindSection>> = {
  container: "Container",
  volume: "Volume",
  network: "Network",
  pod: "Pod",
  kube: "Kube",
  image: "Image",
  build: "Build",
  artifact: "Artifact",
};

/**
 * The section that holds a quadlet kind's keys (`[Container]`, `[Volume]`, …).
 *
 * @param kind The quadlet kind.
 * @returns The section name.
 *
 * @example Usage
 * ```ts
 * import { kindSection } from "./kind_section.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(kindSection("artifact"), "Artifact");
 * ```
 */
export function kindSection(kind: QuadletKind): KindSection {
  return SECTION_BY_KIND[kind];
}
