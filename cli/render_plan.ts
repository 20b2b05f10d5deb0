import type { Normalisation } from "../lib/source/types.ts";
import type {
  DeploymentPlan,
  PlanPort,
  PlanProblem,
  PlanService,
} from "../lib/deploy/plan_types.ts";
import { podmanSecretCreateHint } from "../lib/secrets/podman_secret_create_hint.ts";
import { secretNameProblem } from "../lib/secrets/secret_name_problem.ts";
import { formatTable } from "./table.ts";

/** Options for {@linkcode renderPlan}. */
export interface RenderPlanOptions {
  /** Whether stdout is a terminal (aligned tables with headers). */
  terminal: boolean;
}

/**
 * Renders a deployment plan for a person: files, services with image, ports
 * and secrets, volumes, networks, the secrets required and those Podman
 * lacks (with how to create them), the templates that will not be started,
 * then conflicts and errors with their place and fix.
 *
 * @example Usage
 * ```ts
 * import { renderPlan } from "./render_plan.ts";
 * import { match } from "node:assert/strict";
 *
 * const text = renderPlan({
 *   deployment: "demo", source: { type: "local", location: "/srv/demo" }, scope: "user",
 *   files: [], services: [], secrets_required: [], secrets_missing: [], volumes: [], networks: [],
 *   normalisations: [], conflicts: [], errors: [], warnings: [], valid: true,
 * }, { terminal: false });
 * match(text, /Deployment "demo"/);
 * ```
 */
export function renderPlan(
  plan: DeploymentPlan,
  options: RenderPlanOptions,
): string {
  const { terminal } = options;
  // Services are what leger runs, as `deploy list` and `status` count them;
  // a volume's, network's or image's service only runs for them.
  const services = plan.services.filter((s) => s.start !== "dependency");
  const dependencies = plan.services.filter((s) => s.start === "dependency");
  const out: string[] = [
    `Deployment "${plan.deployment}" from ${plan.source.type} ${plan.source.location} (${plan.scope} scope)`,
    "",
    `Files (${plan.files.length}):`,
    formatTable(
      plan.files.map((file) => [file.name, file.sha256.slice(0, 12)]),
      { header: ["NAME", "SHA-256"], terminal, indent: 2 },
    ),
    ...renderUnits("Services", services, terminal),
    ...(dependencies.length === 0
      ? []
      : renderUnits("Started with them", dependencies, terminal)),
    `Volumes: ${plan.volumes.join(", ") || "none"}`,
    `Networks: ${plan.networks.join(", ") || "none"}`,
    `Secrets required: ${plan.secrets_required.join(", ") || "none"}`,
    ...renderMissingSecrets(plan.secrets_missing, { warnings: plan.warnings }),
    "",
    ...renderNotStarted(plan.services),
    ...renderNormalisations(plan.normalisations),
    ...renderProblems("Conflicts", plan.conflicts),
    ...renderProblems("Errors", plan.errors),
    ...(plan.warnings.length ? renderProblems("Warnings", plan.warnings) : []),
  ];
  return out.join("\n") + "\n";
}

/** Options for {@linkcode renderMissingSecrets}. */
export interface RenderMissingSecretsOptions {
  /**
   * The plan's warnings, printed with it: a name leger.run cannot hold
   * whose warning gives the command that creates it by hand points there
   * instead of repeating it.
   *
   * @default {[]}
   */
  warnings?: readonly PlanProblem[];
}

/**
 * Renders the secrets a deployment needs that Podman lacks on this host, what
 * an install does about them (legerd creates them from leger.run before the
 * units start; a unit that still lacks a secret stays stopped until every
 * secret it uses exists) and how to add one: `leger secrets set NAME` for a
 * name leger.run can hold, else by hand in Podman, the value read from
 * stdin or a file (never from the command line), said once: a name whose
 * warning already gives that command points to the warning. Nothing when
 * there are none.
 *
 * @param names The missing secrets (`secrets_missing` of a plan).
 * @param options The plan's warnings, printed below these lines.
 * @returns The lines, without their line ends.
 *
 * @example Usage
 * ```ts
 * import { renderMissingSecrets } from "./render_plan.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * deepStrictEqual(renderMissingSecrets(["db_password"]), [
 *   "Secrets missing on this host (1): db_password",
 *   "  An install asks legerd to create it from leger.run before it starts the units that use it;",
 *   "  a unit still missing a secret is installed but not started: legerd starts it once every secret it uses exists.",
 *   "  Add one leger.run does not have with `leger secrets set db_password` (or in the web UI).",
 * ]);
 * ```
 */
export function renderMissingSecrets(
  names: readonly string[],
  options: RenderMissingSecretsOptions = {},
): string[] {
  const { warnings = [] } = options;
  if (names.length === 0) return [];
  const fromLegerRun = names.filter((name) => secretNameProblem(name) === null);
  const byHand = names.filter((name) => secretNameProblem(name) !== null);
  const lines = [
    `Secrets missing on this host (${names.length}): ${names.join(", ")}`,
  ];
  const waits =
    "a unit still missing a secret is installed but not started: legerd starts it once every secret it uses exists.";
  if (fromLegerRun.length > 0) {
    const it = fromLegerRun.length === 1 ? "it" : "them";
    lines.push(
      `  An install asks legerd to create ${
        byHand.length === 0 ? it : fromLegerRun.join(", ")
      } from leger.run before it starts the units that use ${it};`,
      `  ${waits}`,
      `  Add one leger.run does not have with \`leger secrets set ${
        fromLegerRun.length === 1 ? fromLegerRun[0] : "NAME"
      }\` (or in the web UI).`,
    );
  } else {
    lines.push(`  A${waits.slice(1)}`);
  }
  for (const name of byHand) {
    lines.push(
      `  leger.run cannot hold ${name} (${
        secretNameProblem(name)
      }): create it in Podman by hand ${
        warnedWithHint(name, warnings)
          ? "(the warning below says how)"
          : `with ${podmanSecretCreateHint(name)}`
      }.`,
    );
  }
  return lines;
}

/**
 * Whether a warning already gives the command that creates a secret by
 * hand in Podman (`ERR_SECRET_NAME_INVALID` of a name leger.run cannot
 * hold), so that what is printed with it need not repeat it.
 *
 * @param name The secret's name.
 * @param warnings The plan's warnings.
 * @returns Whether one of them holds the command.
 *
 * @example Usage
 * ```ts
 * import { warnedWithHint } from "./render_plan.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(warnedWithHint("db.pass", []), false);
 * ```
 */
export function warnedWithHint(
  name: string,
  warnings: readonly PlanProblem[],
): boolean {
  const hint = podmanSecretCreateHint(name);
  return warnings.some((w) =>
    w.code === "ERR_SECRET_NAME_INVALID" && (w.remedy ?? "").includes(hint)
  );
}

/**
 * Renders the changes leger made to cope with a source's known defects, one
 * per line with its place, the line as served and as staged.
 */
export function renderNormalisations(
  normalisations: readonly Normalisation[],
): string[] {
  if (normalisations.length === 0) return [];
  return [
    `Normalisations (${normalisations.length}), applied to the staged copy only:`,
    ...normalisations.flatMap((n) => [
      `  ${n.file}${n.line === null ? "" : `:${n.line}`}`,
      `    - ${n.before}`,
      `    + ${n.after}`,
    ]),
    "",
  ];
}

/**
 * The templates that are installed and never started (no `DefaultInstance=`,
 * no instance file): nothing else would say that they do not run.
 */
function renderNotStarted(services: readonly PlanService[]): string[] {
  const templates = services.filter((s) => s.start === "template-no-instance");
  if (templates.length === 0) return [];
  return [
    `Not started (${templates.length}):`,
    ...templates.flatMap((s) => [
      `  ${s.unit}: template, no instance: not started`,
      `    fix: set DefaultInstance= in its [Install] section, or add an instance file such as ${
        s.unit.replace(/@\./, "@one.")
      }`,
    ]),
    "",
  ];
}

/** A titled table of units (then a blank line), `TITLE: none` without any. */
function renderUnits(
  title: string,
  units: readonly PlanService[],
  terminal: boolean,
): string[] {
  if (units.length === 0) return [`${title}: none`, ""];
  return [
    `${title} (${units.length}):`,
    formatTable(
      units.map((unit) => [
        unit.unit,
        unit.service,
        unit.image ?? "-",
        unit.ports.map(formatPort).join(", ") || "-",
        unit.secrets.map((secret) => secret.name).join(", ") || "-",
      ]),
      {
        header: ["UNIT", "SERVICE", "IMAGE", "PORTS", "SECRETS"],
        terminal,
        indent: 2,
      },
    ),
  ];
}

/** `127.0.0.1:8080->80/tcp`, as `podman ps` shows ports. */
function formatPort(port: PlanPort): string {
  const ip = port.host_ip === null
    ? ""
    : port.host_ip.includes(":")
    ? `[${port.host_ip}]:`
    : `${port.host_ip}:`;
  const host = port.host_port ?? "(any)";
  return `${ip}${host}->${port.container_port}/${port.protocol}`;
}

/** Renders a titled list of problems, each with its place and fix. */
export function renderProblems(
  title: string,
  problems: readonly PlanProblem[],
): string[] {
  if (problems.length === 0) return [`${title}: none`];
  return [
    `${title} (${problems.length}):`,
    ...problems.flatMap((problem) => [
      `  ${place(problem)}${problem.message} [${problem.code}]`,
      ...(problem.remedy === undefined ? [] : [`    fix: ${problem.remedy}`]),
    ]),
  ];
}

function place(problem: PlanProblem): string {
  if (problem.file === undefined) return "";
  return problem.line === undefined
    ? `${problem.file}: `
    : `${problem.file}:${problem.line}: `;
}
