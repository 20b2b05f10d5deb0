// Shared test data for lib/auth's tests.
import type { AuthState } from "./parse_auth_state.ts";

/** A login as `leger auth login` stores it. */
export const STATE: AuthState = {
  token: "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.e30.c2ln",
  token_type: "Bearer",
  expires_at: "2026-10-16T12:00:00.000Z",
  user_uuid: "f44a09fc-90d1-5f2b-bf2c-7380100ec435",
  login_name: "alice@github",
  tailnet: "alice@github",
  device_hostname: "workstation",
  api_url: "https://api.leger.run",
};

/** Runs `fn` with a fresh temporary folder, removed afterwards. */
export async function withTempDir(
  fn: (dir: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "leger_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
