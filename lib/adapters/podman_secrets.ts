/**
 * Podman's secret store, as legerd reads and writes it: list the secrets
 * with their labels, create or replace one with its value on stdin, remove
 * one.
 *
 * What Podman really prints (checked on Podman 4.3.1 here and in Podman
 * 5.8's source, `cmd/podman/secrets/list.go`): `podman secret ls` formats
 * `SecretListReport` items (`ID`, `Name`, `Driver`, `CreatedAt`, `UpdatedAt`,
 * the times as "2 hours ago") and has no labels; its `--format json` is not
 * JSON at all but a template that prints the word `json` once per secret.
 * Labels come only from `podman secret inspect`, whose JSON is the full
 * `SecretInfoReport` (`ID`, `CreatedAt`, `UpdatedAt`, `Spec.Name`,
 * `Spec.Labels`). A secret's labels are set when it is written and every
 * write (`create`, `create --replace`) gives it a new `ID`, so the labels
 * of an ID never change: {@linkcode listPodmanSecrets} lists with one
 * `podman secret ls --format {{json .}}` and inspects only the IDs its
 * cache does not know, which in the steady state is none.
 *
 * Requires `--allow-run=podman`.
 *
 * @module
 */
import { LegerError } from "../errors/leger_error.ts";
import { CommandError } from "./command_error.ts";
import type { Runner } from "./run.ts";

/** A Podman secret: its id, name, labels and when it was last written. */
export interface PodmanSecret {
  /** Podman's id of this write of the secret (every write gives a new one). */
  id: string;
  /** The secret's name. */
  name: string;
  /** Its labels; `null` when it has none. */
  labels: Readonly<Record<string, string>> | null;
  /** When it was last written (Podman's `UpdatedAt`), RFC 3339; `null` when unknown. */
  updated_at: string | null;
}

/** Options for {@linkcode listPodmanSecrets}. */
export interface ListPodmanSecretsOptions {
  /**
   * What earlier listings learned, by secret id: only the ids it lacks are
   * inspected, and it is updated (ids gone from Podman are dropped). Pass
   * the same map to every call; {@linkcode createPodmanSecret}'s answer can
   * be added to it so that a secret legerd wrote is never inspected.
   *
   * @default {a new, empty map}
   */
  cache?: Map<string, PodmanSecret>;
}

const LIST_ARGS = ["secret", "ls", "--format", "{{json .}}"] as const;
const ID_REGEXP = /^[0-9a-f]{12,64}$/;

/**
 * Lists Podman's secrets with their labels: one `podman secret ls --format
 * {{json .}}`, then, only for secrets the cache does not know, one
 * `podman secret inspect -- ID…`. A secret removed between the two is left
 * out.
 *
 * @param runner Runs `podman`.
 * @param options The cache of what earlier listings learned.
 * @returns The secrets, sorted by name.
 * @throws {LegerError} `ERR_COMMAND_FAILED` when Podman fails or prints
 * something that is not its secret list; `ERR_COMMAND_NOT_FOUND` when
 * Podman is not installed.
 *
 * @example Usage
 * ```ts
 * import { listPodmanSecrets } from "./podman_secrets.ts";
 * import { fakeRunner } from "./fake_runner.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const runner = fakeRunner([
 *   {
 *     bin: "podman",
 *     args: ["secret", "ls", "--format", "{{json .}}"],
 *     result: { stdout: '{"ID":"80b4ad420c8e52d6a9fde0172","Name":"api_token"}\n' },
 *   },
 *   {
 *     bin: "podman",
 *     args: ["secret", "inspect", "--", "80b4ad420c8e52d6a9fde0172"],
 *     result: {
 *       stdout: JSON.stringify([{
 *         ID: "80b4ad420c8e52d6a9fde0172",
 *         UpdatedAt: "2026-11-30T15:31:08.682453022Z",
 *         Spec: { Name: "api_token", Labels: { "io.leger.managed": "true" } },
 *       }]),
 *     },
 *   },
 * ]);
 * const cache = new Map();
 * deepStrictEqual(await listPodmanSecrets(runner, { cache }), [{
 *   id: "80b4ad420c8e52d6a9fde0172",
 *   name: "api_token",
 *   labels: { "io.leger.managed": "true" },
 *   updated_at: "2026-11-30T15:31:08.682453022Z",
 * }]);
 * // The second listing inspects nothing: the id is known.
 * const again = fakeRunner([{
 *   bin: "podman",
 *   args: ["secret", "ls", "--format", "{{json .}}"],
 *   result: { stdout: '{"ID":"80b4ad420c8e52d6a9fde0172","Name":"api_token"}\n' },
 * }]);
 * deepStrictEqual((await listPodmanSecrets(again, { cache })).length, 1);
 * again.assertAllCalled();
 * ```
 */
export async function listPodmanSecrets(
  runner: Runner,
  options: ListPodmanSecretsOptions = {},
): Promise<PodmanSecret[]> {
  const { cache = new Map<string, PodmanSecret>() } = options;
  const listed = parseList(
    (await podman(runner, LIST_ARGS, "list Podman's secrets")).stdout,
  );
  const present = new Set(listed.map((entry) => entry.id));
  for (const id of cache.keys()) {
    if (!present.has(id)) cache.delete(id);
  }
  const unknown = listed.filter((entry) => !cache.has(entry.id));
  if (unknown.length > 0) {
    for (const secret of await inspect(runner, unknown.map((e) => e.id))) {
      if (present.has(secret.id)) cache.set(secret.id, secret);
    }
  }
  const secrets: PodmanSecret[] = [];
  for (const { id } of listed) {
    const secret = cache.get(id);
    // Not inspected: removed between the listing and the inspection.
    if (secret !== undefined) secrets.push(secret);
  }
  return secrets.sort((a, b) => compare(a.name, b.name));
}

/** What {@linkcode createPodmanSecret} writes. */
export interface CreatePodmanSecretInput {
  /** The secret's name. */
  name: string;
  /** The value: it goes to Podman on stdin only, never in an argument or a message. */
  value: string;
  /**
   * The labels, passed as `--label KEY=VALUE` (they are arguments anyone
   * can see: never put a value in one).
   *
   * @default {{}}
   */
  labels?: Readonly<Record<string, string>>;
  /**
   * Overwrite a secret of that name: `--replace` (Podman 4.7 and later),
   * else `podman secret rm` and a new `create`.
   *
   * @default {false}
   */
  replace?: boolean;
}

/**
 * What this Podman can do, learned as it answers; pass the same object to
 * every {@linkcode createPodmanSecret} call so that an old Podman is asked
 * about `--replace` once.
 */
export interface PodmanSecretSupport {
  /** Whether `podman secret create --replace` works; `null` until known. */
  replace: boolean | null;
}

/** What {@linkcode createPodmanSecret} did. */
export interface CreatedPodmanSecret {
  /** The new secret's id (what `podman secret create` printed); `null` if it printed none. */
  id: string | null;
  /** How: `create`, `replace` (`--replace`) or `rm-create` (Podman before 4.7). */
  how: "create" | "replace" | "rm-create";
}

/**
 * Writes a Podman secret: `podman secret create [--replace] --label K=V …
 * -- NAME -`, with the value on stdin. When this Podman has no `--replace`
 * (before 4.7: "unknown flag: --replace"), it removes the secret and
 * creates it again, and remembers that in `support`.
 *
 * @param runner Runs `podman`.
 * @param input The name, value, labels and whether to replace.
 * @param support What this Podman supports (updated).
 * @returns The new id, and how it was written.
 * @throws {LegerError} `ERR_SECRET_SYNC_FAILED` naming the secret (never
 * its value) and Podman's message when Podman refuses; `ERR_COMMAND_NOT_FOUND`
 * when Podman is not installed.
 *
 * @example Usage
 * ```ts
 * import { createPodmanSecret } from "./podman_secrets.ts";
 * import { fakeRunner } from "./fake_runner.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const runner = fakeRunner([{
 *   bin: "podman",
 *   args: ["secret", "create", "--replace", "--label", "io.leger.managed=true", "--", "api_token", "-"],
 *   stdin: "s3cret",
 *   result: { stdout: "80b4ad420c8e52d6a9fde0172\n" },
 * }]);
 * deepStrictEqual(
 *   await createPodmanSecret(runner, {
 *     name: "api_token", value: "s3cret", labels: { "io.leger.managed": "true" }, replace: true,
 *   }),
 *   { id: "80b4ad420c8e52d6a9fde0172", how: "replace" },
 * );
 * ```
 */
export async function createPodmanSecret(
  runner: Runner,
  input: CreatePodmanSecretInput,
  support: PodmanSecretSupport = { replace: null },
): Promise<CreatedPodmanSecret> {
  const { name, value, labels = {}, replace = false } = input;
  const labelArgs = Object.entries(labels).flatMap(([key, label]) => [
    "--label",
    `${key}=${label}`,
  ]);
  const create = async (flags: string[]) => {
    const { stdout } = await podman(
      runner,
      ["secret", "create", ...flags, ...labelArgs, "--", name, "-"],
      `write secret "${name}" to Podman`,
      { stdin: value, code: "ERR_SECRET_SYNC_FAILED" },
    );
    const id = stdout.trim();
    return ID_REGEXP.test(id) ? id : null;
  };
  if (!replace) return { id: await create([]), how: "create" };
  if (support.replace !== false) {
    try {
      const id = await create(["--replace"]);
      support.replace = true;
      return { id, how: "replace" };
    } catch (error) {
      if (!isUnknownReplaceFlag(error)) throw error;
      support.replace = false;
    }
  }
  await removePodmanSecret(runner, name);
  return { id: await create([]), how: "rm-create" };
}

/**
 * Removes a Podman secret (`podman secret rm -- NAME`); a secret that is
 * already gone ("no such secret") counts as removed.
 *
 * @param runner Runs `podman`.
 * @param name The secret's name.
 * @returns `true` when it was removed, `false` when there was none.
 * @throws {LegerError} `ERR_SECRET_SYNC_FAILED` naming the secret and
 * Podman's message when Podman refuses (a container still uses it…).
 *
 * @example Usage
 * ```ts
 * import { removePodmanSecret } from "./podman_secrets.ts";
 * import { fakeRunner } from "./fake_runner.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const runner = fakeRunner([{
 *   bin: "podman",
 *   args: ["secret", "rm", "--", "old"],
 *   result: { code: 125, stderr: 'Error: no secret with name or id "old": no such secret\n' },
 * }]);
 * strictEqual(await removePodmanSecret(runner, "old"), false);
 * ```
 */
export async function removePodmanSecret(
  runner: Runner,
  name: string,
): Promise<boolean> {
  const { code, stderr } = await podman(
    runner,
    ["secret", "rm", "--", name],
    `remove secret "${name}" from Podman`,
    { code: "ERR_SECRET_SYNC_FAILED", allowed: NO_SUCH_SECRET_REGEXP },
  );
  return code === 0 || !NO_SUCH_SECRET_REGEXP.test(stderr);
}

const NO_SUCH_SECRET_REGEXP = /no such secret/;

async function inspect(
  runner: Runner,
  ids: readonly string[],
): Promise<PodmanSecret[]> {
  const args = ["secret", "inspect", "--", ...ids];
  // Exit 125 with "no such secret" when one was removed since the listing;
  // Podman still prints the others.
  const { stdout } = await podman(runner, args, "inspect Podman's secrets", {
    allowed: NO_SUCH_SECRET_REGEXP,
  });
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout.trim() === "" ? "[]" : stdout);
  } catch (error) {
    throw unreadable(args, "it is not JSON", error);
  }
  if (!Array.isArray(parsed)) {
    throw unreadable(args, "expected a JSON list");
  }
  return parsed.map((item, index) => {
    const at = `entry ${index + 1}`;
    if (!isRecord(item) || !isRecord(item.Spec)) {
      throw unreadable(args, `${at} has no "Spec" object`);
    }
    const { ID: id, UpdatedAt: updated } = item;
    const { Name: name, Labels: labels } = item.Spec;
    if (typeof id !== "string" || typeof name !== "string") {
      throw unreadable(args, `${at} has no "ID" and "Spec.Name" strings`);
    }
    return {
      id,
      name,
      labels: readLabels(labels, args, at),
      updated_at: typeof updated === "string" && updated !== ""
        ? updated
        : null,
    };
  });
}

function readLabels(
  labels: unknown,
  args: readonly string[],
  at: string,
): Record<string, string> | null {
  if (labels === null || labels === undefined) return null;
  if (
    !isRecord(labels) ||
    !Object.values(labels).every((label) => typeof label === "string")
  ) {
    throw unreadable(args, `${at} has "Spec.Labels" that are not text`);
  }
  const entries = Object.entries(labels as Record<string, string>);
  return entries.length === 0 ? null : Object.fromEntries(entries);
}

function parseList(stdout: string): { id: string; name: string }[] {
  const entries: { id: string; name: string }[] = [];
  for (const [index, line] of stdout.split("\n").entries()) {
    if (line.trim() === "") continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (error) {
      throw unreadable(LIST_ARGS, `line ${index + 1} is not JSON`, error);
    }
    // One object per line; a list, should a Podman print the whole list at once.
    for (const item of Array.isArray(parsed) ? parsed : [parsed]) {
      if (
        !isRecord(item) || typeof item.ID !== "string" ||
        typeof item.Name !== "string"
      ) {
        throw unreadable(
          LIST_ARGS,
          `line ${index + 1} has no "ID" and "Name" strings`,
        );
      }
      entries.push({ id: item.ID, name: item.Name });
    }
  }
  return entries;
}

function isUnknownReplaceFlag(error: unknown): boolean {
  return error instanceof LegerError &&
    error.cause instanceof CommandError &&
    /unknown flag: --replace/.test(error.cause.stderrTail);
}

/** Runs podman; a failure becomes a LegerError that says what was being done. */
async function podman(
  runner: Runner,
  args: readonly string[],
  action: string,
  options: {
    stdin?: string;
    code?: "ERR_COMMAND_FAILED" | "ERR_SECRET_SYNC_FAILED";
    /** A failure whose stderr matches is answered, not thrown (exit 125 keeps its stdout). */
    allowed?: RegExp;
  } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const { stdin, code = "ERR_COMMAND_FAILED", allowed } = options;
  let result;
  try {
    result = await runner("podman", args, {
      stdin,
      allowedExitCodes: allowed === undefined ? [] : [125],
    });
  } catch (error) {
    if (!(error instanceof CommandError)) throw error;
    if (allowed !== undefined && allowed.test(error.stderrTail)) {
      return { code: error.code, stdout: "", stderr: error.stderrTail };
    }
    throw failed(error, args, action, code);
  }
  if (result.code !== 0 && !allowed?.test(result.stderr)) {
    throw failed(
      new CommandError("podman", args, result.code, result.stderr),
      args,
      action,
      code,
    );
  }
  return result;
}

function failed(
  error: CommandError,
  args: readonly string[],
  action: string,
  code: "ERR_COMMAND_FAILED" | "ERR_SECRET_SYNC_FAILED",
): LegerError {
  const said = error.stderrTail.split("\n").at(-1) ?? "";
  return new LegerError(
    code,
    `Cannot ${action}: \`podman ${
      args.slice(0, 2).join(" ")
    }\` exited with code ${error.code}${said === "" ? "" : `: ${said}`}`,
    {
      cause: error,
      remedy: "Check Podman with `podman secret ls`, then try again",
    },
  );
}

function unreadable(
  args: readonly string[],
  what: string,
  cause?: unknown,
): LegerError {
  return new LegerError(
    "ERR_COMMAND_FAILED",
    `Cannot read the output of \`podman ${
      args.slice(0, 2).join(" ")
    }\`: ${what}`,
    {
      cause,
      remedy:
        "Check that `podman secret ls` works, or update Podman (4.4 or later)",
    },
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
