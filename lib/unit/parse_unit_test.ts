import { deepStrictEqual, ok, strictEqual, throws } from "node:assert/strict";
import { LegerError } from "../errors/mod.ts";
import {
  needsCorpus,
  PODMAN_FIXTURES,
  readPodmanFixtures,
} from "./_fixtures.ts";
import { parseUnit } from "./parse_unit.ts";
import type { UnitFile } from "./types.ts";

/** `[section, [[key, value, line], …]]` for each section. */
type Shape = [string, [string, string, number][]][];

function shape(unit: UnitFile): Shape {
  return unit.sections.map((
    s,
  ) => [s.name, s.entries.map((e) => [e.key, e.value, e.line])]);
}

function readFixture(name: string): Promise<string> {
  return Deno.readTextFile(new URL(name, PODMAN_FIXTURES));
}

const VALID_CASES: { name: string; text: string; want: Shape }[] = [
  {
    name: "sections and entries",
    text: "[Unit]\nDescription=Web\n\n[Container]\nImage=nginx\n",
    want: [["Unit", [["Description", "Web", 2]]], ["Container", [[
      "Image",
      "nginx",
      5,
    ]]]],
  },
  {
    name: "# and ; comments",
    text: "# top\n[Container]\n# Image=a\n; Image=b\n  # indented\nImage=c\n",
    want: [["Container", [["Image", "c", 6]]]],
  },
  {
    name: "repeated keys in order",
    text: "[Container]\nVolume=a:/a\nVolume=b:/b\nImage=x\nVolume=c:/c\n",
    want: [["Container", [["Volume", "a:/a", 2], ["Volume", "b:/b", 3], [
      "Image",
      "x",
      4,
    ], [
      "Volume",
      "c:/c",
      5,
    ]]]],
  },
  {
    name: "white space around key and value",
    text: "[Container]\n  Image  =  nginx:1  \n\tLabel\t=\ta=b c\t\n",
    want: [["Container", [["Image", "nginx:1", 2], ["Label", "a=b c", 3]]]],
  },
  {
    name: "an empty value",
    text: "[Container]\nEnvironment=\nExec =   \n",
    want: [["Container", [["Environment", "", 2], ["Exec", "", 3]]]],
  },
  {
    name: "= inside the value",
    text: "[Container]\nEnvironment=A=B=C\n",
    want: [["Container", [["Environment", "A=B=C", 2]]]],
  },
  {
    name: "CRLF line ends",
    text: "[Container]\r\nImage=nginx\r\n\r\nExec=a \\\r\n  b\r\n",
    want: [["Container", [["Image", "nginx", 2], ["Exec", "a b", 4]]]],
  },
  {
    name: "a continuation keeps the space before the backslash",
    text: "[Container]\nExec=/bin/app --a \\\n    --b \\\n    --c\nImage=x\n",
    want: [["Container", [["Exec", "/bin/app --a --b --c", 2], [
      "Image",
      "x",
      5,
    ]]]],
  },
  {
    name: "a continuation adds no space of its own",
    text: "[Container]\nExec=ab\\\n  cd\n",
    want: [["Container", [["Exec", "abcd", 2]]]],
  },
  {
    name: "comment and blank lines inside a continuation",
    text:
      "[Service]\nCaps=A B \\\n# comment \\\n; other\n\n   \nC \\\nD\nX=1\n",
    want: [["Service", [["Caps", "A B C D", 2], ["X", "1", 9]]]],
  },
  {
    name: "a backslash on the last line",
    text: "[Service]\nLimitNOFILE=524288  \\",
    want: [["Service", [["LimitNOFILE", "524288  ", 2]]]],
  },
  {
    name: "a backslash on the last line before the final newline",
    text: "[Service]\nA=1 \\\nB=2\\\n",
    want: [["Service", [["A", "1 B=2", 2]]]],
  },
  {
    name: "a comment line never continues",
    text: "[Container]\n# Volume=a \\\nImage=x\n",
    want: [["Container", [["Image", "x", 3]]]],
  },
  {
    name: "a continuation that runs into the end of the file is dropped",
    text: "[Container]\nImage=x\nExec=true \\\n\n# anything\n",
    want: [["Container", [["Image", "x", 2]]]],
  },
  {
    name: "a line holding only a backslash",
    text: "[Container]\n\\\n# c\nImage=x\n",
    want: [["Container", [["Image", "x", 4]]]],
  },
  {
    name: "a repeated section merges into the first",
    text: "[A]\nX=1\n[B]\nY=2\n[A]\nZ=3\n",
    want: [["A", [["X", "1", 2], ["Z", "3", 6]]], ["B", [["Y", "2", 4]]]],
  },
  {
    name: "spaces and tabs after a header",
    text: "[Container] \t\nImage=x\n",
    want: [["Container", [["Image", "x", 2]]]],
  },
  {
    name: "a section name keeps its inner spaces",
    text: "[ X Y ]\nA=1\n",
    want: [[" X Y ", [["A", "1", 2]]]],
  },
  {
    name: "text after a header makes an assignment",
    text: "[S]\n[A]x=1\n",
    want: [["S", [["[A]x", "1", 2]]]],
  },
  {
    name: "a header without entries",
    text: "[Container]\nImage=x\n[Install]\n",
    want: [["Container", [["Image", "x", 2]]], ["Install", []]],
  },
  {
    name: "Unicode white space around a line",
    text: "\u00a0[Container]\u3000\nImage=x\u2003\n",
    want: [["Container", [["Image", "x", 2]]]],
  },
  { name: "an empty file", text: "", want: [] },
  { name: "only comments", text: "# a\n\n; b\n", want: [] },
  {
    name: "no final newline",
    text: "[A]\nB=c",
    want: [["A", [["B", "c", 2]]]],
  },
];

Deno.test("parseUnit() reads sections and entries as Podman does", async (t) => {
  for (const { name, text, want } of VALID_CASES) {
    await t.step(name, () => {
      deepStrictEqual(shape(parseUnit(text, { file: "t.container" })), want);
    });
  }
});

const ERROR_CASES: {
  name: string;
  text: string;
  line: number;
  message: RegExp;
}[] = [
  {
    name: "an assignment before any section",
    text: "# c\n\nImage=nginx\n[Container]\n",
    line: 3,
    message:
      /^Cannot parse "t\.container": line 3 sets "Image" before any \[Section\] header$/,
  },
  {
    name: "a line without =",
    text: "[Container]\nImage nginx\n",
    line: 2,
    message:
      /line 2 is not a Key=value assignment.*: current value is "Image nginx"$/,
  },
  {
    name: "an empty key",
    text: "[Container]\n = nginx\n",
    line: 2,
    message: /line 2 is not a Key=value assignment.*"= nginx"$/,
  },
  {
    name: "text after a header",
    text: "[Container] x\n",
    line: 1,
    message: /line 1 is not a Key=value assignment/,
  },
  {
    name: "an unclosed header",
    text: "[Container\n",
    line: 1,
    message: /line 1 is not a Key=value assignment/,
  },
  {
    name: "an empty section name",
    text: "[]\n",
    line: 1,
    message: /line 1 has an invalid section name: current value is ""$/,
  },
  {
    name: "[ in a section name",
    text: "[A]\nX=1\n[B[C]\n",
    line: 3,
    message: /line 3 has an invalid section name: current value is "B\[C"$/,
  },
  {
    name: "a control character in a section name",
    text: "[A\u0001]\n",
    line: 1,
    message: /invalid section name/,
  },
  {
    name: "a continued line (reported at its first line)",
    text: "[A]\nX=1\nnot \\\n  valid\n",
    line: 3,
    message: /line 3 is not a Key=value assignment.*"not valid"$/,
  },
  {
    name: "a byte order mark before a header",
    text: "\ufeff[Container]\nImage=x\n",
    line: 1,
    message:
      /starts with a byte order mark \(BOM\), which Podman's quadlet parser rejects$/,
  },
  {
    name: "a byte order mark before a comment",
    text: "\ufeff# web\n[Container]\nImage=x\n",
    line: 1,
    message: /byte order mark/,
  },
  {
    name: "a CRLF file",
    text: "[A]\r\nX=1\r\nbad\r\n",
    line: 3,
    message: /line 3 .*"bad"$/,
  },
];

Deno.test("parseUnit() throws ERR_UNIT_SYNTAX naming the file and line when a line is invalid", async (t) => {
  for (const { name, text, line, message } of ERROR_CASES) {
    await t.step(name, () => {
      throws(() => parseUnit(text, { file: "t.container" }), (err: unknown) => {
        ok(err instanceof LegerError);
        strictEqual(err.code, "ERR_UNIT_SYNTAX");
        strictEqual(err.file, "t.container");
        strictEqual(err.line, line);
        ok(err.message.startsWith('Cannot parse "t.container": '), err.message);
        ok(message.test(err.message), err.message);
        ok(err.remedy?.includes("t.container"), err.remedy);
        return true;
      });
    });
  }
});

Deno.test("parseUnit() sets file on entries and sections", () => {
  const unit = parseUnit("[Container]\nImage=x\n", {
    file: "web.container.d/10.conf",
  });
  strictEqual(unit.file, "web.container.d/10.conf");
  strictEqual(unit.sections[0].file, "web.container.d/10.conf");
  strictEqual(unit.sections[0].line, 1);
  strictEqual(unit.sections[0].entries[0].file, "web.container.d/10.conf");
});

Deno.test("parseUnit() keeps one node per physical line or continued entry", () => {
  const text =
    "# head\n\n[Container]\nExec=a \\\n# inside\n  b\n[Container]\nImage=x\nTail=y \\\n";
  const unit = parseUnit(text, { file: "t.container" });
  deepStrictEqual(
    unit.nodes.map((n) => [n.type, n.raw]),
    [
      ["comment", "# head"],
      ["blank", ""],
      ["section", "[Container]"],
      ["entry", "Exec=a \\\n# inside\n  b"],
      ["section", "[Container]"],
      ["entry", "Image=x"],
      ["entry", "Tail=y \\"],
    ],
  );
  const entry = unit.nodes[3];
  ok(entry.type === "entry");
  strictEqual(entry.section, "Container");
  strictEqual(entry.entry, unit.sections[0].entries[0]);
  strictEqual(unit.finalNewline, true);
});

Deno.test("parseUnit() keeps a dropped continuation as a comment node", () => {
  const text = "[Container]\nExec=true \\\n\n# must have a blank line above\n";
  const unit = parseUnit(text, { file: "t.container" });
  deepStrictEqual(unit.nodes.map((n) => [n.type, n.raw]), [
    ["section", "[Container]"],
    ["comment", "Exec=true \\\n\n# must have a blank line above"],
  ]);
});

Deno.test(
  needsCorpus("parseUnit() reads Podman's comment-with-continuation.container"),
  async () => {
    const unit = parseUnit(
      await readFixture("comment-with-continuation.container"),
      {
        file: "comment-with-continuation.container",
      },
    );
    deepStrictEqual(shape(unit), [
      ["Unit", [["Wants", "network-online.target", 6], [
        "After",
        "network-online.target",
        7,
      ]]],
      ["Container", [
        ["Image", "localhost/imagename:latest", 13],
        ["ContainerName", "greatName", 15],
        ["Label", "io.containers.autoupdate=registry", 18],
        [
          "Environment",
          "PUID=1000 PGID=100 SEED_RATIO=1.3 TZ=Europe/Prague",
          19,
        ],
        ["Volume", "./.config:/config", 20],
        ["Volume", "./downloads:/downloads", 21],
        ["PublishPort", "9091:9091", 24],
      ]],
    ]);
  },
);

Deno.test(
  needsCorpus("parseUnit() joins Podman's continuation fixtures"),
  async (t) => {
    const cases: [string, string, number][] = [
      [
        "line-continuation-whitespace.container",
        '"/some/binary file" --arg1 "arg 2"',
        7,
      ],
      ["exec.container", '"/some/binary file" --arg1 "arg 2"', 5],
    ];
    for (const [file, exec, line] of cases) {
      await t.step(file, async () => {
        const unit = parseUnit(await readFixture(file), { file });
        const entry = unit.sections[0].entries.find((e) => e.key === "Exec");
        deepStrictEqual([entry?.value, entry?.line], [exec, line]);
      });
    }
  },
);

Deno.test(
  needsCorpus(
    "parseUnit() drops the continuation of Podman's emptyline.container",
  ),
  async () => {
    const unit = parseUnit(await readFixture("emptyline.container"), {
      file: "emptyline.container",
    });
    deepStrictEqual(shape(unit), [["Container", []]]);
  },
);

Deno.test(
  needsCorpus("parseUnit() keeps quotes and escapes in values"),
  async (t) => {
    const cases: [string, string, string][] = [
      ["quotes.container", "ContainerName", '"RemoveQuotes"Name"'],
      ["quotes.container", "Image", '"localhost/imagename"'],
      [
        "escapes.container",
        "Exec",
        `/some/path "an arg" "a;b\\nc\\td'e" a;b\\nc\\td 'a"b' '\\110ello \\127orld'`,
      ],
      [
        "health-cmd-shell-quotes.container",
        "HealthCmd",
        `/bin/sh -c "echo 'hello world!'"`,
      ],
    ];
    for (const [file, key, value] of cases) {
      await t.step(`${file} ${key}`, async () => {
        const unit = parseUnit(await readFixture(file), { file });
        strictEqual(
          unit.sections[0].entries.find((e) => e.key === key)?.value,
          value,
        );
      });
    }
  },
);

Deno.test(
  needsCorpus("parseUnit() accepts every file of Podman's quadlet test suite"),
  async () => {
    const fixtures = await readPodmanFixtures();
    ok(fixtures.length > 300, `only ${fixtures.length} fixtures`);
    for (const { path, text } of fixtures) {
      const unit = parseUnit(text, { file: path });
      ok(unit.sections.length > 0, path);
    }
  },
);
