/**
 * leger's client of the leger.run API: the base URLs (from `LEGER_API_URL`,
 * `LEGER_STATIC_URL`, `LEGER_WEB_URL`) checked against the hosts leger
 * connects to, requests that follow no redirect elsewhere, one request with
 * the contract's envelope and error mapping, and a client with one method per
 * route. Source: leger's contract with the leger.run service
 * (`contracts/leger-run-api.md` of its specification).
 *
 * ```ts
 * import { resolveLegerRunUrls, staticSpaceUrl } from "@leger/leger/api";
 * import { strictEqual } from "node:assert/strict";
 *
 * const urls = resolveLegerRunUrls(() => undefined);
 * strictEqual(urls.api, "https://api.leger.run");
 * strictEqual(
 *   staticSpaceUrl(urls.static, "f44a09fc-90d1-5f2b-bf2c-7380100ec435"),
 *   "https://static.leger.run/f44a09fc-90d1-5f2b-bf2c-7380100ec435/",
 * );
 * ```
 *
 * @module
 */
export * from "./allowed_net_hosts.ts";
export * from "./check_allowed_url.ts";
export * from "./resolve_leger_run_urls.ts";
export * from "./static_space_url.ts";
export * from "./types.ts";
export * from "./leger_run_api_error.ts";
export * from "./api_request.ts";
export * from "./network_not_allowed.ts";
export * from "./fetch_allowed.ts";
export * from "./leger_run_client.ts";
export * from "./parse_leger_config.ts";
export * from "./read_leger_run_urls.ts";
