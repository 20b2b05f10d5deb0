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
 *   and which services legerd then starts, when some wait for it; a
 *   service starts once every secret it uses exists, so one that also
 *   waits for another secret is named with what else it needs;
 * - a name leger.run cannot hold, missing or pending: how to create it in
 *   Podman by hand (never `leger secrets set`, which refuses the name),
 *   and which services then start, as above;
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
  const starts = (list: readonly SecretStatus[]) =>
    waitingOn(list, secrets, options.waiting);
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
      }\`: legerd then creates ${them(missing)} in Podman${
        starting(starts(missing), "")
      }`,
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
      }. legerd leaves it alone${
        starting(starts([secret]), ",", " once it exists")
      }`,
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

/** The services waiting for some of a list of secrets: those the list alone lets start, and the others with what else they need. */
interface Waiting {
  /** Services that start once the list's secrets exist. */
  ready: string[];
  /** Services that also need other secrets, grouped by those. */
  blocked: { services: string[]; others: string[] }[];
}

/**
 * Which waiting services the secrets of `list` let start: a service starts
 * once every secret it uses exists, so one that also waits for a secret
 * outside the list (missing or pending, Podman has no copy) is named with
 * it.
 */
function waitingOn(
  list: readonly SecretStatus[],
  secrets: readonly SecretStatus[],
  waiting: ReadonlyMap<string, readonly string[]>,
): Waiting {
  const listed = new Set(list.map((s) => s.name));
  const services = [
    ...new Set(list.flatMap((s) => waiting.get(s.name) ?? [])),
  ].sort();
  const lacking = secrets.filter((s) =>
    !listed.has(s.name) && (s.state === "missing" || s.state === "pending") &&
    s.synced_at === null
  );
  const ready: string[] = [];
  const blocked = new Map<string, { services: string[]; others: string[] }>();
  for (const service of services) {
    const others = lacking.filter((s) =>
      (waiting.get(s.name) ?? []).includes(service)
    ).map((s) => s.name);
    if (others.length === 0) {
      ready.push(service);
      continue;
    }
    const key = others.join(",");
    const group = blocked.get(key) ?? { services: [], others };
    group.services.push(service);
    blocked.set(key, group);
  }
  return { ready, blocked: [...blocked.values()] };
}

/**
 * The end of a note: the services it lets start (after `joint`, with
 * `when`), then a sentence for each group that needs more, and the full
 * stop.
 */
function starting(waiting: Waiting, joint: string, when = ""): string {
  const { ready, blocked } = waiting;
  const head = ready.length === 0
    ? ""
    : `${joint} and starts ${ready.join(", ")}${when}`;
  return `${head}.${
    blocked.map(({ services, others }) => {
      const one = services.length === 1;
      return ` ${services.join(", ")} also ${one ? "needs" : "need"} ${
        others.join(", ")
      }: legerd starts ${one ? "it" : "them"} once every secret ${
        one ? "it uses" : "they use"
      } exists.`;
    }).join("")
  }`;
}

function at(time: string | null): string {
  return time === null ? "" : ` (${time})`;
}
