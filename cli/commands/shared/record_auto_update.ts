import type { LastAutoUpdate } from "../../../lib/state/last_auto_updates.ts";
import { recordLastAutoUpdate } from "../../../lib/state/last_auto_updates.ts";
import { readDeployments } from "../../../lib/state/deployments_file.ts";
import type { CliContext } from "../../context.ts";
import { printError } from "../../print_error.ts";
import type { UpdateDocument } from "./update_flow.ts";

/**
 * What the update timer keeps of one update: {@linkcode LastAutoUpdate},
 * the versions as `--json` gives them and the error's code and first line.
 *
 * @param document The update's document.
 * @returns The record, or `null` for a run that applied nothing on purpose
 * (`--dry-run`, a person who said no).
 *
 * @example Usage
 * ```ts ignore
 * import { lastAutoUpdateOf } from "./record_auto_update.ts";
 * const record = lastAutoUpdateOf(document);
 * ```
 */
export function lastAutoUpdateOf(
  document: UpdateDocument,
): LastAutoUpdate | null {
  const { outcome } = document;
  if (outcome === "staged" || document.dry_run || document.declined) {
    return null;
  }
  return {
    outcome,
    finished_at: document.finished_at,
    from: document.from?.version ?? null,
    to: document.to?.version ?? null,
    restarted: document.restarted,
    started: document.started,
    stopped: document.stopped,
    backup: document.backup,
    error: document.error === undefined ? null : {
      code: document.error.code,
      message: firstLine(document.error.message),
    },
  };
}

/**
 * After each update the update timer ran (`LEGER_UPDATE_TRIGGER=timer`,
 * set by `leger-update.service`): says in one line on stderr how it ended
 * and why (the service's journal keeps it), and records it in
 * `last-auto-updates.json` for `leger deploy list`. A manual update does
 * neither.
 *
 * @param document The update's document.
 * @param options leger's state folder of the scope, and the streams.
 * @returns The exit code the recording adds: 0, or that of the error it
 * printed when the record could not be written (the update itself stands).
 *
 * @example Usage
 * ```ts ignore
 * import { recordAutoUpdate } from "./record_auto_update.ts";
 * const code = await recordAutoUpdate(document, { stateDir, context });
 * ```
 */
export async function recordAutoUpdate(
  document: UpdateDocument,
  options: { stateDir: string; context: Pick<CliContext, "err" | "debug"> },
): Promise<number> {
  const { stateDir, context } = options;
  if (document.trigger !== "timer") return 0;
  const record = lastAutoUpdateOf(document);
  if (record === null) return 0;
  context.err(`leger-update: ${describeAutoUpdate(document, record)}\n`);
  try {
    // The records of removed deployments go; a record nothing lists is noise.
    const installed = (await readDeployments(stateDir)).map((d) => d.name);
    await recordLastAutoUpdate(stateDir, document.deployment, record, {
      installed,
    });
    return 0;
  } catch (error) {
    context.err(
      `leger-update: cannot record the result of updating "${document.deployment}":\n`,
    );
    return Math.max(printError(error, context), 1);
  }
}

/** One line: what happened to the deployment, and why when it failed. */
function describeAutoUpdate(
  document: UpdateDocument,
  record: LastAutoUpdate,
): string {
  const name = `"${document.deployment}" (${document.scope} scope)`;
  const versions = record.from === null && record.to === null
    ? ""
    : ` (${record.from ?? "-"} → ${record.to ?? "-"})`;
  const why = record.error === null
    ? ""
    : `: ${record.error.message} [${record.error.code}]`;
  switch (record.outcome) {
    case "updated": {
      const did = [
        ["restarted", record.restarted],
        ["started", record.started],
        ["stopped", record.stopped],
      ].filter(([, services]) => services.length > 0).map(([verb, services]) =>
        `${verb} ${(services as string[]).join(", ")}`
      );
      return `updated ${name}${versions}${
        did.length > 0 ? `: ${did.join("; ")}` : ""
      }`;
    }
    case "unchanged":
      return `${name} is up to date${
        record.to === null ? "" : ` (${record.to})`
      }`;
    case "rolled-back":
      return `the update of ${name}${versions} was rolled back; the previous version runs${why}`;
    case "failed":
      return document.error?.rollback_complete === false
        ? `the update of ${name}${versions} failed and its rollback did not finish (the next leger command that changes deployments finishes it)${why}`
        : `cannot update ${name}${versions}${why}`;
  }
}

function firstLine(text: string): string {
  return text.split("\n", 1)[0];
}
