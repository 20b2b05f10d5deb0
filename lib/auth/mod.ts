/**
 * leger's login to leger.run: the user UUID derived from the Tailscale user
 * id (UUIDv5, as the contract defines it), the login stored in `auth.json`
 * (mode 0600, written atomically), the checks commands run before they
 * use leger.run (`requireAuthState`, `requireUserUuid`), where legerd
 * listens (`legerdSocketPath`), and why a process is no login session of
 * its user (`userSessionError`), as leger and legerd both say it.
 *
 * ```ts
 * import { authFilePath, deriveUserUuid } from "@leger/leger/auth";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(
 *   await deriveUserUuid("9007199254740993"),
 *   "f44a09fc-90d1-5f2b-bf2c-7380100ec435",
 * );
 * strictEqual(
 *   authFilePath({ home: "/home/a", env: () => undefined }),
 *   "/home/a/.local/share/leger/auth.json",
 * );
 * ```
 *
 * @module
 */
export * from "./uuid_v5.ts";
export * from "./derive_user_uuid.ts";
export * from "./parse_auth_state.ts";
export * from "./auth_file_path.ts";
export * from "./load_auth_state.ts";
export * from "./save_auth_state.ts";
export * from "./remove_auth_state.ts";
export * from "./auth_state_from_login.ts";
export * from "./login_with_tailscale.ts";
export * from "./is_auth_expired.ts";
export * from "./require_auth_state.ts";
export * from "./require_user_uuid.ts";
export * from "./legerd_socket_path.ts";
export * from "./user_session_error.ts";
