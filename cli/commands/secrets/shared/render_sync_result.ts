import type { SyncResult } from "../../../../lib/secrets/control_api.ts";
import { podmanSecretCreateHint } from "../../../../lib/secrets/podman_secret_create_hint.ts";
import { secretNameProblem } from "../../../../lib/secrets/secret_name_problem.ts";

/** Options for {@linkcode renderSyncResult}. */
export interface RenderSyncResultOptions {
  /** The web UI's URL, where a missing secret is added. */
  webUrl: string;
}

/**
 * Renders what a sync did (or, for a dry run, would do) for a person: the
 * secrets created, replaced and removed, the services restarted and
 * started, then the secrets leger.run lacks, unit by unit, with where to
 * add them (`leger secrets set`, or by hand in Podman for a name leger.run
 * cannot hold), and the secrets leger leaves alone. legerd's errors are not
 * here: they go to stderr with their codes.
 *
 * @param result legerd's answer to `POST /v1/sync`.
 * @param options Where to add a missing secret.
 * @returns The text, one item a line.
 *
 * @example Usage
 * ```ts
 * import { renderSyncResult } from "./render_sync_result.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const plan = { create: [], replace: [], remove: [], restart: [], start: [], missing: [], unmanaged: [], unchanged: ["a"] };
 * const applied = { created: ["b"], replaced: [], removed: [], restarted: ["web.service"], started: [] };
 * strictEqual(
 *   renderSyncResult({ dry_run: false, plan, applied, errors: [] }, { webUrl: "https://app.leger.run" }),
 *   "Created: b\nRestarted: web.service\nUnchanged: a\n",
 * );
 * ```
 */
export function renderSyncResult(
  result: SyncResult,
  options: RenderSyncResultOptions,
): string {
  const { plan, applied } = result;
  const names = (items: readonly { name: string }[]) =>
    items.map((item) => item.name);
  const done: [string, readonly string[]][] = result.dry_run
    ? [
      ["Would create", names(plan.create)],
      ["Would replace", names(plan.replace)],
      ["Would remove", plan.remove],
      ["Would restart", plan.restart],
      ["Would start", plan.start],
    ]
    : [
      ["Created", applied.created],
      ["Replaced", applied.replaced],
      ["Removed", applied.removed],
      ["Restarted", applied.restarted],
      ["Started", applied.started],
    ];
  const lines = done.filter(([, list]) => list.length > 0).map((
    [what, list],
  ) => `${what}: ${list.join(", ")}`);
  if (plan.unchanged.length > 0) {
    lines.push(`Unchanged: ${plan.unchanged.join(", ")}`);
  }
  if (lines.length === 0 && plan.missing.length + plan.unmanaged.length === 0) {
    lines.push(
      "Nothing to do: no installed unit uses a secret, and legerd manages none",
    );
  }
  if (plan.missing.length > 0) {
    const byUnit = new Map<string, string[]>();
    for (const secret of plan.missing) {
      for (const unit of secret.units) {
        byUnit.set(unit, [...byUnit.get(unit) ?? [], secret.name]);
      }
    }
    const kept = plan.missing.filter((s) => s.in_podman).map((s) => s.name);
    // leger.run cannot hold some names at all (`db.pass`): `leger secrets
    // set` refuses them, so only a secret made by hand in Podman will do.
    const all = names(plan.missing);
    const byHand = all.filter((name) => secretNameProblem(name) !== null);
    const add = all.filter((name) => !byHand.includes(name));
    lines.push(
      `Missing in leger.run (${plan.missing.length}): ${all.join(", ")}`,
      ...[...byUnit].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0).map((
        [unit, secrets],
      ) => `  ${unit} needs ${secrets.join(", ")}`),
      ...(add.length === 0 ? [] : [
        `  Add ${
          byHand.length > 0 ? add.join(", ") : add.length === 1 ? "it" : "each"
        } in the web UI at ${options.webUrl}, or with \`leger secrets set ${
          add.length === 1 ? add[0] : "NAME"
        }\``,
      ]),
      ...byHand.map((name) =>
        `  leger.run cannot hold ${name} (${
          secretNameProblem(name)
        }): create it in Podman by hand with ${
          podmanSecretCreateHint(name)
        }; legerd then leaves it alone`
      ),
      ...(kept.length === 0 ? [] : [
        kept.length === 1
          ? `  Podman keeps the last value of ${
            kept[0]
          } until then (deleted in leger.run after legerd wrote it)`
          : `  Podman keeps the last values of ${
            kept.join(", ")
          } until then (deleted in leger.run after legerd wrote them)`,
      ]),
    );
  }
  if (plan.unmanaged.length > 0) {
    lines.push(
      `Not leger's (${plan.unmanaged.length}): Podman secrets leger did not create, left alone`,
      ...plan.unmanaged.map((s) =>
        `  ${s.name}, used by ${s.units.join(", ")}`
      ),
      "  To have legerd manage one, remove it with `podman secret rm NAME`, then run `leger secrets sync`",
    );
  }
  return lines.map((line) => `${line}\n`).join("");
}
