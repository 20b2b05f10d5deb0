import { redactUrl } from "../errors/redact_url.ts";
import { resolveSpecifiers } from "./resolve_specifiers.ts";
import type { QuadletUnit } from "./types.ts";

/**
 * The hosts a health check may reach: loopback only, whatever else leger's
 * own network allow-list holds. `localhost` is reached at 127.0.0.1 (a host
 * without `/etc/hosts` cannot resolve it).
 */
export const HEALTH_CHECK_HOSTS: readonly string[] = [
  "127.0.0.1",
  "localhost",
  "[::1]",
];

/** Why a health URL cannot be checked, as {@linkcode healthUrlProblem} says. */
export interface HealthUrlProblem {
  /**
   * `url`: no http(s) URL; `port`: a port outside 1-65535; `host`: a host
   * that is not loopback.
   */
  kind: "url" | "port" | "host";
  /** Why, in a few words, credentials left out: "it is not an http(s) URL". */
  reason: string;
  /** What to write instead. */
  remedy: string;
}

/**
 * Why leger cannot check a health URL, the same for `HealthURL=` and for
 * `.leger.yaml` `health:`, in `leger validate` and in `leger status`: it is
 * no http(s) URL, its port is outside 1-65535, or its host is not loopback
 * ({@linkcode HEALTH_CHECK_HOSTS}). Resolve systemd specifiers first
 * ({@linkcode resolveHealthUrl}).
 *
 * @param url The URL, specifiers resolved.
 * @returns The problem, or `null` when leger can check the URL.
 *
 * @example Usage
 * ```ts
 * import { healthUrlProblem } from "./health_url.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(healthUrlProblem("http://127.0.0.1:8080/health"), null);
 * strictEqual(healthUrlProblem("https://api.leger.run/health")?.kind, "host");
 * strictEqual(healthUrlProblem("http://127.0.0.1:99999/")?.kind, "port");
 * strictEqual(healthUrlProblem("127.0.0.1:8080/")?.kind, "url");
 * ```
 */
export function healthUrlProblem(url: string): HealthUrlProblem | null {
  const value = url.trim();
  const port = /^https?:\/\/(?:[^/?#@]*@)?(?:\[[^\]]*\]|[^/?#:]*):(\d+)/i
    .exec(value)?.[1];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) {
    return {
      kind: "port",
      reason: `its port ${port} is outside 1-65535`,
      remedy:
        "Write the port the service publishes on 127.0.0.1, such as http://127.0.0.1:8080/health",
    };
  }
  const parsed = URL.parse(value);
  if (
    parsed === null ||
    (parsed.protocol !== "http:" && parsed.protocol !== "https:")
  ) {
    return {
      kind: "url",
      reason: "it is not an http(s) URL",
      remedy:
        "Write the URL leger should fetch, such as http://127.0.0.1:8080/health",
    };
  }
  if (HEALTH_CHECK_HOSTS.includes(parsed.hostname.toLowerCase())) return null;
  const shownPort = parsed.port ||
    (parsed.protocol === "https:" ? "443" : "80");
  return {
    kind: "host",
    reason: `health checks reach only ${
      HEALTH_CHECK_HOSTS.join(", ")
    }, not "${parsed.hostname}"`,
    remedy:
      `Publish the port on 127.0.0.1 (PublishPort=127.0.0.1:${shownPort}:PORT) and check http://127.0.0.1:${shownPort}${parsed.pathname}`,
  };
}

/**
 * Whether a URL holds credentials (`http://user:password@host/`): leger
 * shows such a URL nowhere with them, but they stay in clear in the unit
 * file or `.leger.yaml`.
 *
 * @param url The URL.
 * @returns `true` when it has a user name or a password.
 *
 * @example Usage
 * ```ts
 * import { hasCredentials } from "./health_url.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(hasCredentials("http://admin:pw@127.0.0.1:8080/"), true);
 * strictEqual(hasCredentials("http://127.0.0.1:8080/"), false);
 * ```
 */
export function hasCredentials(url: string): boolean {
  // Not URL.parse: a URL it refuses (a port out of range) may hold them too.
  return /^[a-z][a-z0-9+.-]*:\/\/[^/?#\s]*@/i.test(url.trim());
}

/**
 * A health URL as leger shows it: credentials and query values removed
 * (see `redactUrl`).
 *
 * @param url The URL.
 * @returns The URL without secrets.
 *
 * @example Usage
 * ```ts
 * import { shownHealthUrl } from "./health_url.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(shownHealthUrl("http://admin:pw@127.0.0.1:8080/"), "http://127.0.0.1:8080/");
 * ```
 */
export function shownHealthUrl(url: string): string {
  return redactUrl(url);
}

/**
 * Resolves the systemd specifiers of a health URL for one service (see
 * `resolveSpecifiers`): a template's URL (`HealthURL=http://127.0.0.1:80%i/`)
 * is so checked per instance.
 *
 * @param url The URL as written.
 * @param service The service, such as `worker@81.service`.
 * @returns The URL with the specifiers resolved; others are left as they are.
 *
 * @example Usage
 * ```ts
 * import { resolveHealthUrl } from "./health_url.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(
 *   resolveHealthUrl("http://127.0.0.1:80%i/%p", "worker@81.service"),
 *   "http://127.0.0.1:8081/worker",
 * );
 * ```
 */
export function resolveHealthUrl(url: string, service: string): string {
  return resolveSpecifiers(url, service);
}

/**
 * The names by which `.leger.yaml` `health:` may name a unit: its base name
 * (`web`), its file name (`web.container`) and its service (`web.service`).
 *
 * @param quadlet The unit's file and service names.
 * @returns The three names, base name first.
 *
 * @example Usage
 * ```ts
 * import { healthKeysOf } from "./health_url.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * deepStrictEqual(
 *   healthKeysOf({ file: "web.container", serviceName: "web.service" }),
 *   ["web", "web.container", "web.service"],
 * );
 * ```
 */
export function healthKeysOf(
  quadlet: Pick<QuadletUnit, "file" | "serviceName">,
): string[] {
  const file = quadlet.file.slice(quadlet.file.lastIndexOf("/") + 1);
  const dot = file.lastIndexOf(".");
  return [...new Set([file.slice(0, dot), file, quadlet.serviceName])];
}
