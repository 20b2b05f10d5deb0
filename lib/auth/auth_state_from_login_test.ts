import { deepStrictEqual, throws } from "node:assert/strict";
import { authStateFromLogin } from "./auth_state_from_login.ts";
import type { AuthCliAnswer } from "../api/types.ts";

const ANSWER: AuthCliAnswer = {
  token: "eyJ.x.y",
  token_type: "Bearer",
  expires_in: 31536000,
  user_uuid: "f44a09fc-90d1-5f2b-bf2c-7380100ec435",
  user: { tailscale_email: "alice@github", display_name: null },
};
const OPTIONS = {
  identity: {
    userId: "9007199254740993",
    loginName: "alice@github",
    deviceId: "100.101.102.103",
    deviceHostname: "workstation",
    tailnet: "alice@github",
  },
  userUuid: "f44a09fc-90d1-5f2b-bf2c-7380100ec435",
  apiUrl: "http://127.0.0.1:8787",
  now: new Date("2025-10-16T12:00:00Z"),
};

Deno.test("authStateFromLogin() stores token, expiry, UUID, identity and API", () => {
  deepStrictEqual(authStateFromLogin(ANSWER, OPTIONS), {
    token: "eyJ.x.y",
    token_type: "Bearer",
    expires_at: "2026-10-16T12:00:00.000Z",
    user_uuid: "f44a09fc-90d1-5f2b-bf2c-7380100ec435",
    login_name: "alice@github",
    tailnet: "alice@github",
    device_hostname: "workstation",
    api_url: "http://127.0.0.1:8787",
  });
});

Deno.test("authStateFromLogin() accepts the server's UUID in uppercase", () => {
  const state = authStateFromLogin({
    ...ANSWER,
    user_uuid: ANSWER.user_uuid.toUpperCase(),
  }, OPTIONS);
  deepStrictEqual(state.user_uuid, OPTIONS.userUuid);
});

Deno.test("authStateFromLogin() rejects a user_uuid that differs from the derived one", () => {
  throws(
    () =>
      authStateFromLogin({
        ...ANSWER,
        user_uuid: "00000000-0000-5000-8000-000000000000",
      }, OPTIONS),
    {
      name: "LegerError",
      code: "ERR_USER_UUID_MISMATCH",
      message:
        'Cannot log in to leger.run: it answered user UUID "00000000-0000-5000-8000-000000000000", but Tailscale user 9007199254740993 is "f44a09fc-90d1-5f2b-bf2c-7380100ec435"',
      remedy: /^Nothing was saved/,
    },
  );
});
