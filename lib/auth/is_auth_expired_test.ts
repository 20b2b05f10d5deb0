import { strictEqual } from "node:assert/strict";
import { isAuthExpired } from "./is_auth_expired.ts";

Deno.test("isAuthExpired() is true from expires_at on", () => {
  const state = { expires_at: "2026-10-16T12:00:00.000Z" };
  const cases: [string, boolean][] = [
    ["2025-01-01T00:00:00Z", false],
    ["2026-10-16T11:59:59.999Z", false],
    ["2026-10-16T12:00:00.000Z", true],
    ["2030-01-01T00:00:00Z", true],
  ];
  for (const [now, expected] of cases) {
    strictEqual(isAuthExpired(state, new Date(now)), expected, now);
  }
});
