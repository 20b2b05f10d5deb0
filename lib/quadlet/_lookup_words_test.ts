import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
import { parseUnit } from "../unit/parse_unit.ts";
import { lookupWords } from "./_lookup_words.ts";

function words(body: string, mode: "args" | "strv"): Array<[string, number]> {
  const unit = parseUnit(`[Container]\n${body}`, { file: "web.container" });
  return lookupWords(unit, "Container", "Key", mode).map((
    { word, entry },
  ) => [word, entry.line]);
}

Deno.test("lookupWords() splits every occurrence as Podman's LookupAllArgs and LookupAllStrv do", () => {
  const cases: ReadonlyArray<
    [string, "args" | "strv", Array<[string, number]>]
  > = [
    ["Key=a b\nKey=c\n", "args", [["a", 2], ["b", 2], ["c", 3]]],
    ['Key="a b" c\\td\n', "args", [["a b", 2], ["c\td", 2]]],
    ['Key="a b" c\\td\n', "strv", [["a b", 2], ["c\\td", 2]]],
    ["Key=a\nKey=\nKey=b\n", "args", [["b", 4]]],
    ["Other=a\n", "args", []],
  ];
  for (const [body, mode, expected] of cases) {
    assertEquals(words(body, mode), expected, body);
  }
});

Deno.test("lookupWords() reports a value it cannot split at its line", () => {
  throws(() => words("Key=ok\nKey=bad\\q\n", "args"), {
    name: "LegerError",
    message: /Cannot use "Key=bad\\q": .*unsupported escape/,
  });
  throws(() => words('Key="open\n', "strv"), {
    name: "LegerError",
    message: /quote is not closed/,
  });
});
