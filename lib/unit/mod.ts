/**
 * systemd unit syntax as Podman's quadlet generator reads it: a lossless
 * parser and serialiser, Podman's lookups (`LookupLast`, `LookupAll` with its
 * reset on `Key=`, `Lookup`'s quote removal, the word splitting of
 * `LookupAllArgs`/`LookupAllStrv`), and drop-in discovery and merging.
 * Sources: systemd.syntax(7), systemd.unit(5) ("drop-in" directories),
 * podman-systemd.unit(5), and Podman's `pkg/systemd/parser/unitfile.go`.
 *
 * ```ts
 * import { lookupAll, mergeDropIns, parseUnit, serializeUnit, splitWords } from "@leger/leger/unit";
 * import { deepStrictEqual, strictEqual } from "node:assert/strict";
 *
 * const text = "[Container]\nImage=nginx\nExec=/bin/app \\\n  \"a b\"\n";
 * const unit = parseUnit(text, { file: "web.container" });
 * strictEqual(serializeUnit(unit), text);
 * const dropIn = parseUnit("[Container]\nExec=/bin/other\n", { file: "web.container.d/10.conf" });
 * const merged = mergeDropIns(unit, [dropIn]);
 * deepStrictEqual(lookupAll(merged, "Container", "Exec").map((e) => splitWords(e.value)), [
 *   ["/bin/app", "a b"],
 *   ["/bin/other"],
 * ]);
 * ```
 *
 * @module
 */
export * from "./types.ts";
export * from "./parse_unit.ts";
export * from "./serialize_unit.ts";
export * from "./lookup.ts";
export * from "./split_words.ts";
export * from "./unquote.ts";
export * from "./drop_ins.ts";
