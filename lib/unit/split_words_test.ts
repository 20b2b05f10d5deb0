import { deepStrictEqual, throws } from "node:assert/strict";
import { needsCorpus, PODMAN_FIXTURES } from "./_fixtures.ts";
import { lookupLast } from "./lookup.ts";
import { parseUnit } from "./parse_unit.ts";
import { splitWords } from "./split_words.ts";

const ARGS_CASES: [string, string[]][] = [
  ["", []],
  ["   \t ", []],
  ["a", ["a"]],
  ["  a  b\tc\r\nd  ", ["a", "b", "c", "d"]],
  [`"a b" 'c d'`, ["a b", "c d"]],
  [`x"a b"y`, ["xa by"]],
  [`'a"b' "a'b"`, ['a"b', "a'b"]],
  [`"unclosed quote`, ["unclosed quote"]],
  ["trailing\\", ["trailing"]],
  [`a "" b`, ["a"]],
  [`"" b`, []],
  ["%h/data %N", ["%h/data", "%N"]],
  ["a\\sb", ["a b"]],
  [`\\"quoted\\"`, ['"quoted"']],
  ["\\x41\\102\\u00e9\\U0001F51F", ["ABé🔟"]],
  ["\\xff", ["ÿ"]],
  ["\\ud800", ["\ufffd"]],
  [`"a\\tb" 'c\\nd'`, ["a\tb", "c\nd"]],
  ["a\u0000b c", ["a"]],
  // Podman's own TestExtractFirstWordUnescapes vector.
  [
    `\\a \\b \\f \\n \\r \\t \\v \\\\ \\" \\' \\s \\x50odman is \\U0001F51F/\\u0031\\u0030 \\110ello \\127orld`,
    [
      "\x07",
      "\b",
      "\f",
      "\n",
      "\r",
      "\t",
      "\v",
      "\\",
      '"',
      "'",
      " ",
      "Podman",
      "is",
      "🔟/10",
      "Hello",
      "World",
    ],
  ],
];

Deno.test("splitWords() splits as Podman's LookupAllArgs does", () => {
  for (const [value, want] of ARGS_CASES) {
    deepStrictEqual(splitWords(value), want, JSON.stringify(value));
  }
});

const ARGS_ERROR_CASES: [string, RegExp][] = [
  [
    "'test\\.com'",
    /^Cannot split "'test\\\\.com'" into words: unsupported escape "\\\."/,
  ],
  ["regex=^foo(\\?.*)?$", /unsupported escape "\\\?"/],
  ["\\x00", /unsupported escape "\\x"/],
  ["\\x4", /unsupported escape "\\x"/],
  ["\\xzz", /unsupported escape/],
  ["\\000", /unsupported escape "\\0"/],
  ["\\777", /unsupported escape "\\7"/],
  ["\\79", /unsupported escape/],
  ["\\u123", /unsupported escape "\\u"/],
  ["\\u0000", /unsupported escape/],
  ["\\U00110000", /unsupported escape "\\U"/],
  ["\\k", /unsupported escape "\\k"/],
  ["a\\ b", /unsupported escape "\\ "/],
];

Deno.test("splitWords() throws a SyntaxError when an escape is unsupported", () => {
  for (const [value, message] of ARGS_ERROR_CASES) {
    throws(() => splitWords(value), { name: "SyntaxError", message }, value);
  }
});

Deno.test('splitWords() splits as Podman\'s LookupAllStrv does when mode is "strv"', () => {
  const cases: [string, string[]][] = [
    ["multi-user.target default.target", [
      "multi-user.target",
      "default.target",
    ]],
    [`"a b" 'c d'`, ["a b", "c d"]],
    ["/dev/fuse:rwm -/dev/kvm", ["/dev/fuse:rwm", "-/dev/kvm"]],
    ["a\\nb c\\ d", ["a\\nb", "c\\", "d"]],
    [`"a\\" b`, ["a\\", "b"]],
    [`a "" b`, ["a"]],
  ];
  for (const [value, want] of cases) {
    deepStrictEqual(
      splitWords(value, { mode: "strv" }),
      want,
      JSON.stringify(value),
    );
  }
  for (const value of [`a "b`, `"a\\"b"`]) {
    throws(() => splitWords(value, { mode: "strv" }), {
      name: "SyntaxError",
      message: /a quote is not closed/,
    }, value);
  }
});

Deno.test(
  needsCorpus("splitWords() gives the arguments Podman's fixtures assert"),
  async () => {
    const cases: [string, string, string[]][] = [
      ["escapes.container", "Exec", [
        "/some/path",
        "an arg",
        "a;b\nc\td'e",
        "a;b\nc\td",
        'a"b',
        "Hello World",
      ]],
      ["exec.container", "Exec", ["/some/binary file", "--arg1", "arg 2"]],
      ["line-continuation-whitespace.container", "Exec", [
        "/some/binary file",
        "--arg1",
        "arg 2",
      ]],
      ["comment-with-continuation.container", "Environment", [
        "PUID=1000",
        "PGID=100",
        "SEED_RATIO=1.3",
        "TZ=Europe/Prague",
      ]],
    ];
    for (const [file, key, want] of cases) {
      const text = await Deno.readTextFile(new URL(file, PODMAN_FIXTURES));
      const entry = lookupLast(parseUnit(text, { file }), "Container", key);
      deepStrictEqual(splitWords(entry?.value ?? ""), want, file);
    }
  },
);

Deno.test(
  needsCorpus(
    "splitWords() rejects the values Podman's unsupported-escape fixtures ignore",
  ),
  async () => {
    const cases: [string, string][] = [
      ["exec-unsupported-escape.container", "Exec"],
      ["label-unsupported-escape.container", "Label"],
      ["reloadcmd-unsupported-escape.container", "ReloadCmd"],
    ];
    for (const [file, key] of cases) {
      const text = await Deno.readTextFile(new URL(file, PODMAN_FIXTURES));
      const entry = lookupLast(parseUnit(text, { file }), "Container", key);
      throws(
        () => splitWords(entry?.value ?? ""),
        { name: "SyntaxError" },
        file,
      );
    }
  },
);
