/** Options for {@linkcode legerdSocketPath}. */
export interface LegerdSocketPathOptions {
  /**
   * Reads an environment variable (`XDG_RUNTIME_DIR`), giving `undefined`
   * when it is unset.
   */
  env(name: string): string | undefined;
  /** The user's numeric id, for `/run/user/<uid>` when `XDG_RUNTIME_DIR` is unset or relative. */
  uid: number;
}

/**
 * Where legerd listens for leger's requests: `$XDG_RUNTIME_DIR/leger/legerd.sock`
 * for a user's legerd (`/run/user/<uid>/leger/legerd.sock` when the variable
 * is unset or not absolute), `/run/leger/legerd.sock` for the system's. legerd
 * makes the folder 0700 and the socket 0600, so only its owner can connect.
 *
 * @param scope The scope of the legerd to reach: `user` (rootless,
 * `systemctl --user`) or `system` (root), as `Scope` in `lib/adapters`.
 * @param options The environment and the user's id.
 * @returns The socket's path.
 *
 * @example Usage
 * ```ts
 * import { legerdSocketPath } from "./legerd_socket_path.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const env = (name: string) => name === "XDG_RUNTIME_DIR" ? "/run/user/1000" : undefined;
 * strictEqual(legerdSocketPath("user", { env, uid: 1000 }), "/run/user/1000/leger/legerd.sock");
 * strictEqual(legerdSocketPath("system", { env, uid: 0 }), "/run/leger/legerd.sock");
 * ```
 */
export function legerdSocketPath(
  scope: "user" | "system",
  options: LegerdSocketPathOptions,
): string {
  if (scope === "system") return "/run/leger/legerd.sock";
  const runtime = options.env("XDG_RUNTIME_DIR");
  const dir = runtime !== undefined && runtime.startsWith("/")
    ? runtime
    : `/run/user/${options.uid}`;
  return `${dir}/leger/legerd.sock`;
}
