import { strictEqual } from "node:assert/strict";
import { authFilePath } from "./auth_file_path.ts";

Deno.test("authFilePath() puts auth.json in leger's data folder, honouring XDG_DATA_HOME", () => {
  const cases: [Record<string, string>, string][] = [
    [{}, "/home/a/.local/share/leger/auth.json"],
    [{ XDG_DATA_HOME: "/data" }, "/data/leger/auth.json"],
    [{ XDG_DATA_HOME: "relative" }, "/home/a/.local/share/leger/auth.json"],
  ];
  for (const [env, expected] of cases) {
    strictEqual(
      authFilePath({ home: "/home/a", env: (name) => env[name] }),
      expected,
    );
  }
});
