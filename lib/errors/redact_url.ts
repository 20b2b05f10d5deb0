/**
 * A URL's scheme and user information: everything between `scheme://` and the
 * last `@` before the host. The user information stops at white space and at
 * the first `/`, `?` or `#`, so that a `@` later in a path is left alone.
 */
const USERINFO_REGEXP = /\b([a-z][a-z0-9+.-]*):\/\/([^\s/?#]*)@/gi;

/** Schemes whose user name is itself often a secret (`https://TOKEN@host`). */
const SECRET_USER_SCHEMES = new Set(["http", "https", "ftp", "ftps"]);

/** A URL's query string: from `?` to white space, `#`, a quote or a bracket. */
const QUERY_REGEXP =
  /(\b[a-z][a-z0-9+.-]*:\/\/[^\s?#"'<>()[\]]*\?)([^\s#"'<>()[\]]*)/gi;

/**
 * Removes credentials from every URL in a text, so that a URL the user gave
 * with a token in it (`https://user:token@host/…`) can be shown, recorded or
 * put in an error.
 *
 * For `http(s)` the whole user information goes, because a token is often
 * passed as the user name (`https://ghp_…@github.com/…`). For other schemes
 * (`ssh://git@host/…`) the user name stays, as it is part of the address and
 * no secret, and only a `:password` goes. Text that holds no URL with user
 * information comes back unchanged, so the function is safe to apply to any
 * message, such as git's stderr.
 *
 * @param text A URL, or any text that may contain URLs.
 * @returns The text with credentials removed.
 *
 * @example Usage
 * ```ts
 * import { redactUrl } from "./redact_url.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(
 *   redactUrl("https://alice:ghp_secret@github.com/org/repo"),
 *   "https://github.com/org/repo",
 * );
 * strictEqual(
 *   redactUrl("fatal: unable to access 'https://tok@host/r.git/'"),
 *   "fatal: unable to access 'https://host/r.git/'",
 * );
 * strictEqual(redactUrl("ssh://git:pw@host/r.git"), "ssh://git@host/r.git");
 * strictEqual(redactUrl("git@github.com:org/repo.git"), "git@github.com:org/repo.git");
 * ```
 */
export function redactUrl(text: string): string {
  // Tokens also travel in query strings (`?access_token=…`): their values go,
  // their names stay.
  const withoutQueries = text.replace(
    QUERY_REGEXP,
    (_match, head: string, query: string) =>
      head +
      query.split("&").map((pair) => {
        const equals = pair.indexOf("=");
        return equals === -1 || equals === pair.length - 1
          ? pair
          : `${pair.slice(0, equals + 1)}***`;
      }).join("&"),
  );
  return withoutQueries.replace(
    USERINFO_REGEXP,
    (_match, scheme: string, userinfo: string) => {
      if (SECRET_USER_SCHEMES.has(scheme.toLowerCase())) return `${scheme}://`;
      const colon = userinfo.indexOf(":");
      const user = colon === -1 ? userinfo : userinfo.slice(0, colon);
      return user === "" ? `${scheme}://` : `${scheme}://${user}@`;
    },
  );
}
