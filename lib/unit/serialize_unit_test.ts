import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { needsCorpus, readPodmanFixtures } from "./_fixtures.ts";
import { mergeDropIns } from "./drop_ins.ts";
import { parseUnit } from "./parse_unit.ts";
import { serializeUnit } from "./serialize_unit.ts";

Deno.test(
  needsCorpus(
    "serializeUnit() gives back the bytes of every file of Podman's quadlet test suite",
  ),
  async () => {
    const fixtures = await readPodmanFixtures();
    ok(fixtures.length > 300, `only ${fixtures.length} fixtures`);
    ok(
      fixtures.some((f) => f.path.endsWith(".conf")),
      "no drop-in among the fixtures",
    );
    ok(
      fixtures.some((f) => f.path.startsWith("test_subdir/sub_one/")),
      "no nested fixture",
    );
    const changed = fixtures
      .filter(({ path, text }) =>
        serializeUnit(parseUnit(text, { file: path })) !== text
      )
      .map((f) => f.path);
    deepStrictEqual(changed, []);
  },
);

const ROUND_TRIP_CASES: [string, string][] = [
  ["an empty file", ""],
  ["a lone newline", "\n"],
  ["blank lines only", "\n\n\n"],
  ["no final newline", "[A]\nB=c"],
  ["two final newlines", "[A]\nB=c\n\n"],
  ["CRLF line ends", "# x\r\n[A]\r\nB = c \r\nD=e \\\r\n  f\r\n"],
  ["a lone CR inside a value", "[A]\nB=c\rd\n"],
  ["white space kept", "  [A]  \n\t B\t=\t c \t\n   \n"],
  ["a continuation with comments", "[A]\nB=1 \\\n# c \\\n\n  2\n"],
  ["a dropped continuation", "[A]\nB=1 \\\n\n# end\n"],
  ["a backslash on the last line", "[A]\nB=1 \\"],
  ["a lone backslash line", "[A]\n\\\nB=1\n"],
  ["a repeated section", "[A]\nX=1\n[B]\n[A]\nY=2\n"],
  ["Unicode", "[Container]\nLabel=name=Zoë 🚀\n"],
];

Deno.test("serializeUnit() gives back the parsed text when it is unchanged", async (t) => {
  for (const [name, text] of ROUND_TRIP_CASES) {
    await t.step(name, () => {
      strictEqual(
        serializeUnit(parseUnit(text, { file: "t.container" })),
        text,
      );
    });
  }
});

Deno.test("serializeUnit() writes a merged unit as one text with the same sections", () => {
  const unit = parseUnit("[Container]\nImage=x", { file: "web.container" });
  const dropIn = parseUnit(
    "[Container]\nEnvironment=A=1\n[Unit]\nAfter=db.service\n",
    {
      file: "web.container.d/10.conf",
    },
  );
  const text = serializeUnit(mergeDropIns(unit, [dropIn]));
  strictEqual(
    text,
    "[Container]\nImage=x\n[Container]\nEnvironment=A=1\n[Unit]\nAfter=db.service\n",
  );
  deepStrictEqual(
    parseUnit(text, { file: "web.container" }).sections.map((
      s,
    ) => [s.name, s.entries.length]),
    [["Container", 2], ["Unit", 1]],
  );
});
