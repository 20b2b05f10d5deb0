/**
 * The states tailscaled's backend reports (`ipn.State`), as
 * `tailscale status --json` writes them in `BackendState`.
 */
export type BackendState =
  | "NoState"
  | "NeedsLogin"
  | "NeedsMachineAuth"
  | "Stopped"
  | "Starting"
  | "Running";

/** The local node, from the status document's `Self`. */
export interface TailscaleSelf {
  /** The stable node id (`Self.ID`), empty before the first login. */
  id: string;
  /** The machine name (`Self.HostName`). */
  hostName: string;
  /** The MagicDNS name, ending in a dot (`Self.DNSName`). */
  dnsName: string;
  /** The owner's user id in decimal, exactly as written (`Self.UserID`); `"0"` when logged out. */
  userId: string;
  /** The node's Tailscale addresses, IPv4 first (`Self.TailscaleIPs`). */
  tailscaleIps: string[];
  /** Whether the node is connected to the control plane (`Self.Online`). */
  online: boolean;
}

/** A user profile, from the status document's `User` map. */
export interface TailscaleUser {
  /** The user id in decimal, exactly as written (the key in `User`). */
  id: string;
  /** The login name (`LoginName`), such as `alice@github`; `""` when absent. */
  loginName: string;
  /** The user's display name (`DisplayName`); `""` when absent. */
  displayName: string;
}

/** The parts of `tailscale status --json` that leger uses. */
export interface TailscaleStatus {
  /** tailscaled's long version (`Version`). */
  version: string;
  /** One of {@linkcode BackendState}, or whatever a newer tailscaled writes. */
  backendState: BackendState | string;
  /** The URL to log in at, when tailscaled offers one (`AuthURL`). */
  authUrl: string;
  /** Health warnings (`Health`). */
  health: string[];
  /** The local node (`Self`), absent before tailscaled knows it. */
  self: TailscaleSelf | null;
  /** The user profiles (`User`), keyed by user id in decimal. */
  users: Record<string, TailscaleUser>;
  /** The tailnet's name (`CurrentTailnet.Name`), absent when not connected. */
  tailnet: string | null;
  /** The tailnet's MagicDNS suffix (`CurrentTailnet.MagicDNSSuffix`). */
  magicDnsSuffix: string | null;
}

/** `JSON.parse` with the third reviver argument of "JSON.parse source text access". */
type SourceReviver = (
  this: unknown,
  key: string,
  value: unknown,
  context?: { source?: string },
) => unknown;

/** Fields that hold a `tailcfg.UserID`, a 64-bit integer. */
const USER_ID_KEYS = new Set(["UserID", "AltSharerUserID", "ID"]);

/**
 * Parses the JSON document that `tailscale status --json` prints, or that
 * tailscaled's LocalAPI answers to `GET /localapi/v0/status` (the same
 * `ipnstate.Status`).
 *
 * User ids are 64-bit integers; `JSON.parse` would round those above 2^53 to a
 * different number. They are therefore read from the document's own digits
 * (the reviver's source text), never through a float.
 *
 * @param text The document.
 * @returns The fields leger uses.
 * @throws {SyntaxError} If `text` is not JSON.
 * @throws {TypeError} If the document is not a status (no `BackendState`).
 * @throws {RangeError} If a user id is above 2^53 and the runtime gives no
 * JSON source text to read its digits from (Deno 2 does).
 *
 * @example Usage
 * ```ts
 * import { parseTailscaleStatus } from "./parse_tailscale_status.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const status = parseTailscaleStatus(
 *   '{"BackendState":"Running","Self":{"UserID":9007199254740993,"HostName":"box"},' +
 *     '"User":{"9007199254740993":{"ID":9007199254740993,"LoginName":"alice@github"}},' +
 *     '"CurrentTailnet":{"Name":"alice@github"}}',
 * );
 * strictEqual(status.self?.userId, "9007199254740993");
 * strictEqual(status.users["9007199254740993"].loginName, "alice@github");
 * ```
 */
export function parseTailscaleStatus(text: string): TailscaleStatus {
  const reviver: SourceReviver = (key, value, context) => {
    if (typeof value !== "number" || !USER_ID_KEYS.has(key)) return value;
    if (context?.source !== undefined) return context.source;
    if (Number.isSafeInteger(value)) return String(value);
    throw new RangeError(
      `Cannot read Tailscale user id ${value} exactly: this JavaScript runtime does not give JSON source text`,
    );
  };
  const parse = JSON.parse as (text: string, reviver: SourceReviver) => unknown;
  const document = parse(text, reviver);
  if (!isRecord(document) || typeof document.BackendState !== "string") {
    throw new TypeError(
      "Cannot read the Tailscale status: the document has no BackendState",
    );
  }
  const tailnet = isRecord(document.CurrentTailnet)
    ? document.CurrentTailnet
    : null;
  return {
    version: asString(document.Version),
    backendState: document.BackendState,
    authUrl: asString(document.AuthURL),
    health: strings(document.Health),
    self: isRecord(document.Self) ? readSelf(document.Self) : null,
    users: readUsers(document.User),
    tailnet: tailnet === null ? null : asString(tailnet.Name) || null,
    magicDnsSuffix: tailnet === null
      ? null
      : asString(tailnet.MagicDNSSuffix) || null,
  };
}

function readSelf(self: Record<string, unknown>): TailscaleSelf {
  return {
    id: asString(self.ID),
    hostName: asString(self.HostName),
    dnsName: asString(self.DNSName),
    userId: typeof self.UserID === "string" ? self.UserID : "0",
    tailscaleIps: strings(self.TailscaleIPs),
    online: self.Online === true,
  };
}

function readUsers(users: unknown): Record<string, TailscaleUser> {
  const result: Record<string, TailscaleUser> = {};
  if (!isRecord(users)) return result;
  for (const [id, profile] of Object.entries(users)) {
    if (!isRecord(profile)) continue;
    result[id] = {
      id,
      loginName: asString(profile.LoginName),
      displayName: asString(profile.DisplayName),
    };
  }
  return result;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asString(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v) => typeof v === "string") : [];
}
