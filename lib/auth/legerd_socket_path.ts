import type { PathEnv, Scope } from "../state/paths.ts";

/**
 * Where legerd listens for leger's requests: `$XDG_RUNTIME_DIR/legerd.sock`
 * for a user's legerd (`/run/user/<uid>/legerd.sock` when the variable is
 * unset), `/run/legerd.sock` for the system's.
 *
 * @param scope The scope of the legerd to reach.
 * @param options The environment and the user's id.
 * @returns The socket's path.
 *
 * @example Usage
 * ```ts
 * import { legerdSocketPath } from "./legerd_socket_path.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const env = (name: string) => name === "XDG_RUNTIME_DIR" ? "/run/user/1000" : undefined;
 * strictEqual(legerdSocketPath("user", { env, uid: 1000 }), "/run/user/1000/legerd.sock");
 * strictEqual(legerdSocketPath("system", { env, uid: 0 }), "/run/legerd.sock");
 * ```
 */
export function legerdSocketPath(
  scope: Scope,
  options: Pick<PathEnv, "env"> & { uid: number },
): string {
  if (scope === "system") return "/run/legerd.sock";
  const runtime = options.env("XDG_RUNTIME_DIR");
  const dir = runtime !== undefined && runtime.startsWith("/")
    ? runtime
    : `/run/user/${options.uid}`;
  return `${dir}/legerd.sock`;
}
