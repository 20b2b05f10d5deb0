import { type Event, EVENT_ID, getScalarValue, SCALAR_STYLE } from "js-yaml";

/** Where a node of a YAML document starts, and a plain scalar's source text. */
export interface YamlSpan {
  /** 0-based offset of the node (of its key when the value is empty). */
  offset: number;
  /** The source text of a plain scalar value (`1.10` stays `1.10`). */
  raw?: string;
}

interface Frame {
  kind: "document" | "map" | "seq";
  path: string;
  index: number;
  key: string;
  expectKey: boolean;
  isKey: boolean;
}

/**
 * Maps each node path of the first document of a YAML event stream
 * (`ports[1]`, `volumes[0].name`) to where it starts in the source, so that an
 * error about a field can name its line.
 *
 * JSON is YAML, so the same map locates fields of a JSON manifest.
 *
 * @param source The text the events were parsed from.
 * @param events The events from js-yaml's `parseEvents`.
 * @returns Node paths (the root is `""`) to spans.
 *
 * @example Usage
 * ```ts
 * import { yamlPathSpans } from "./_yaml_path_spans.ts";
 * import { parseEvents } from "js-yaml";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const text = "name: web\nports:\n  - 80\n";
 * const spans = yamlPathSpans(text, parseEvents(text, {}));
 * deepStrictEqual(spans.get("ports[0]"), { offset: 21, raw: "80" });
 * ```
 */
export function yamlPathSpans(
  source: string,
  events: readonly Event[],
): Map<string, YamlSpan> {
  const spans = new Map<string, YamlSpan>();
  const stack: Frame[] = [];
  let documents = 0;
  for (const event of events) {
    if (event.type === EVENT_ID.DOCUMENT) {
      if (++documents > 1) break;
      stack.push(frame("document", "", false));
      continue;
    }
    if (event.type === EVENT_ID.POP) {
      const done = stack.pop();
      const parent = stack.at(-1);
      if (done !== undefined && parent !== undefined) {
        advance(parent, done.isKey);
      }
      continue;
    }
    const parent = stack.at(-1);
    if (parent === undefined) continue;
    const offset = event.type === EVENT_ID.SCALAR
      ? event.valueStart
      : event.type === EVENT_ID.ALIAS
      ? event.anchorStart
      : event.start;
    const isKey = parent.kind === "map" && parent.expectKey;
    if (isKey) {
      parent.key = event.type === EVENT_ID.SCALAR
        ? getScalarValue(source, event)
        : "?";
    }
    const path = childPath(parent);
    if (offset >= 0 && (!isKey || !spans.has(path))) {
      const raw = !isKey && event.type === EVENT_ID.SCALAR &&
          event.style === SCALAR_STYLE.PLAIN
        ? source.slice(event.valueStart, event.valueEnd)
        : undefined;
      spans.set(path, raw === undefined ? { offset } : { offset, raw });
    }
    if (event.type === EVENT_ID.MAPPING || event.type === EVENT_ID.SEQUENCE) {
      const kind = event.type === EVENT_ID.MAPPING ? "map" : "seq";
      stack.push(frame(kind, isKey ? `${path}?` : path, isKey));
    } else {
      advance(parent, isKey);
    }
  }
  return spans;
}

function frame(kind: Frame["kind"], path: string, isKey: boolean): Frame {
  return { kind, path, index: 0, key: "", expectKey: true, isKey };
}

function childPath(parent: Frame): string {
  if (parent.kind === "seq") return `${parent.path}[${parent.index}]`;
  if (parent.kind === "map") {
    return parent.path === "" ? parent.key : `${parent.path}.${parent.key}`;
  }
  return "";
}

function advance(parent: Frame, wasKey: boolean): void {
  if (parent.kind === "seq") parent.index++;
  if (parent.kind === "map") parent.expectKey = !wasKey;
}
