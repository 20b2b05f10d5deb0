import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
import { readCsv } from "./_read_csv.ts";

const VALID: ReadonlyArray<[string, string[][]]> = [
  ["a,b,c", [["a", "b", "c"]]],
  ['type=bind,src=/tmp,"dst=/path,1"', [[
    "type=bind",
    "src=/tmp",
    "dst=/path,1",
  ]]],
  ['"a ""b""",c', [['a "b"', "c"]]],
  ["a,,b,", [["a", "", "b", ""]]],
  ["", []],
  ["a\nb", [["a"], ["b"]]],
  ["a\r\n\r\nb", [["a"], ["b"]]],
  ['"multi\nline",x', [["multi\nline", "x"]]],
  ["src=/path with spaces,dst=/p", [["src=/path with spaces", "dst=/p"]]],
];

Deno.test("readCsv() reads records as Go's encoding/csv does", () => {
  for (const [text, expected] of VALID) {
    assertEquals(readCsv(text), expected, text);
  }
});

const INVALID: ReadonlyArray<[string, RegExp]> = [
  ['dst=/pa"th', /bare " in an unquoted field/],
  ['"open', /quoted field is not closed/],
  ['"a"b,c', /extraneous or missing "/],
];

Deno.test("readCsv() rejects what Go's reader rejects", () => {
  for (const [text, message] of INVALID) {
    throws(() => readCsv(text), { name: "SyntaxError", message }, text);
  }
});
