import type { QuadletKind } from "../quadlet/types.ts";
import type { QuadletSection } from "./supported_keys.ts";

const SECTION_BY_KIND: Readonly<Record<QuadletKind, QuadletSection>> = {
  container: "Container",
  volume: "Volume",
  network: "Network",
  pod: "Pod",
  kube: "Kube",
  image: "Image",
  build: "Build",
  artifact: "Artifact",
};

/** The section that holds a kind's keys: `[Container]` for a `.container`, … */
export function kindSection(kind: QuadletKind): QuadletSection {
  return SECTION_BY_KIND[kind];
}
