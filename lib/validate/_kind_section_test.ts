import { strictEqual } from "node:assert/strict";
import { kindSection } from "../quadlet/kind_section.ts";
import { QUADLET_KINDS } from "../quadlet/types.ts";
import { SUPPORTED_KEYS } from "./supported_keys.ts";

Deno.test("kindSection() names a section with a key list for every kind", () => {
  strictEqual(kindSection("container"), "Container");
  for (const kind of QUADLET_KINDS) {
    strictEqual(SUPPORTED_KEYS[kindSection(kind)].size > 0, true, kind);
  }
});
