/**
 * Git sources, the pure part: taking a source URL apart (GitHub, GitLab,
 * Gitea/Forgejo/Codeberg web URLs, `#REF:PATH` URLs, `USER@HOST:PATH`),
 * choosing which of the remote's refs a web URL's `REF/PATH` names, and
 * removing credentials from any URL before it is shown or recorded. Fetching
 * is `lib/source/fetch_git_source.ts`, and running git `lib/adapters/git.ts`.
 *
 * ```ts
 * import { chooseRef, parseGitUrl, redactUrl } from "@leger/leger/git";
 * import { strictEqual } from "node:assert/strict";
 *
 * const url = parseGitUrl("https://tok@github.com/org/repo/tree/feature/x/apps/web");
 * strictEqual(redactUrl(url.cloneUrl), "https://github.com/org/repo");
 * const chosen = chooseRef(url.refWords!, [
 *   { name: "refs/heads/feature/x", object: "a".repeat(40) },
 * ]);
 * strictEqual(chosen.ref, "feature/x");
 * strictEqual(chosen.path, "apps/web");
 * ```
 *
 * @module
 */
export * from "./choose_ref.ts";
export * from "./parse_git_url.ts";
export * from "./redact_url.ts";
