/**
 * `leger deploy install [name] [--source …] [--version …] [--no-start]
 * [--dry-run] [--force] [--yes] [--wait] [--scope …] [--json]`: argument
 * handling, confirmation and presentation around the deploy pipeline of
 * `lib/deploy` (resolve → plan → check → stage → apply → record).
 *
 * @module
 */
import type { Scope } from "../../../lib/adapters/scope.ts";
import { checkInstallable } from "../../../lib/deploy/check_installable.ts";
import { installDeployment } from "../../../lib/deploy/install_deployment.ts";
import { lockScope } from "../../../lib/deploy/lock_scope.ts";
import { planSource } from "../../../lib/deploy/plan_source.ts";
import { prepareInstall } from "../../../lib/deploy/prepare_install.ts";
import { resolveSource } from "../../../lib/deploy/resolve_source.ts";
import { checkScopeIsMine, resolveScope } from "../../../lib/deploy/scope.ts";
import { abortOnSignals } from "../../abort_on_signals.ts";
import { confirm } from "../../confirm.ts";
import { count } from "../../count.ts";
import type { CommandDeps } from "../../deps.ts";
import { deployContextOf } from "../../deploy_context_of.ts";
import { flag, scopeOption, text, timeoutOption } from "../../options.ts";
import { renderPlan } from "../../render_plan.ts";
import type { CommandLine } from "../../spec.ts";
import { printPlan } from "../shared/print_plan.ts";
import { webUiUrl } from "../../web_ui_url.ts";
import { whileFetching } from "../../while_fetching.ts";
import {
  installCommand,
  installDocument,
  nextSteps,
  waitingReport,
} from "./_install_result.ts";

/** The options of `leger deploy install`. */
export interface InstallOptions {
  /** A release of the user's leger.run space by name, or with `source` the deployment's name. */
  name?: string;
  /** A folder, Git repository folder URL or leger.run version URL. */
  source?: string;
  /** A version of the user's leger.run space (`latest`, `vN`). */
  version?: string;
  /** Plan only. */
  dryRun: boolean;
  /** Start the services after installing (`--no-start` clears it). */
  start: boolean;
  /** Pull the images first (`--no-pull` clears it). */
  pull: boolean;
  /** Install despite conflicts with the host. */
  force: boolean;
  /** Do not ask. */
  yes: boolean;
  /** Wait for another leger process instead of failing. */
  wait: boolean;
  /** `--timeout` in milliseconds: the limit of fetching a Git or leger.run source. */
  timeoutMs?: number;
  /** `--scope`, or the default of the user running leger. */
  scope?: Scope;
  /** Print one JSON document. */
  json: boolean;
}

/** Reads the command line of `leger deploy install`. */
export function parse(line: CommandLine): InstallOptions {
  return {
    name: line.args[0],
    source: text(line, "source"),
    version: text(line, "version"),
    dryRun: flag(line, "dryRun"),
    start: line.options.start !== false,
    pull: line.options.pull !== false,
    force: flag(line, "force"),
    yes: flag(line, "yes"),
    wait: flag(line, "wait"),
    timeoutMs: timeoutOption(line),
    scope: scopeOption(line),
    json: flag(line, "json"),
  };
}

/** Runs `leger deploy install`. */
export async function run(
  options: InstallOptions,
  deps: CommandDeps,
): Promise<number> {
  const { context } = deps;
  const scope = resolveScope(options.scope, context);
  const pipeline = deployContextOf(deps, scope);
  // NAME names a release of the user's leger.run space, or with --source the
  // deployment itself.
  const sourceOptions = {
    version: options.version,
    release: options.source === undefined ? options.name : undefined,
    name: options.source === undefined ? undefined : options.name,
    timeoutMs: options.timeoutMs,
  };
  if (options.dryRun) {
    const { plan } = await whileFetching(
      deps,
      (signal) =>
        planSource(options.source, pipeline, {
          ...sourceOptions,
          signal,
          planUnreadable: options.json,
        }),
    );
    const code = printPlan(plan, {
      json: options.json,
      context,
      render: (p) => renderPlan(p, { terminal: context.stdoutIsTerminal }),
    });
    if (!options.json) {
      context.err(
        "Dry run: nothing was changed on this host.\n" +
          (code === 0
            ? `To install it: ${installCommand(options, context.program)}\n`
            : ""),
      );
    }
    return code;
  }
  checkScopeIsMine(scope, context);
  await using _lock = await lockScope(pipeline, { wait: options.wait });
  const deployment = await whileFetching(
    deps,
    (signal) =>
      resolveSource(options.source, pipeline, { ...sourceOptions, signal }),
  );
  // Asked while planning runs; its answer (or refusal) matters after the prompt.
  pipeline.detectSupport().catch(() => {});
  const prepared = await prepareInstall(deployment, pipeline);
  const forced = await checkInstallable(prepared, pipeline, {
    force: options.force,
  });
  if (forced.length > 0) {
    context.err(
      `Warning: --force skips ${
        count(forced.length, "conflict")
      } with this host:\n` +
        forced.map((c) => `  ${c.file}: ${c.message} [${c.code}]\n`).join(""),
    );
  }
  const { plan } = prepared;
  // The plan says which secrets are missing and how to add them, once.
  context.err(renderPlan(plan, { terminal: context.stdoutIsTerminal }));
  if (!options.yes) {
    const question = `Install "${deployment.name}" (${
      count(plan.services.length, "unit")
    }) in the ${scope} scope?`;
    if (!await confirm(question, { context, yesFlag: "--yes" })) {
      context.err("Nothing was installed.\n");
      return 1;
    }
  }
  using signals = abortOnSignals(deps);
  const result = await installDeployment(prepared, pipeline, {
    start: options.start,
    pull: options.pull,
    terminal: context.stderrIsTerminal,
    pause: deps.settlePause,
    signal: signals.signal,
  });
  if (result.waitingForSecrets.length > 0 && !options.json) {
    context.err(
      waitingReport(result, {
        scope,
        webUrl: await webUiUrl(context),
        services: plan.services,
        warnings: plan.warnings,
      }).map((line) => `${line}\n`).join(""),
    );
  }
  if (options.json) {
    context.out(
      JSON.stringify(
        installDocument(prepared, result, { scope, forced }),
        null,
        2,
      ) + "\n",
    );
    return 0;
  }
  context.out(
    `${context.stdoutIsTerminal ? "✓ " : ""}Installed ${deployment.name}\n`,
  );
  context.err(
    nextSteps(deployment.name, result, {
      scope,
      defaultScope: resolveScope(undefined, context),
      started: options.start,
      program: context.program,
      hasServices: prepared.plan.services.some((s) =>
        s.started_services.length > 0
      ),
    }).map((line) => `${line}\n`).join(""),
  );
  return 0;
}
