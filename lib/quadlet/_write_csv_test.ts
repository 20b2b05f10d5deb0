import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { writeCsv } from "./_write_csv.ts";

const CASES: ReadonlyArray<[string[], string]> = [
  [["a", "b"], "a,b"],
  [
    ["type=bind", "source=/tmp", "dst=/path,1"],
    'type=bind,source=/tmp,"dst=/path,1"',
  ],
  [
    ["source=/path/on/host with spaces", "dst=/path"],
    "source=/path/on/host with spaces,dst=/path",
  ],
  [[" lead", "x"], '" lead",x'],
  [["\u00a0nbsp"], '"\u00a0nbsp"'],
  [['say "hi"'], '"say ""hi"""'],
  [["line\nbreak"], '"line\nbreak"'],
  [["\\."], '"\\."'],
  [["", "x", ""], ",x,"],
  [["ro"], "ro"],
];

Deno.test("writeCsv() quotes fields as Go's encoding/csv writer does", () => {
  for (const [fields, expected] of CASES) {
    assertEquals(writeCsv(fields), expected, JSON.stringify(fields));
  }
});
