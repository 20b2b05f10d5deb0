/**
 * `redactUrl()` lives in `lib/errors/redact_url.ts`, so that every
 * `LegerError` applies it to its own text; it is exported here too, as part
 * of the git area it started in.
 *
 * @module
 */
export { redactUrl } from "../errors/redact_url.ts";
