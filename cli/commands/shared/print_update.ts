import type { CliContext } from "../../context.ts";
import { versionOf } from "../../version_label.ts";
import { renderDiff } from "../diff.ts";
import type { UpdateDocument } from "./update_flow.ts";

/**
 * Prints what an update of one deployment did: its `--json` document, or
 * for a person one line on stdout (`✓ Updated web (v1 → v2): restarted
 * web.service`, `web is up to date (v2)`; for a source without versions, a
 * local folder, where it came from: `Updated web from /srv/web: …`, `web is
 * up to date with /srv/web`), the diff for `--dry-run`, and on stderr what
 * to do next. A failed update is not printed here: its error is.
 *
 * @param document The update's document.
 * @param options `--json`, and the streams.
 * @returns The exit code: 1 when the person asked said no, else 0.
 *
 * @example Usage
 * ```ts ignore
 * import { printUpdate } from "./print_update.ts";
 * return printUpdate(document, { json: options.json, context });
 * ```
 */
export function printUpdate(
  document: UpdateDocument,
  options: { json: boolean; context: CliContext },
): number {
  const { json, context } = options;
  const name = document.deployment;
  if (json) {
    context.out(JSON.stringify(document, null, 2) + "\n");
    return document.declined ? 1 : 0;
  }
  if (document.declined) {
    context.err(
      `Nothing was changed; the update stays staged (\`leger staged apply ${name}\` applies it, \`leger staged discard ${name}\` drops it).\n`,
    );
    return 1;
  }
  const version = (v: UpdateDocument["from"]) =>
    v === null ? null : versionOf(v.source);
  // What is known of the versions: their names, else where the new one came from.
  const versioned = version(document.from) !== null ||
    version(document.to) !== null;
  const label = (v: UpdateDocument["from"]) => version(v) ?? "no version";
  const location = document.to?.source.location;
  switch (document.outcome) {
    case "unchanged":
      context.out(
        versioned || location === undefined
          ? `${name} is up to date (${label(document.to)})\n`
          : `${name} is up to date with ${location}\n`,
      );
      return 0;
    case "staged":
      context.out(renderDiff({
        deployment: name,
        active: document.active,
        staged: document.staged!,
        files: document.files,
        summary: document.summary,
        normalisations: document.normalisations,
      }));
      context.err(
        `Staged; nothing was applied. \`leger staged apply ${name}\` applies it.\n`,
      );
      return 0;
    default: {
      const did = [
        ["restarted", document.restarted],
        ["started", document.started],
        ["stopped", document.stopped],
      ].filter(([, services]) => services.length > 0).map(([verb, services]) =>
        `${verb} ${(services as string[]).join(", ")}`
      );
      const what = versioned || location === undefined
        ? ` (${label(document.from)} → ${label(document.to)})`
        : ` from ${location}`;
      context.out(
        `${context.stdoutIsTerminal ? "✓ " : ""}Updated ${name}${what}${
          did.length > 0 ? `: ${did.join("; ")}` : ""
        }\n`,
      );
      if (document.waiting_for_secrets.length > 0) {
        context.err(
          `Not started yet: ${
            document.waiting_for_secrets.join(", ")
          } (a secret it uses is missing in Podman); legerd starts ${
            document.waiting_for_secrets.length === 1 ? "it" : "them"
          } once the secret exists.\n`,
        );
      }
      return 0;
    }
  }
}
