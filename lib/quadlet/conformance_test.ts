/**
 * Conformance of the typed view with Podman's own quadlet generator: every
 * unit of Podman's test corpus (containers/podman `test/e2e/quadlet/`) is
 * parsed, merged with its drop-ins and converted, and each `## assert-…`
 * comment about `--publish`, `--secret`, `--name`, `-v`/`--volume`,
 * `--mount` and `--network` is checked against the typed view, with the
 * semantics of Podman's `test/e2e/quadlet_test.go`.
 *
 * @module
 */
import { deepStrictEqual as assertEquals, fail } from "node:assert/strict";
import { LegerError } from "../errors/mod.ts";
import { mergeDropIns, selectDropIns } from "../unit/drop_ins.ts";
import { parseUnit } from "../unit/parse_unit.ts";
import type { UnitFile } from "../unit/types.ts";
import { needsCorpus, PODMAN_FIXTURES } from "../unit/_fixtures.ts";
import { readCsv } from "./_read_csv.ts";
import { quadletKindOf } from "./kind.ts";
import { toQuadletUnit } from "./to_quadlet_unit.ts";
import type { QuadletUnit } from "./types.ts";

/**
 * Assertions that may mismatch, by `file: assertion line`, each with why.
 * Keep it empty: fix the code instead where reasonable.
 */
const ALLOWED_MISMATCHES: Readonly<Record<string, string>> = {};

/** Podman's corpus: in `../shared/`, `$LEGER_PODMAN_CORPUS` or `.corpus/`. */
const CORPUS = PODMAN_FIXTURES;

/**
 * Podman's e2e test installs the corpus in `<tmp>/podman-e2e-…/subtest-…/quadlet/`
 * and its regex assertions match that path, so the units get a folder of that shape.
 */
const UNIT_DIR = "/tmp/podman-e2e-1234/subtest-5678/quadlet";

/** The flags whose values the typed view carries. */
const FLAGS = new Set([
  "--publish",
  "--secret",
  "--name",
  "-v",
  "--volume",
  "--mount",
  "--network",
]);

interface Corpus {
  /** Every file path relative to the corpus root. */
  paths: string[];
  texts: Map<string, string>;
}

async function readCorpus(): Promise<Corpus> {
  const paths: string[] = [];
  const texts = new Map<string, string>();
  async function walk(dir: URL, prefix: string): Promise<void> {
    for await (const entry of Deno.readDir(dir)) {
      const path = prefix + entry.name;
      if (entry.isDirectory) {
        await walk(new URL(`${entry.name}/`, dir), `${path}/`);
      } else if (entry.isFile) {
        paths.push(path);
        texts.set(path, await Deno.readTextFile(new URL(entry.name, dir)));
      }
    }
  }
  await walk(CORPUS, "");
  paths.sort();
  return { paths, texts };
}

function isUnitPath(path: string): boolean {
  return quadletKindOf(path) !== null &&
    !path.split("/").slice(0, -1).some((dir) => dir.endsWith(".d"));
}

/** Parses a unit and merges its drop-ins, as Podman's generator loads it. */
function loadUnit(path: string, corpus: Corpus): UnitFile {
  const name = path.slice(path.lastIndexOf("/") + 1);
  const unit = parseUnit(corpus.texts.get(path)!, { file: name });
  const dropIns = selectDropIns(name, corpus.paths).map((dropIn) =>
    parseUnit(corpus.texts.get(dropIn)!, { file: dropIn })
  );
  return dropIns.length === 0 ? unit : mergeDropIns(unit, dropIns);
}

function unitDirOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash === -1 ? UNIT_DIR : `${UNIT_DIR}/${path.slice(0, slash)}`;
}

/**
 * go-shellwords' `Parse` with its defaults, which Podman's test uses to read
 * `## assert-…` lines: quotes group, `\` escapes the next character outside
 * single quotes, and `;`, `&`, `|`, `<`, `>` outside quotes end the line.
 */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = "";
  let started = false;
  let single = false;
  let double = false;
  let escaped = false;
  for (const c of line) {
    if (escaped) {
      word += c;
      escaped = false;
      started = true;
      continue;
    }
    if (c === "\\" && !single) {
      escaped = true;
      continue;
    }
    if (c === "'" && !double) {
      single = !single;
      started = true;
      continue;
    }
    if (c === '"' && !single) {
      double = !double;
      started = true;
      continue;
    }
    if (!single && !double) {
      if (c === " " || c === "\t" || c === "\n" || c === "\r") {
        if (started) words.push(word);
        word = "";
        started = false;
        continue;
      }
      if (";&|<>".includes(c)) break;
    }
    word += c;
    started = true;
  }
  if (started) words.push(word);
  return words;
}

interface Assertion {
  /** The comment as written, for messages and the allow-list. */
  text: string;
  negated: boolean;
  mode: "exact" | "regex" | "key-val" | "key-val-regex";
  args: string[];
}

const ASSERTION_REGEXP =
  /^assert-podman-(?:pre-)?args(-regex|-key-val|-key-val-regex)?$/;

function readAssertions(
  text: string,
): { failed: boolean; assertions: Assertion[] } {
  let failed = false;
  const assertions: Assertion[] = [];
  for (const line of text.split("\n")) {
    if (!line.startsWith("##")) continue;
    const words = shellWords(line.slice(2)).map((word) =>
      word.replaceAll("\\n", "\n").replaceAll("\\t", "\t")
    );
    if (words.length === 0) continue;
    if (words[0] === "assert-failed") failed = true;
    const negated = words[0].startsWith("!");
    const match = ASSERTION_REGEXP.exec(negated ? words[0].slice(1) : words[0]);
    if (match === null || !FLAGS.has(words[1])) continue;
    const mode = match[1] === undefined
      ? "exact"
      : match[1].slice(1) as Assertion["mode"];
    assertions.push({ text: line, negated, mode, args: words.slice(1) });
  }
  return { failed, assertions };
}

/** The values the typed view says Podman passes with a flag. */
function valuesOf(view: QuadletUnit, flag: string): string[] {
  switch (flag) {
    case "--publish":
      return view.ports.map((port) => port.spec);
    case "--secret":
      return view.secrets.map((secret) => secret.spec);
    case "--name":
      return view.resourceName === null ? [] : [view.resourceName];
    case "-v":
    case "--volume":
      return view.volumes.filter((volume) => volume.flag === "-v").map((
        volume,
      ) => volume.spec);
    case "--mount":
      return view.volumes.filter((volume) => volume.flag === "--mount").map((
        volume,
      ) => volume.spec);
    case "--network":
      return view.networks.map((network) => network.spec);
    default:
      return [];
  }
}

/**
 * Podman passes `--name systemd-%N` and resolves nothing else; the typed
 * view resolves `%N` as Podman's `GetContainerResourceName` does.
 */
function expectedValue(view: QuadletUnit, flag: string, value: string): string {
  if (flag !== "--name" || !value.includes("%N")) return value;
  const resolved = value.replaceAll(
    "%N",
    view.serviceName.slice(0, -".service".length),
  );
  return resolved.includes("%") ? value : resolved;
}

/** Podman's keyValueStringToMap: one CSV record, each field cut at its first "=". */
function keyValues(
  text: string,
  separator: string,
): Map<string, string> | undefined {
  let records: string[][];
  try {
    records = readCsv(
      separator === "," ? text : text.replaceAll(separator, ","),
    );
  } catch {
    return undefined;
  }
  const map = new Map<string, string>();
  for (const field of records[0] ?? []) {
    const eq = field.indexOf("=");
    map.set(
      eq === -1 ? field : field.slice(0, eq),
      eq === -1 ? "" : field.slice(eq + 1),
    );
  }
  return map;
}

function keyValuesMatch(
  expected: Map<string, string>,
  actual: Map<string, string>,
  regex: boolean,
): boolean {
  if (expected.size !== actual.size) return false;
  for (const [key, value] of expected) {
    const got = actual.get(key);
    if (got === undefined) return false;
    if (regex ? !new RegExp(value).test(got) : got !== value) return false;
  }
  return true;
}

/** Whether the view holds what the assertion (without its `!`) asks for. */
function holds(view: QuadletUnit, assertion: Assertion): boolean {
  const [flag, ...rest] = assertion.args;
  const values = valuesOf(view, flag);
  if (rest.length === 0) return values.length > 0;
  switch (assertion.mode) {
    case "exact": {
      // Several flag/value pairs in one line: each pair must be present.
      for (let i = 0; i < assertion.args.length; i += 2) {
        const pairFlag = assertion.args[i];
        const expected = expectedValue(
          view,
          pairFlag,
          assertion.args[i + 1] ?? "",
        );
        if (!valuesOf(view, pairFlag).includes(expected)) return false;
      }
      return true;
    }
    case "regex": {
      const regexp = new RegExp(rest[0]);
      return values.some((value) => regexp.test(value));
    }
    case "key-val":
    case "key-val-regex": {
      const expected = keyValues(rest[1], rest[0]);
      if (expected === undefined) return false;
      return values.some((value) => {
        const actual = keyValues(value, rest[0]);
        return actual !== undefined &&
          keyValuesMatch(expected, actual, assertion.mode === "key-val-regex");
      });
    }
  }
}

Deno.test(
  needsCorpus(
    "toQuadletUnit() agrees with Podman's generator on every unit of its test corpus",
  ),
  async () => {
    const corpus = await readCorpus();
    const unitPaths = corpus.paths.filter(isUnitPath);
    const loaded = new Map<string, UnitFile>();
    const loadErrors = new Map<string, unknown>();
    for (const path of unitPaths) {
      try {
        loaded.set(path, loadUnit(path, corpus));
      } catch (err) {
        loadErrors.set(path, err);
      }
    }
    const siblings = new Map<string, UnitFile>();
    for (const [path, unit] of loaded) {
      siblings.set(path.slice(path.lastIndexOf("/") + 1), unit);
    }

    let checked = 0;
    let matched = 0;
    let converted = 0;
    let rejected = 0;
    const byFlag = new Map<string, [number, number]>();
    const problems: string[] = [];
    const allowedSeen = new Set<string>();
    for (const path of unitPaths) {
      const { failed, assertions } = readAssertions(corpus.texts.get(path)!);
      let view: QuadletUnit;
      try {
        const error = loadErrors.get(path);
        if (error !== undefined) throw error;
        view = toQuadletUnit(loaded.get(path)!, {
          siblings,
          unitDir: unitDirOf(path),
        });
        converted++;
      } catch (err) {
        if (!(err instanceof LegerError)) {
          problems.push(
            `${path}: crashed: ${
              err instanceof Error ? err.stack : String(err)
            }`,
          );
        } else if (!failed) {
          problems.push(
            `${path}: rejected but Podman accepts it: ${err.code} ${err.message}`,
          );
        } else rejected++;
        continue;
      }
      for (const assertion of assertions) {
        checked++;
        const flag = assertion.args[0];
        const counts = byFlag.get(flag) ?? [0, 0];
        counts[0]++;
        const ok = holds(view, assertion) !== assertion.negated;
        if (ok) {
          matched++;
          counts[1]++;
        } else {
          const key = `${path}: ${assertion.text}`;
          if (key in ALLOWED_MISMATCHES) allowedSeen.add(key);
          else {problems.push(
              `${key}\n    typed view: ${JSON.stringify(valuesOf(view, flag))}`,
            );}
        }
        byFlag.set(flag, counts);
      }
    }
    const flags = [...byFlag].map(([flag, [c, m]]) => `${flag} ${m}/${c}`).join(
      ", ",
    );
    // deno-lint-ignore no-console
    console.log(
      `podman-quadlet-e2e: ${unitPaths.length} units, ${converted} converted, ${rejected} rejected (assert-failed); ` +
        `${checked} assertions checked, ${matched} matched (${flags})`,
    );
    const stale = Object.keys(ALLOWED_MISMATCHES).filter((key) =>
      !allowedSeen.has(key)
    );
    if (stale.length > 0) {
      problems.push(
        ...stale.map((key) => `${key}: allowed but no longer mismatches`),
      );
    }
    if (problems.length > 0) {
      fail(`${problems.length} problems:\n${problems.join("\n")}`);
    }
    assertEquals(checked > 100, true, `only ${checked} assertions checked`);
  },
);

Deno.test("shellWords() splits assertion comments as go-shellwords does", () => {
  const cases: ReadonlyArray<[string, string[]]> = [
    [' assert-podman-args "--name" "RemoveQuotes\\"Name"', [
      "assert-podman-args",
      "--name",
      'RemoveQuotes"Name',
    ]],
    [" assert-podman-args --publish [::1]:80:90", [
      "assert-podman-args",
      "--publish",
      "[::1]:80:90",
    ]],
    [
      ' assert-podman-args-key-val "--mount" "," "type=bind,source=/tmp,\\"dst=/path,1\\""',
      [
        "assert-podman-args-key-val",
        "--mount",
        ",",
        'type=bind,source=/tmp,"dst=/path,1"',
      ],
    ],
    [" a 'b \\ c' d\\ e", ["a", "b \\ c", "d e"]],
    [" a ; b", ["a"]],
    [' a "x;y"', ["a", "x;y"]],
  ];
  for (const [line, expected] of cases) {
    assertEquals(shellWords(line), expected, line);
  }
});
