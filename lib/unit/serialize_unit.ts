import type { UnitFile } from "./types.ts";

/**
 * Serialises a unit file from its physical-line nodes: the raw text of every
 * node, one after the other with `\n` between them, and a final `\n` when the
 * source ended with one. An unchanged {@linkcode parseUnit} result gives back
 * exactly the bytes it was parsed from (CRLF line ends, comments, blank lines,
 * continuations and white space included).
 *
 * The text comes from `nodes` only: to change a unit, change (or add) its
 * nodes. For a unit from `mergeDropIns` the result is the unit followed by its
 * drop-ins, one text that parses to the same sections and entries.
 *
 * @param unit The unit to serialise.
 * @returns The text of the unit file.
 *
 * @example Usage
 * ```ts
 * import { parseUnit } from "./parse_unit.ts";
 * import { serializeUnit } from "./serialize_unit.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const text = "# web\r\n[Container]\r\nImage=nginx\r\nExec=a \\\r\n  b\r\n";
 * strictEqual(serializeUnit(parseUnit(text, { file: "web.container" })), text);
 * ```
 */
export function serializeUnit(unit: UnitFile): string {
  const { nodes } = unit;
  if (nodes.length === 0) return "";
  let text = nodes[0].raw;
  for (let i = 1; i < nodes.length; i++) text += "\n" + nodes[i].raw;
  return unit.finalNewline ? text + "\n" : text;
}
