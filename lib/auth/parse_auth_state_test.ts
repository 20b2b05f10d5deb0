import { deepStrictEqual, throws } from "node:assert/strict";
import { parseAuthState } from "./parse_auth_state.ts";
import { STATE } from "./_testdata.ts";

Deno.test("parseAuthState() reads every field of auth.json", () => {
  deepStrictEqual(parseAuthState(JSON.stringify(STATE)), STATE);
});

Deno.test("parseAuthState() ignores fields it does not know", () => {
  deepStrictEqual(
    parseAuthState(JSON.stringify({ ...STATE, extra: 1 })),
    STATE,
  );
});

Deno.test("parseAuthState() rejects a document that is not a login", () => {
  const cases: [string, string, RegExp][] = [
    ["not JSON", "{", /JSON/],
    ["array", "[]", /it is not a JSON object/],
    [
      "no token",
      JSON.stringify({ ...STATE, token: undefined }),
      /"token" is missing or not a string/,
    ],
    [
      "empty uuid",
      JSON.stringify({ ...STATE, user_uuid: "" }),
      /"user_uuid" is missing/,
    ],
    [
      "number",
      JSON.stringify({ ...STATE, api_url: 1 }),
      /"api_url" is missing or not a string/,
    ],
    [
      "bad date",
      JSON.stringify({ ...STATE, expires_at: "soon" }),
      /"expires_at" is not a date: current value is "soon"/,
    ],
  ];
  for (const [name, text, message] of cases) {
    throws(() => parseAuthState(text), { message }, name);
  }
});
