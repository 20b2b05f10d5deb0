/**
 * The worst shapes of deployment leger accepts, generated at its size
 * limits (or a fraction of them): many sections, many keys in one section,
 * long lines, long continuations, long manifest lists, many drop-ins, many
 * units, many references to one large sibling. The benchmark
 * (`lib/validate/worst_case_bench.ts`), the test that guards against
 * quadratic time (`lib/validate/worst_case_test.ts`) and the tool that
 * writes them to folders for whole-process timings
 * (`tools/write_worst_cases.ts`) share them.
 *
 * Every text is ASCII, so its length in characters is its size in bytes.
 *
 * @module
 */
import { createHash } from "node:crypto";

/** The limits of a local source (see `readLocalSource`): 1 MiB a file. */
export const MAX_FILE_BYTES = 1024 * 1024;
/** The limits of a local source: 10,000 files. */
export const MAX_FILES = 10_000;
/** The limits of a local source: 64 MiB in all. */
export const MAX_TOTAL_BYTES = 64 * 1024 * 1024;

/** One file of a generated deployment. */
export interface WorstCaseFile {
  /** The `/`-separated path inside the deployment. */
  path: string;
  /** Its text (ASCII). */
  text: string;
}

/** A generated deployment of one worst shape. */
export interface WorstCase {
  /** A short name, such as `sections`. */
  name: string;
  /** What is large in it. */
  description: string;
  /**
   * Whether leger accepts it (no error, warnings allowed). A shape that is
   * refused must be refused as fast.
   */
  accepted: boolean;
  /** Its files. */
  files: WorstCaseFile[];
}

/** Options for {@linkcode worstCases}. */
export interface WorstCasesOptions {
  /**
   * The fraction of the limits to fill: 1 gives files of 1 MiB and
   * deployments of 10,000 files; 1/64 gives files of 16 KiB and 156 files.
   *
   * @default {1}
   */
  scale?: number;
  /**
   * Only the shapes of these names.
   *
   * @default {undefined}
   */
  only?: readonly string[];
}

const IMAGE = "quay.io/leger/app:1.0";

/** The lines of a unit up to `bytes` (the last line may be left out to fit). */
function fill(
  head: string,
  bytes: number,
  line: (n: number) => string,
  tail = "",
): string {
  const parts = [head];
  let size = head.length + tail.length;
  for (let n = 0;; n++) {
    const next = line(n);
    if (size + next.length > bytes) break;
    parts.push(next);
    size += next.length;
  }
  parts.push(tail);
  return parts.join("");
}

/** An address of 127/8 for item `n`: distinct for n below 2^24. */
function loopback(n: number): string {
  return `127.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

/** A `files` entry of a file-list manifest.json for `text`. */
function fileEntry(name: string, type: string, text: string): string {
  const checksum = `sha256:${createHash("sha256").update(text).digest("hex")}`;
  return JSON.stringify({ name, type, checksum, size: text.length });
}

function pad(n: number): string {
  return String(n).padStart(5, "0");
}

/** A minimal valid container. */
const CONTAINER = `[Container]\nImage=${IMAGE}\n`;

type Generator = (limits: {
  bytes: number;
  files: number;
}) => Omit<WorstCase, "name">;

const GENERATORS: Record<string, Generator> = {
  "sections": ({ bytes }) => ({
    description: "one unit of 1 MiB made of [X-…] section headers",
    accepted: true,
    files: [{
      path: "web.container",
      text: fill(CONTAINER, bytes, (n) => `[X-S${n}]\n`),
    }],
  }),
  "sections-with-keys": ({ bytes }) => ({
    description: "one unit of 1 MiB: sections of one key each, every name new",
    accepted: true,
    files: [{
      path: "web.container",
      text: fill(CONTAINER, bytes, (n) => `[X-S${n}]\nNote=${n}\n`),
    }],
  }),
  "keys": ({ bytes }) => ({
    description:
      "one [Container] of 1 MiB: Environment=, Label=, Annotation=, AddHost=, Volume=, PublishPort= in turn",
    accepted: true,
    files: [{
      path: "web.container",
      text: fill(CONTAINER, bytes, (n) => {
        switch (n % 6) {
          case 0:
            return `Environment=E${n}=v\n`;
          case 1:
            return `Label=l${n}=v\n`;
          case 2:
            return `Annotation=a${n}=v\n`;
          case 3:
            return `AddHost=h${n}.local:10.0.0.1\n`;
          case 4:
            return `Volume=/srv/d${n}:/d${n}:ro\n`;
          default:
            return `PublishPort=${loopback(n)}:8080:80\n`;
        }
      }),
    }],
  }),
  "ports": ({ bytes }) => ({
    description:
      "one [Container] of 1 MiB of PublishPort=, one port on distinct addresses",
    accepted: true,
    files: [{
      path: "web.container",
      text: fill(
        CONTAINER,
        bytes,
        (n) => `PublishPort=${loopback(n + 1)}:80:80\n`,
      ),
    }],
  }),
  "long-line": ({ bytes }) => ({
    description: "one Environment= line of 1 MiB",
    accepted: true,
    files: [{
      path: "web.container",
      text: fill(`${CONTAINER}Environment=`, bytes, (n) => `V${n}=x `, "\n"),
    }],
  }),
  "continuation": ({ bytes }) => ({
    description: "one Environment= continued over 1 MiB of lines",
    accepted: true,
    files: [{
      path: "web.container",
      text: fill(
        `${CONTAINER}Environment=V=x \\\n`,
        bytes,
        (n) => `  V${n}=x \\\n`,
        "  END=1\n",
      ),
    }],
  }),
  "references": ({ bytes }) => ({
    description:
      "Volume= and Network= 1 MiB of times to a volume and a network of 1 MiB each",
    accepted: true,
    files: [
      {
        path: "web.container",
        text: fill(
          CONTAINER,
          bytes,
          (n) =>
            n % 2 === 0
              ? `Volume=data.volume:/d${n}\n`
              : `Network=net.network:alias=a${n}\n`,
        ),
      },
      {
        path: "data.volume",
        text: fill("[Volume]\n", bytes, (n) => `Label=l${n}=v\n`),
      },
      {
        path: "net.network",
        text: fill("[Network]\n", bytes, (n) => `Label=l${n}=v\n`),
      },
    ],
  }),
  "mounts": ({ bytes }) => ({
    description:
      "Volume= 1 MiB of times from folders of the deployment, which Podman resolves in the quadlet folder",
    accepted: true,
    files: [
      {
        path: "web.container",
        text: fill(
          CONTAINER,
          bytes,
          (n) => `Volume=./data/s${n % 100}:/d${n}:ro\n`,
        ),
      },
      ...Array.from({ length: 100 }, (_, n) => ({
        path: `data/s${n}/index.html`,
        text: `<p>${n}</p>\n`,
      })),
    ],
  }),
  "manifest-secrets": ({ bytes }) => {
    const head = `{\n  "version": 1,\n  "files": [\n    ${
      fileEntry("web.container", "container", CONTAINER)
    }\n  ],\n  "required_secrets": [\n    "secret-0"`;
    return {
      description: "manifest.json of 1 MiB, a required_secrets list",
      accepted: true,
      files: [
        {
          path: "manifest.json",
          text: fill(
            head,
            bytes,
            (n) => `,\n    "secret-${n + 1}"`,
            "\n  ]\n}\n",
          ),
        },
        { path: "web.container", text: CONTAINER },
      ],
    };
  },
  "manifest-files": ({ bytes, files }) => {
    const volume = "[Volume]\n";
    const units: WorstCaseFile[] = [];
    const head = `{\n  "version": 1,\n  "files": [\n    ${
      fileEntry("web.container", "container", CONTAINER)
    }`;
    const tail = "\n  ]\n}\n";
    const parts = [head];
    let size = head.length + tail.length;
    for (let n = 0; units.length < files - 2; n++) {
      const path = `v${pad(n)}.volume`;
      const entry = `,\n    ${fileEntry(path, "volume", volume)}`;
      if (size + entry.length > bytes) break;
      parts.push(entry);
      size += entry.length;
      units.push({ path, text: volume });
    }
    parts.push(tail);
    return {
      description:
        "manifest.json of 1 MiB listing as many volumes, each a file",
      accepted: true,
      files: [
        { path: "manifest.json", text: parts.join("") },
        { path: "web.container", text: CONTAINER },
        ...units,
      ],
    };
  },
  "manifest-error": ({ bytes }) => {
    const head = `{\n  "version": 1,\n  "files": [\n    ${
      fileEntry("web.container", "container", CONTAINER)
    }\n  ],\n  "required_secrets": [\n    "secret-0"`;
    return {
      description:
        "refused: manifest.json of 1 MiB whose last required secret is a number",
      accepted: false,
      files: [
        {
          path: "manifest.json",
          text: fill(
            head,
            bytes,
            (n) => `,\n    "secret-${n + 1}"`,
            ",\n    5\n  ]\n}\n",
          ),
        },
        { path: "web.container", text: CONTAINER },
      ],
    };
  },
  "leger-yaml": ({ bytes }) => ({
    description: ".leger.yaml of 1 MiB: ports and volumes lists",
    accepted: true,
    files: [
      {
        path: ".leger.yaml",
        text: fill(
          "name: worst\nversion: 1.10\nports:\n",
          bytes / 2,
          (n) => `  - ${loopback(n)}:8080:80\n`,
        ) + fill("volumes:\n", bytes / 2, (n) => `  - v${n}:/data/${n}\n`),
      },
      { path: "web.container", text: CONTAINER },
    ],
  }),
  "drop-ins": ({ files }) => ({
    description: "one unit and 9,999 drop-ins in its web.container.d/",
    accepted: true,
    files: [
      { path: "web.container", text: CONTAINER },
      ...Array.from({ length: files - 1 }, (_, n) => ({
        path: `web.container.d/${pad(n)}.conf`,
        text: `[Container]\nEnvironment=D${n}=1\nLabel=d${n}=1\n`,
      })),
    ],
  }),
  "drop-ins-large": ({ bytes }) => ({
    description: "one unit and 63 drop-ins of 1 MiB each (64 MiB in all)",
    accepted: true,
    files: [
      { path: "web.container", text: CONTAINER },
      ...Array.from({ length: 63 }, (_, d) => ({
        path: `web.container.d/${pad(d)}.conf`,
        text: fill(
          "[Container]\n",
          bytes,
          (n) => n % 2 ? `Environment=D${d}_${n}=1\n` : `Label=d${d}_${n}=1\n`,
        ),
      })),
    ],
  }),
  "units": ({ files }) => {
    const out: WorstCaseFile[] = [
      { path: "net.network", text: "[Network]\n" },
    ];
    for (let n = 0; out.length + 4 <= files; n++) {
      const id = pad(n);
      out.push(
        {
          path: `c${id}.container`,
          text: [
            "[Unit]",
            `Requires=v${id}-volume.service`,
            `After=v${id}-volume.service`,
            "[Container]",
            `Image=${IMAGE}`,
            `Volume=v${id}.volume:/data`,
            "Network=net.network",
            `PublishPort=127.0.0.1:${10000 + n}:80`,
            "",
          ].join("\n"),
        },
        {
          path: `c${id}.container.d/10-env.conf`,
          text: `[Container]\nEnvironment=N=${n}\n`,
        },
        { path: `v${id}.volume`, text: "[Volume]\n" },
        {
          path: `t${id}@.container`,
          text: `${CONTAINER}Environment=T=%i\n`,
        },
      );
    }
    return {
      description:
        "10,000 files: containers, their volumes and drop-ins, and templates",
      accepted: true,
      files: out,
    };
  },
  "unknown-keys": ({ bytes }) => ({
    description:
      "refused: one [Container] of 1 MiB of keys Podman does not know",
    accepted: false,
    files: [{
      path: "web.container",
      text: fill(CONTAINER, bytes, (n) => `Imag${n}=x\n`),
    }],
  }),
  "missing-references": ({ bytes, files }) => ({
    description:
      "refused: 1 MiB of Volume= naming missing volumes, beside 5,000 other units",
    accepted: false,
    files: [
      {
        path: "web.container",
        text: fill(CONTAINER, bytes, (n) => `Volume=w${pad(n)}.volume:/d\n`),
      },
      ...Array.from({ length: Math.floor(files / 2) }, (_, n) => ({
        path: `v${pad(n)}.volume`,
        text: "[Volume]\n",
      })),
    ],
  }),
  "duplicate-ports": ({ bytes }) => ({
    description: "refused: one [Container] of 1 MiB publishing one port again",
    accepted: false,
    files: [{
      path: "web.container",
      text: fill(CONTAINER, bytes, () => `PublishPort=8080:80\n`),
    }],
  }),
};

/**
 * The worst shapes, each at the limits times `scale`.
 *
 * @param options The scale, and which shapes.
 * @returns The generated deployments.
 * @throws {RangeError} When a shape named in `only` does not exist.
 *
 * @example Usage
 * ```ts
 * import { worstCases } from "./worst_cases.ts";
 * import { ok } from "node:assert/strict";
 *
 * const [sections] = worstCases({ scale: 1 / 64, only: ["sections"] });
 * ok(sections.files[0].text.length <= 16 * 1024);
 * ```
 */
export function worstCases(options: WorstCasesOptions = {}): WorstCase[] {
  const { scale = 1, only } = options;
  for (const name of only ?? []) {
    if (!(name in GENERATORS)) {
      throw new RangeError(
        `Cannot generate worst case "${name}": known shapes are ${
          Object.keys(GENERATORS).join(", ")
        }`,
      );
    }
  }
  const limits = {
    bytes: Math.floor(MAX_FILE_BYTES * scale),
    files: Math.max(4, Math.floor(MAX_FILES * scale)),
  };
  return Object.entries(GENERATORS)
    .filter(([name]) => only === undefined || only.includes(name))
    .map(([name, generate]) => ({ name, ...generate(limits) }));
}
