import { strictEqual } from "node:assert/strict";
import { legerdSocketPath } from "./legerd_socket_path.ts";

Deno.test("legerdSocketPath() finds legerd's socket for each scope", () => {
  const cases: [
    scope: "user" | "system",
    env: Record<string, string>,
    uid: number,
    path: string,
  ][] = [
    [
      "user",
      { XDG_RUNTIME_DIR: "/run/user/1000" },
      1000,
      "/run/user/1000/leger/legerd.sock",
    ],
    ["user", {}, 1000, "/run/user/1000/leger/legerd.sock"],
    [
      "user",
      { XDG_RUNTIME_DIR: "relative" },
      1001,
      "/run/user/1001/leger/legerd.sock",
    ],
    ["system", { XDG_RUNTIME_DIR: "/run/user/0" }, 0, "/run/leger/legerd.sock"],
  ];
  for (const [scope, env, uid, path] of cases) {
    strictEqual(
      legerdSocketPath(scope, { env: (name) => env[name], uid }),
      path,
    );
  }
});
