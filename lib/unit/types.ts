/**
 * The lossless model of a systemd unit file, as systemd and Podman's quadlet
 * generator read it.
 *
 * Every physical line of the source is kept (in {@linkcode UnitFile.nodes}) so
 * that serialising an unchanged file gives back the same bytes; the logical view
 * (sections with their entries) is what the rest of leger reads.
 *
 * @module
 */

/** One `Key=value` assignment, after continuation lines are joined. */
export interface UnitEntry {
  /** The key, whitespace-trimmed, case preserved (systemd keys are case-sensitive). */
  key: string;
  /**
   * The value as Podman's quadlet parser sees it (`LookupLast`): leading
   * whitespace removed; for a continued entry every physical line is trimmed,
   * its final `\` removed and the pieces concatenated as they are (Podman
   * inserts no space: `a \` + `  b` gives `a b`, `a\` + `b` gives `ab`);
   * comment and blank lines inside a continuation are dropped. Quotes and
   * escapes are *not* removed here: which keys interpret them is the quadlet
   * layer's business (see `splitWords` / `unquote`).
   */
  value: string;
  /** 1-based line of the key in its file. */
  line: number;
  /** The file the entry came from (the unit itself or one of its drop-ins). */
  file: string;
}

/** A `[Section]` and its entries in source order (repeated keys kept). */
export interface UnitSection {
  /** The name between the brackets, case preserved (`Container`, `Unit`, `X-Leger`). */
  name: string;
  /** The section's `Key=value` entries in source order, repeated keys kept. */
  entries: UnitEntry[];
  /** 1-based line of the `[Section]` header (of its first occurrence). */
  line: number;
  /**
   * The file whose header {@linkcode UnitSection.line} refers to: the unit
   * itself, or the drop-in that added the section (see `mergeDropIns`).
   */
  file?: string;
}

/**
 * A physical-line node, kept for byte-exact serialisation. `raw` never holds
 * the `\n` that ends its last line (a `\r` before it stays in `raw`).
 *
 * A `comment` node is any text Podman ignores: `#` and `;` lines, and also a
 * continued line (`Key=a \`) whose continuation runs to the end of the file
 * with only comment or blank lines after it, which Podman's parser silently
 * drops. A `blank` node is an empty or whitespace-only line (or a line holding
 * nothing but a `\`, which Podman also ignores).
 */
export type UnitNode =
  | {
    /** An empty or whitespace-only line. */
    type: "blank";
    /** The line as written. */
    raw: string;
  }
  | {
    /** A line Podman ignores (see above). */
    type: "comment";
    /** The text as written, every line of a dropped continuation included. */
    raw: string;
  }
  | {
    /** A `[Section]` header. */
    type: "section";
    /** The line as written. */
    raw: string;
    /** The section's name, between the brackets. */
    name: string;
  }
  | {
    /** A `Key=value` assignment. */
    type: "entry";
    /** The raw source text of the entry, all of its continuation lines included. */
    raw: string;
    /** The name of the section it belongs to. */
    section: string;
    /** The logical entry, as it appears in {@linkcode UnitSection.entries}. */
    entry: UnitEntry;
  };

/** A parsed unit file. */
export interface UnitFile {
  /** The file name used in messages, such as `web.container`. */
  file: string;
  /** Sections in order of first appearance; a repeated header merges into the first. */
  sections: UnitSection[];
  /** Every physical line of the source, for serialisation. */
  nodes: UnitNode[];
  /** Whether the source ended with a newline. */
  finalNewline: boolean;
}
