import { serviceNameOf } from "../quadlet/service_name.ts";
import { QUADLET_KINDS } from "../quadlet/types.ts";
import type { Finding } from "../errors/finding.ts";

/** Longest unit name systemd accepts, in bytes (`UNIT_NAME_MAX` 256 less the NUL). */
const UNIT_NAME_MAX_BYTES = 255;

/** A character systemd accepts in a unit name (`VALID_CHARS` and `@`). */
const UNIT_NAME_CHAR_REGEXP = /^[A-Za-z0-9:\-_.\\@]$/;

/** Names longer than this are shortened in messages (the finding's `file` has them whole). */
const SHOWN_MAX_CHARS = 60;

const EXTENSIONS: ReadonlySet<string> = new Set(
  QUADLET_KINDS.map((kind) => `.${kind}`),
);

const encoder = new TextEncoder();

/**
 * Finds the quadlet units of a deployment whose file names systemd would
 * refuse as unit names, so that `leger validate` stops what the install,
 * and then the rollback, would fail on (`systemctl start "my web.service"`).
 *
 * The rules are those of systemd.unit(5) and `unit_name_is_valid()` in
 * systemd's `src/basic/unit-name.c`, applied to each unit file's name (a file
 * with a quadlet extension outside any `*.d/` folder, wherever it is in the
 * deployment) and to each drop-in folder named after a unit
 * (`web.container.d`, `foo-.container.d`, `app@.container.d`; the type-wide
 * `container.d` names none):
 *
 * - a name before the extension (`.container` alone has none);
 * - only ASCII letters, digits and `:`, `-`, `_`, `.`, `\` and `@`;
 * - no leading `@` (a template needs a name before it), and, leger's own rule
 *   stricter than systemd's, at most one `@`: `name@.container` is a
 *   template, `name@instance.container` an instance;
 * - no leading `-`, leger's own rule too: the name would read as an option to
 *   `systemctl` and `podman`;
 * - at most 255 bytes, both the file's name and the name of the service
 *   Podman generates from it (`x.volume` gives `x-volume.service`, see
 *   `serviceNameOf`; a `ServiceName=` is not looked at).
 *
 * A name breaking several rules is reported once, for the first of them in
 * the order above.
 *
 * @param deploymentFiles Every file of the deployment by its `/`-separated
 * path (`web.container`, `web.container.d/10-limits.conf`).
 * @returns One `ERR_UNIT_NAME_INVALID` per unit file and per drop-in folder
 * with an invalid name, in the order of `deploymentFiles`.
 *
 * @example Usage
 * ```ts
 * import { checkUnitNames } from "./check_unit_names.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const findings = checkUnitNames(["my web.container", "db.container", "app.env"]);
 * deepStrictEqual(findings, [{
 *   code: "ERR_UNIT_NAME_INVALID",
 *   message:
 *     'Cannot use "my web.container" as a unit name: systemd allows only ASCII letters, digits and : - _ . \\ @ (found " " at position 3)',
 *   file: "my web.container",
 *   remedy: 'Rename the file, for example to "my-web.container", and the references to it',
 * }]);
 * ```
 */
export function checkUnitNames(deploymentFiles: readonly string[]): Finding[] {
  const findings: Finding[] = [];
  const folders = new Set<string>();
  for (const path of deploymentFiles) {
    const parts = path.split("/");
    let folder = "";
    for (let i = 0; i < parts.length - 1; i++) {
      // Built a part at a time: joining the parts at each depth costs depth².
      folder = i === 0 ? parts[0] : `${folder}/${parts[i]}`;
      const stem = parts[i].slice(0, -".d".length);
      if (
        !parts[i].endsWith(".d") || !isUnitName(stem) || folders.has(folder)
      ) continue;
      folders.add(folder);
      const problem = unitNameProblem(stem, { service: false });
      if (problem !== undefined) findings.push(folderFinding(folder, problem));
    }
    const name = parts[parts.length - 1];
    const inDropIn = parts.slice(0, -1).some((dir) => dir.endsWith(".d"));
    if (inDropIn || !isUnitName(name)) continue;
    const problem = unitNameProblem(name, { service: true });
    if (problem !== undefined) findings.push(fileFinding(path, name, problem));
  }
  return findings;
}

/** Why a unit name is invalid: the broken rule, and a valid name to suggest. */
interface Problem {
  /** The rule broken, completing "Cannot use "x" as a unit name: …". */
  rule: string;
  /** A valid name close to the invalid one, when one can be made. */
  suggestion?: string;
}

/** A quadlet unit's name by its extension, `.container` alone included. */
function isUnitName(name: string): boolean {
  return EXTENSIONS.has(extensionOf(name));
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot === -1 ? "" : name.slice(dot);
}

function unitNameProblem(
  name: string,
  options: { service: boolean },
): Problem | undefined {
  const rule = brokenRule(name, options);
  if (rule === undefined) return undefined;
  const suggestion = suggestName(name, options);
  return suggestion === undefined ? { rule } : { rule, suggestion };
}

function brokenRule(
  name: string,
  options: { service: boolean },
): string | undefined {
  const extension = extensionOf(name);
  const stem = name.slice(0, name.length - extension.length);
  if (stem === "") {
    return `systemd needs a name before "${extension}" (found none)`;
  }
  const chars = [...stem];
  const bad = chars.findIndex((char) => !UNIT_NAME_CHAR_REGEXP.test(char));
  if (bad !== -1) {
    return `systemd allows only ASCII letters, digits and : - _ . \\ @ (found ${
      quote(chars[bad])
    } at position ${bad + 1})`;
  }
  if (stem.startsWith("@")) {
    return 'systemd needs a name before "@" (found "@" at position 1)';
  }
  const second = stem.indexOf("@", stem.indexOf("@") + 1);
  if (second !== -1) {
    return `leger allows one "@", between a template's name and its instance (found another "@" at position ${
      second + 1
    })`;
  }
  if (stem.startsWith("-")) {
    return 'leger refuses a leading "-", which systemctl and podman would read as an option';
  }
  const bytes = encoder.encode(name).length;
  if (bytes > UNIT_NAME_MAX_BYTES) {
    return `systemd allows at most ${UNIT_NAME_MAX_BYTES} bytes (found ${bytes})`;
  }
  if (!options.service) return undefined;
  const service = serviceNameOf(name);
  const serviceBytes = encoder.encode(service).length;
  if (serviceBytes > UNIT_NAME_MAX_BYTES) {
    return `Podman names its service ${
      shown(service)
    }, and systemd allows at most ${UNIT_NAME_MAX_BYTES} bytes (found ${serviceBytes})`;
  }
  return undefined;
}

/**
 * A valid name close to `name`: accents dropped, other characters systemd
 * refuses and any second `@` turned into `-`, leading `-` and `@` dropped,
 * and the part before `@` shortened to fit.
 */
function suggestName(
  name: string,
  options: { service: boolean },
): string | undefined {
  const extension = extensionOf(name);
  let stem = name.slice(0, name.length - extension.length)
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/[^A-Za-z0-9:\-_.\\@]/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^[-@]+/, "");
  const at = stem.indexOf("@");
  let prefix = at === -1 ? stem : stem.slice(0, at);
  const rest = at === -1 ? "" : `@${stem.slice(at + 1).replaceAll("@", "-")}`;
  if (prefix === "") prefix = "app";
  stem = prefix + rest;
  const candidate = `${stem}${extension}`;
  const longest = Math.max(
    candidate.length,
    options.service ? serviceNameOf(candidate).length : 0,
  );
  const over = longest - UNIT_NAME_MAX_BYTES;
  const fitted = over > 0 && over < prefix.length
    ? `${prefix.slice(0, prefix.length - over)}${rest}${extension}`
    : candidate;
  return brokenRule(fitted, options) === undefined ? fitted : undefined;
}

function fileFinding(path: string, name: string, problem: Problem): Finding {
  return {
    code: "ERR_UNIT_NAME_INVALID",
    message: `Cannot use ${shown(name)} as a unit name: ${problem.rule}`,
    file: path,
    remedy: problem.suggestion === undefined
      ? "Rename the file, and the references to it, to a name of ASCII letters, digits and : - _ . \\ @"
      : `Rename the file, for example to ${
        shown(problem.suggestion)
      }, and the references to it`,
  };
}

function folderFinding(folder: string, problem: Problem): Finding {
  const name = folder.slice(folder.lastIndexOf("/") + 1);
  return {
    code: "ERR_UNIT_NAME_INVALID",
    message: `Cannot use ${
      shown(name)
    } as a drop-in folder: it names no valid unit, since ${problem.rule}`,
    file: folder,
    remedy: problem.suggestion === undefined
      ? "Rename the folder after its unit, with ASCII letters, digits and : - _ . \\ @"
      : `Rename the folder, for example to ${
        shown(`${problem.suggestion}.d`)
      }, with the unit it belongs to`,
  };
}

/** A name quoted for a message, its middle cut when it is very long. */
function shown(name: string): string {
  const chars = [...name];
  if (chars.length <= SHOWN_MAX_CHARS) return quote(name);
  const extension = extensionOf(name);
  const kept = chars.slice(0, SHOWN_MAX_CHARS - extension.length).join("");
  return quote(`${kept}…${extension}`);
}

/** `text` in double quotes, escaped as JSON and also DEL and the C1 controls. */
function quote(text: string): string {
  return JSON.stringify(text).replace(
    /[\x7f-\x9f]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
