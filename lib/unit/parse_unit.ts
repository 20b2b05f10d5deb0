import { LegerError } from "../errors/mod.ts";
import { isSpace } from "./_is_space.ts";
import type { UnitFile, UnitNode, UnitSection } from "./types.ts";

/** Options for {@linkcode parseUnit}. */
export interface ParseUnitOptions {
  /**
   * The file name used in entries and messages, such as `web.container` or
   * `web.container.d/10-limits.conf`.
   */
  file: string;
}

const HASH = 0x23;
const SEMICOLON = 0x3b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const BACKSLASH = 0x5c;
const EQUALS = 0x3d;
const NEWLINE = 0x0a;
const BOM = 0xfeff;
const MAX_QUOTED_LINE = 80;

interface ParserState {
  file: string;
  sections: UnitSection[];
  /** The sections by name, so that a header costs the same however many came before. */
  byName: Map<string, UnitSection>;
  nodes: UnitNode[];
  current: UnitSection | undefined;
}

/**
 * Parses the text of a systemd unit file the way Podman's quadlet generator
 * does (`pkg/systemd/parser/unitfile.go`, `UnitFile.Parse`), keeping every
 * physical line so that {@linkcode serializeUnit} gives the same bytes back.
 *
 * Like Podman:
 *
 * - the text loses one final `\n`, is split on `\n`, and each line is trimmed
 *   of white space (so a `\r` of CRLF line ends goes too);
 * - an empty line or one starting with `#` or `;` is a comment;
 * - `[Name]`, optionally followed by spaces or tabs, starts a section; a
 *   repeated header continues the section of the first one;
 * - `Key=value` adds an entry (white space around `=` removed, `Key=` gives an
 *   empty value, repeated keys are all kept in order);
 * - a line ending in `\` continues on the next line: the `\` is removed and
 *   the trimmed lines are concatenated without adding anything, comment and
 *   blank lines inside the continuation are skipped, and a `\` on the last
 *   line is simply removed. A comment line never continues. A continuation
 *   that only comment or blank lines follow up to the end of the file is
 *   dropped, as Podman drops it: it becomes a `comment` node.
 *
 * @param text The text of the unit file.
 * @param options The name of the file, for entries and messages.
 * @returns The unit: its sections and entries, and its lines for
 * serialisation.
 * @throws {LegerError} `ERR_UNIT_SYNTAX` (with `file` and `line`) for a line
 * that is neither a comment, a section header nor a `Key=value` assignment,
 * for an assignment before the first section header, and for a section
 * header with an empty name or one holding `[` or a control character. The
 * line is the first physical line of a continued line. A text that starts
 * with a byte order mark fails too (Podman's parser rejects it at line 1).
 *
 * @example Usage
 * ```ts
 * import { parseUnit } from "./parse_unit.ts";
 * import { deepStrictEqual, strictEqual } from "node:assert/strict";
 *
 * const unit = parseUnit(
 *   "[Container]\nImage=nginx\nExec=/bin/app \\\n  --port 80\n",
 *   { file: "web.container" },
 * );
 * strictEqual(unit.sections[0].name, "Container");
 * deepStrictEqual(
 *   unit.sections[0].entries.map((e) => [e.key, e.value, e.line]),
 *   [["Image", "nginx", 2], ["Exec", "/bin/app --port 80", 3]],
 * );
 * ```
 *
 * @example A line that is not an assignment
 * ```ts
 * import { parseUnit } from "./parse_unit.ts";
 * import { throws } from "node:assert/strict";
 *
 * throws(() => parseUnit("[Container]\nImage nginx\n", { file: "web.container" }), {
 *   code: "ERR_UNIT_SYNTAX",
 *   file: "web.container",
 *   line: 2,
 * });
 * ```
 */
export function parseUnit(text: string, options: ParseUnitOptions): UnitFile {
  const { file } = options;
  const state: ParserState = {
    file,
    sections: [],
    byName: new Map(),
    nodes: [],
    current: undefined,
  };
  const length = text.length;
  const finalNewline = length > 0 && text.charCodeAt(length - 1) === NEWLINE;
  if (length === 0) {
    return { file, sections: state.sections, nodes: state.nodes, finalNewline };
  }
  // Go's TrimSpace keeps U+FEFF, so Podman fails on the first line of any
  // file that starts with a byte order mark; say so rather than show it.
  if (text.charCodeAt(0) === BOM) throw byteOrderMarkError(file);
  // Podman removes one trailing "\n" and splits the rest on "\n".
  const bodyEnd = finalNewline ? length - 1 : length;
  const nodes = state.nodes;
  // `remaining` is Podman's accumulated continuation; `pendingStart` and
  // `pendingLine` locate its first physical line for the node and entry.
  let remaining = "";
  let pendingStart = 0;
  let pendingLine = 0;
  let lineNumber = 0;
  let pos = 0;
  for (;;) {
    let eol = text.indexOf("\n", pos);
    if (eol === -1 || eol > bodyEnd) eol = bodyEnd;
    lineNumber++;
    let start = pos;
    let end = eol;
    while (start < end && isSpace(text.charCodeAt(start))) start++;
    while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
    const first = start < end ? text.charCodeAt(start) : -1;
    if (first === -1 || first === HASH || first === SEMICOLON) {
      // A comment or blank line inside a continuation is skipped by Podman
      // and stays part of the continued entry's raw text.
      if (remaining === "") {
        nodes.push({
          type: first === -1 ? "blank" : "comment",
          raw: text.slice(pos, eol),
        });
      }
    } else if (text.charCodeAt(end - 1) === BACKSLASH && eol !== bodyEnd) {
      if (remaining !== "") {
        remaining += text.slice(start, end - 1);
      } else if (end - 1 > start) {
        remaining = text.slice(start, end - 1);
        pendingStart = pos;
        pendingLine = lineNumber;
      } else {
        // A lone "\" adds nothing, so Podman starts no continuation.
        nodes.push({ type: "blank", raw: text.slice(pos, eol) });
      }
    } else {
      // On the last line a trailing "\" is dropped and the line still parsed.
      if (text.charCodeAt(end - 1) === BACKSLASH) end--;
      if (remaining !== "") {
        const logical = remaining + text.slice(start, end);
        remaining = "";
        addLine(
          state,
          logical,
          0,
          logical.length,
          text.slice(pendingStart, eol),
          pendingLine,
        );
      } else {
        addLine(state, text, start, end, text.slice(pos, eol), lineNumber);
      }
    }
    if (eol === bodyEnd) break;
    pos = eol + 1;
  }
  if (remaining !== "") {
    nodes.push({ type: "comment", raw: text.slice(pendingStart, bodyEnd) });
  }
  return { file, sections: state.sections, nodes, finalNewline };
}

/** Adds the logical line `str[start, end)`, already trimmed, to the unit. */
function addLine(
  state: ParserState,
  str: string,
  start: number,
  end: number,
  raw: string,
  line: number,
): void {
  if (start === end) {
    state.nodes.push({ type: "blank", raw });
    return;
  }
  const first = str.charCodeAt(start);
  if (first === HASH || first === SEMICOLON) {
    state.nodes.push({ type: "comment", raw });
    return;
  }
  if (first === OPEN_BRACKET) {
    const close = indexWithin(str, CLOSE_BRACKET, start, end);
    if (close !== -1 && onlyBlanks(str, close + 1, end)) {
      const name = str.slice(start + 1, close);
      if (!isValidSectionName(name)) {
        throw invalidSectionError(state.file, line, name);
      }
      state.current = ensureSection(state, name, line);
      state.nodes.push({ type: "section", raw, name });
      return;
    }
  }
  const eq = indexWithin(str, EQUALS, start, end);
  if (eq === -1 || eq === start) {
    throw notAnAssignmentError(state.file, line, str.slice(start, end));
  }
  let keyEnd = eq;
  while (keyEnd > start && isAsciiSpace(str.charCodeAt(keyEnd - 1))) keyEnd--;
  const key = str.slice(start, keyEnd);
  const section = state.current;
  if (section === undefined) throw noSectionError(state.file, line, key);
  let valueStart = eq + 1;
  while (valueStart < end && isAsciiSpace(str.charCodeAt(valueStart))) {
    valueStart++;
  }
  const entry = {
    key,
    value: str.slice(valueStart, end),
    line,
    file: state.file,
  };
  section.entries.push(entry);
  state.nodes.push({ type: "entry", raw, section: section.name, entry });
}

function ensureSection(
  state: ParserState,
  name: string,
  line: number,
): UnitSection {
  const current = state.current;
  if (current !== undefined && current.name === name) return current;
  const known = state.byName.get(name);
  if (known !== undefined) return known;
  const section: UnitSection = { name, entries: [], line, file: state.file };
  state.sections.push(section);
  state.byName.set(name, section);
  return section;
}

/**
 * The first `code` in `str[start, end)`, or -1. `indexOf` would search past
 * `end` to the end of the whole text, on every line that lacks the character
 * (a line `[a=b` has no `]`): quadratic time over a file of such lines.
 */
function indexWithin(
  str: string,
  code: number,
  start: number,
  end: number,
): number {
  for (let i = start; i < end; i++) {
    if (str.charCodeAt(i) === code) return i;
  }
  return -1;
}

/** Podman accepts only spaces and tabs after the `]` of a header. */
function onlyBlanks(str: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = str.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09) return false;
  }
  return true;
}

/** Podman's `groupNameIsValid`: not empty, no `[`, `]` or control character. */
function isValidSectionName(name: string): boolean {
  if (name.length === 0) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (
      c === OPEN_BRACKET || c === CLOSE_BRACKET || c < 0x20 ||
      (c >= 0x7f && c <= 0x9f)
    ) {
      return false;
    }
  }
  return true;
}

/**
 * Podman trims the key's end and the value's start byte by byte; on UTF-8 that
 * only means the ASCII white space characters.
 */
function isAsciiSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

function quoteLine(text: string): string {
  const shown = text.length > MAX_QUOTED_LINE
    ? `${text.slice(0, MAX_QUOTED_LINE)}…`
    : text;
  return JSON.stringify(shown);
}

function notAnAssignmentError(
  file: string,
  line: number,
  text: string,
): LegerError {
  return new LegerError(
    "ERR_UNIT_SYNTAX",
    `Cannot parse "${file}": line ${line} is not a Key=value assignment, a [Section] header or a comment: current value is ${
      quoteLine(text)
    }`,
    {
      file,
      line,
      remedy:
        `Fix line ${line} of ${file}: write Key=value, a [Section] header, or start it with # to make it a comment`,
    },
  );
}

function byteOrderMarkError(file: string): LegerError {
  return new LegerError(
    "ERR_UNIT_SYNTAX",
    `Cannot parse "${file}": it starts with a byte order mark (BOM), which Podman's quadlet parser rejects`,
    {
      file,
      line: 1,
      remedy: `Save ${file} as UTF-8 without a byte order mark`,
    },
  );
}

function noSectionError(file: string, line: number, key: string): LegerError {
  return new LegerError(
    "ERR_UNIT_SYNTAX",
    `Cannot parse "${file}": line ${line} sets "${key}" before any [Section] header`,
    {
      file,
      line,
      remedy:
        `Add the section header the key belongs to, such as [Container], above line ${line} of ${file}`,
    },
  );
}

function invalidSectionError(
  file: string,
  line: number,
  name: string,
): LegerError {
  return new LegerError(
    "ERR_UNIT_SYNTAX",
    `Cannot parse "${file}": line ${line} has an invalid section name: current value is ${
      JSON.stringify(name)
    }`,
    {
      file,
      line,
      remedy:
        `Fix line ${line} of ${file}: a section name is not empty and holds no "[", "]" or control character`,
    },
  );
}
