import type { QuadletKind } from "./types.ts";

const SECTION_BY_KIND: Readonly<Record<QuadletKind, string>> = {
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
 * import { sectionOf } from "./_section_of.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(sectionOf("artifact"), "Artifact");
 * ```
 */
export function sectionOf(kind: QuadletKind): string {
  return SECTION_BY_KIND[kind];
}
