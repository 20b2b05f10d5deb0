import type { SecretStatus } from "../../../../lib/secrets/control_api.ts";
import type { LegerdHealthAnswer } from "../../../../lib/secrets/legerd_client.ts";
import { podmanSecretCreateHint } from "../../../../lib/secrets/podman_secret_create_hint.ts";
import { secretNameProblem } from "../../../../lib/secrets/secret_name_problem.ts";
import { count } from "../../../count.ts";

/** Options for {@linkcode renderListNotes}. */
export interface RenderListNotesOptions {
  /** The web UI's URL, where a missing secret is added. */
  webUrl: string;
  /**
   * The services left stopped until a secret exists, by secret (from
   * deployments.yaml); a secret nothing waits for is absent.
   */
  waiting: ReadonlyMap<string, readonly string[]>;
}

/**
 * What `leger secrets list` says beside its table (on stderr), from the
 * secrets' states and legerd's health, each note only when it applies:
 *
 * - `missing`: where to add the secret (the web UI, `leger secrets set`),
 *   and which services legerd then starts, when some wait for it;
 * - a name leger.run cannot hold, missing or pending: how to create it in
 *   Podman by hand (never `leger secrets set`, which refuses the name);
 * - `pending`: why legerd cannot tell yet whether leger.run has it: no
 *   login (`leger auth login`), the login expired, leger.run not reached
 *   (its last error), or no sync since its unit was installed (the next
 *   poll, or `leger secrets sync`);
 * - `unmanaged`: that legerd leaves such a secret alone;
 * - a degraded legerd, with its last error when no note above said it.
 *
 * @param secrets legerd's secrets.
 * @param health legerd's health.
 * @param options The web UI's URL and the services waiting for each secret.
 * @returns The lines, each with its line end; `""` when there is nothing to say.
 *
 * @example Usage
 * ```ts
 * import { renderListNotes } from "./render_list_notes.ts";
 * import type { SecretStatus } from "../../../../lib/secrets/control_api.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const health = {
 *   status: "ok", version: "0.1.0", scope: "user", pid: 1,
 *   tailscale: { state: "Running", error: null },
 *   leger_run: { api_url: "https://api.leger.run", reachable: true, auth: "ok", last_error: null },
 *   podman: { reachable: true, secrets: 1, last_error: null },
 *   last_successful_sync_at: null, next_poll_at: null, poll_interval_ms: 300000,
 *   restart: "on-rotation", last_poll: null,
 * } as const;
 * const secrets: SecretStatus[] = [
 *   { name: "db_password", state: "missing", version: null, used_by: ["db.container"], synced_at: null },
 * ];
 * strictEqual(
 *   renderListNotes(secrets, health, { webUrl: "https://app.leger.run", waiting: new Map() }),
 *   "1 secret missing in leger.run: db_password. Add it in the web UI at https://app.leger.run or with `leger secrets set db_password`: legerd then creates it in Podman.\n",
 * );
 * ```
 */
export function renderListNotes(
  secrets: readonly SecretStatus[],
  health: LegerdHealthAnswer,
  options: RenderListNotesOptions,
): string {
  const lines: string[] = [];
  const byHand = (s: SecretStatus) => secretNameProblem(s.name) !== null;
  const names = (list: readonly SecretStatus[]) =>
    list.map((s) => s.name).join(", ");
  const starts = (list: readonly SecretStatus[]) => {
    const services = [
      ...new Set(list.flatMap((s) => options.waiting.get(s.name) ?? [])),
    ].sort();
    return services.length === 0
      ? ""
      : ` and starts ${services.join(", ")}, which ${
        services.length === 1 ? "waits" : "wait"
      } for ${list.length === 1 ? "it" : "them"}`;
  };
  const them = (list: readonly unknown[]) => list.length === 1 ? "it" : "them";

  const missing = secrets.filter((s) => s.state === "missing" && !byHand(s));
  if (missing.length > 0) {
    const one = missing.length === 1;
    lines.push(
      `${count(missing.length, "secret")} missing in leger.run: ${
        names(missing)
      }. Add ${
        one ? "it" : "each"
      } in the web UI at ${options.webUrl} or with \`leger secrets set ${
        one ? missing[0].name : "NAME"
      }\`: legerd then creates ${them(missing)} in Podman${starts(missing)}.`,
    );
  }

  let saidLegerRun = false;
  const pending = secrets.filter((s) => s.state === "pending" && !byHand(s));
  if (pending.length > 0) {
    const run = health.leger_run;
    const head = `${count(pending.length, "secret")} pending: ${
      names(pending)
    }`;
    if (run.auth === "missing") {
      saidLegerRun = true;
      lines.push(
        `${head}. legerd cannot ask leger.run for ${
          them(pending)
        }: there is no leger.run login. Run \`leger auth login\`.`,
      );
    } else if (run.auth === "expired") {
      saidLegerRun = true;
      lines.push(
        `${head}. legerd cannot ask leger.run for ${
          them(pending)
        }: its login expired and logging in again failed. Run \`leger auth login\`.`,
      );
    } else if (run.reachable === false) {
      saidLegerRun = true;
      lines.push(
        `${head}. legerd could not reach leger.run${
          run.last_error === null ? "" : `: ${run.last_error.message}`
        }. It asks again at its next poll${at(health.next_poll_at)}.`,
      );
    } else {
      lines.push(
        `${head}. legerd syncs ${them(pending)} at its next poll${
          at(health.next_poll_at)
        }, or run \`leger secrets sync\` now.`,
      );
    }
  }

  for (
    const secret of secrets.filter((s) =>
      (s.state === "missing" || s.state === "pending") && byHand(s)
    )
  ) {
    lines.push(
      `leger.run cannot hold ${secret.name} (${
        secretNameProblem(secret.name)
      }): create it in Podman by hand with ${
        podmanSecretCreateHint(secret.name)
      }. legerd leaves it alone${starts([secret])}.`,
    );
  }

  if (secrets.some((s) => s.state === "unmanaged")) {
    lines.push(
      "unmanaged: a Podman secret leger did not create holds the name; legerd leaves it alone (remove it with `podman secret rm NAME` to let legerd manage it).",
    );
  }

  if (health.status === "degraded") {
    const error = (saidLegerRun ? null : health.leger_run.last_error) ??
      health.podman.last_error;
    lines.push(
      `Warning: legerd is degraded${
        error === null ? "" : `: ${error.message}`
      }; Podman keeps the last good values (\`leger auth status\` says more).`,
    );
  }
  return lines.map((line) => `${line}\n`).join("");
}

function at(time: string | null): string {
  return time === null ? "" : ` (${time})`;
}
