import type { Finding } from "../errors/finding.ts";
import { kindSection } from "../quadlet/kind_section.ts";
import { parsePublishPort } from "../quadlet/parse_publish_port.ts";
import type { PublishedPort, QuadletUnit } from "../quadlet/types.ts";
import { lookupAll, lookupLast } from "../unit/lookup.ts";
import { splitWords } from "../unit/split_words.ts";
import type { UnitEntry, UnitFile } from "../unit/types.ts";
import {
  ENV_NAME_REGEXP,
  expandWord,
  type Expansion,
} from "./_expand_variables.ts";

/** What {@linkcode resolveVariables} returns. */
export interface ResolvedVariables {
  /**
   * The typed unit with the `${NAME}`/`$NAME` of its published ports and of
   * its resource name replaced as systemd will replace them; values that
   * cannot be resolved are left as they were.
   */
  quadlet: QuadletUnit;
  /**
   * One warning per value that cannot be resolved, and one error per
   * published port that systemd resolves into a value Podman rejects, at its
   * file and line.
   */
  findings: Finding[];
}

const NAME_KEY: Partial<Record<QuadletUnit["kind"], string>> = {
  container: "ContainerName",
  volume: "VolumeName",
  network: "NetworkName",
  pod: "PodName",
};

/**
 * Resolves the environment variables in the values the port and name checks
 * read, as systemd resolves them when the service starts, so that
 * `PublishPort=127.0.0.1:${WEB_PORT}:8080` is checked as the port systemd
 * will publish.
 *
 * Podman's generator copies `PublishPort=`, `ContainerName=`,
 * `VolumeName=`, `NetworkName=` and `PodName=` into the `ExecStart=` command
 * line as they are (podman-systemd.unit(5)), and systemd expands variables
 * there (systemd.service(5), "Command lines"): `${NAME}` anywhere in a word,
 * `$NAME` only as a whole word, `$$` as `$`; an unset variable becomes the
 * empty string. The variables are those of the service: the `Environment=`
 * lines of its `[Service]` section (an empty `Environment=` resets them,
 * later assignments win; systemd.exec(5)) and Quadlet's own
 * `PODMAN_SYSTEMD_UNIT`. `Environment=` in `[Container]` is the container's
 * environment (`podman run --env`) and does not count.
 *
 * A value that cannot be resolved here — an unset variable (systemd's own
 * environment or an `EnvironmentFile=` may set it), a whole-word `$…` that
 * is no variable name, a value with white space (split into several
 * arguments), or a name that does not resolve — is a warning
 * (`ERR_UNIT_INVALID_VALUE`) at its line, and the value is left as it was
 * (the checks then skip it). A `PublishPort=` whose outcome is known and
 * that Podman rejects — an expanded value it cannot parse
 * (`127.0.0.1:${P}x:80`, `${P}${Q}:80` as `181501:80`), or a `$` systemd
 * passes on as it is (`$$:80` as `$:80`, an unclosed `${`, a `$NAME` inside a
 * word) — is an error with the same code, naming the value Podman gets: the
 * start would fail.
 *
 * @param unit The parsed unit, its drop-ins merged.
 * @param quadlet Its typed view.
 * @returns The typed view with the resolved values, and the warnings.
 *
 * @example Usage
 * ```ts
 * import { resolveVariables } from "./resolve_variables.ts";
 * import { parseUnit } from "../unit/parse_unit.ts";
 * import { toQuadletUnit } from "../quadlet/to_quadlet_unit.ts";
 * import { deepStrictEqual, strictEqual } from "node:assert/strict";
 *
 * const unit = parseUnit(
 *   "[Container]\nImage=busybox\nPublishPort=127.0.0.1:${WEB_PORT}:8080\n[Service]\nEnvironment=WEB_PORT=18103\n",
 *   { file: "web.container" },
 * );
 * const { quadlet, findings } = resolveVariables(unit, toQuadletUnit(unit));
 * strictEqual(quadlet.ports[0].hostPort, "18103");
 * deepStrictEqual(findings, []);
 * ```
 */
export function resolveVariables(
  unit: UnitFile,
  quadlet: QuadletUnit,
): ResolvedVariables {
  const findings: Finding[] = [];
  const needs = quadlet.ports.some((p) => p.spec.includes("$")) ||
    (quadlet.resourceName?.includes("$") ?? false);
  if (!needs) return { quadlet, findings };
  const env = serviceEnvironment(unit);
  const ports = quadlet.ports.map((port) => {
    if (!port.spec.includes("$")) return port;
    const resolved = resolvePort(port, env);
    if ("reason" in resolved) {
      findings.push(
        resolved.error
          ? invalidPort(port, resolved)
          : warning(port, `PublishPort=${port.spec}`, resolved),
      );
      return port;
    }
    return resolved;
  });
  let resourceName = quadlet.resourceName;
  const key = NAME_KEY[quadlet.kind];
  const entry = key === undefined
    ? undefined
    : lookupLast(unit, kindSection(quadlet.kind), key);
  if (resourceName !== null && resourceName.includes("$") && entry) {
    const expansion = expandWord(resourceName, env.variables);
    const problem = describe(expansion, env);
    if (problem === undefined) resourceName = expansion.value!;
    else findings.push(warning(entry, `${key}=${entry.value}`, problem));
  }
  return { quadlet: { ...quadlet, ports, resourceName }, findings };
}

/** What a problem says: the message after the value, and its remedy. */
interface Problem {
  reason: string;
  remedy: string;
  /** The outcome is known and Podman rejects it: an error, not a warning. */
  error?: boolean;
}

/** `$` left in a port once systemd has expanded it: Podman gets it as it is. */
const LITERAL_DOLLAR_REMEDY =
  "Write each variable as ${NAME} with its closing brace (systemd turns $$ into a single $), and set it with Environment= in [Service]";

function resolvePort(
  port: PublishedPort,
  env: Environment,
): PublishedPort | Problem {
  const expansion = expandWord(port.spec, env.variables);
  const problem = describe(expansion, env);
  if (problem !== undefined) {
    // A `$NAME` inside a word reaches Podman as it is, and no port holds `$`.
    return expansion.literal.length > 0 ? { ...problem, error: true } : problem;
  }
  const value = expansion.value!;
  if (value.includes("$")) {
    return {
      reason:
        `systemd passes "${value}" to Podman, which cannot use it: a port or address holds no "$"`,
      remedy: LITERAL_DOLLAR_REMEDY,
      error: true,
    };
  }
  try {
    return parsePublishPort(value, { file: port.file, line: port.line });
  } catch (error) {
    if (!(error instanceof SyntaxError || error instanceof RangeError)) {
      throw error;
    }
    return {
      reason:
        `systemd expands it to "${value}", which Podman cannot use: ${error.message}`,
      remedy:
        "Fix the Environment= line in [Service] that sets its variable, or write the port in PublishPort=",
      error: true,
    };
  }
}

/** Why an expansion cannot be checked here, or `undefined` when it can. */
function describe(
  expansion: Expansion,
  env: Environment,
): Problem | undefined {
  if (expansion.badWord) {
    return {
      reason:
        "systemd reads a word that starts with $ as the name of one variable, which is not set here, and drops the word",
      remedy: "Write the variable as ${NAME}",
    };
  }
  const [literal] = expansion.literal;
  if (literal !== undefined) {
    return {
      reason:
        `systemd passes "$${literal}" on as it is: it expands $NAME only when it is a whole word`,
      remedy: `Write \${${literal}}`,
    };
  }
  const [unset] = expansion.unset;
  if (unset !== undefined) return unsetProblem(unset, env.unit);
  if (expansion.value === null) {
    return {
      reason:
        "its variable holds white space, so systemd splits it into several arguments",
      remedy: "Give one value per line, without white space",
    };
  }
  return undefined;
}

function unsetProblem(name: string, unit: UnitFile): Problem {
  const inContainer = lookupAll(unit, "Container", "Environment").find((e) =>
    assignments(e.value).some(([n]) => n === name)
  );
  const environmentFile = lookupLast(unit, "Service", "EnvironmentFile");
  let reason =
    `no Environment= in [Service] sets \${${name}}, so systemd expands it to an empty string when the service starts`;
  if (environmentFile !== undefined) {
    reason +=
      ` unless EnvironmentFile=${environmentFile.value} sets it (leger does not read that file, so it cannot check this value)`;
  }
  if (inContainer !== undefined) {
    reason +=
      `; Environment=${inContainer.value} on line ${inContainer.line} is in [Container]: that is the container's environment (podman run --env), not the one systemd expands from`;
    return {
      reason,
      remedy:
        `Add Environment=${inContainer.value} to a [Service] section of ${unit.file} too, or write the value itself`,
    };
  }
  return {
    reason,
    remedy:
      `Add Environment=${name}=… to a [Service] section of ${unit.file}, or write the value itself`,
  };
}

/** A unit and the variables systemd sets for its generated service. */
interface Environment {
  unit: UnitFile;
  variables: ReadonlyMap<string, string>;
}

/** The variables systemd sets for the generated service (systemd.exec(5) `Environment=`). */
function serviceEnvironment(unit: UnitFile): Environment {
  // Quadlet adds this line to every service it generates.
  const variables = new Map([["PODMAN_SYSTEMD_UNIT", "%n"]]);
  for (const entry of lookupAll(unit, "Service", "Environment")) {
    for (const [name, value] of assignments(entry.value)) {
      variables.set(name, value);
    }
  }
  return { unit, variables };
}

/** The valid `NAME=value` words of an `Environment=` value. */
function assignments(value: string): [string, string][] {
  let words: string[];
  try {
    // systemd refuses (and ignores) an assignment with a quote left open,
    // which the relaxed splitting of Podman's arguments would accept.
    splitWords(value, { mode: "strv" });
    words = splitWords(value);
  } catch (error) {
    // systemd ignores a value it cannot split; checkEnvironment reports it.
    if (error instanceof SyntaxError) return [];
    throw error;
  }
  return words.flatMap((word) => {
    const eq = word.indexOf("=");
    const name = word.slice(0, eq);
    return eq > 0 && ENV_NAME_REGEXP.test(name)
      ? [[name, word.slice(eq + 1)] as [string, string]]
      : [];
  });
}

/** The error of a published port systemd expands into a value Podman rejects. */
function invalidPort(port: PublishedPort, problem: Problem): Finding {
  return {
    code: "ERR_UNIT_INVALID_VALUE",
    message: `Cannot use "PublishPort=${port.spec}": ${problem.reason}`,
    file: port.file,
    line: port.line,
    remedy: `${problem.remedy} (${port.file}:${port.line})`,
  };
}

function warning(
  at: { file: string; line: number } | UnitEntry,
  what: string,
  problem: Problem,
): Finding {
  return {
    code: "ERR_UNIT_INVALID_VALUE",
    message: `Cannot check ${what} against this host: ${problem.reason}`,
    file: at.file,
    line: at.line,
    remedy: problem.remedy,
    severity: "warning",
  };
}
