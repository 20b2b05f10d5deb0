import { deepStrictEqual, throws } from "node:assert/strict";
import { canonicalAddress, decodeProcAddress } from "./_ip.ts";

Deno.test("canonicalAddress() reduces addresses to one form", () => {
  const cases: [string, ReturnType<typeof canonicalAddress>][] = [
    ["127.0.0.1", { family: 4, wildcard: false, text: "127.0.0.1" }],
    ["0.0.0.0", { family: 4, wildcard: true, text: "0.0.0.0" }],
    ["::", { family: 6, wildcard: true, text: "::" }],
    ["[::1]", { family: 6, wildcard: false, text: "::1" }],
    ["0:0:0:0:0:0:0:1", { family: 6, wildcard: false, text: "::1" }],
    ["::ffff:127.0.0.1", { family: 4, wildcard: false, text: "127.0.0.1" }],
    ["::FFFF:7f00:1", { family: 4, wildcard: false, text: "127.0.0.1" }],
    ["2001:DB8::0:1", { family: 6, wildcard: false, text: "2001:db8::1" }],
    ["fe80::1%eth0", { family: 6, wildcard: false, text: "fe80::1" }],
    ["2001:db8:0:1:1:1:1:1", {
      family: 6,
      wildcard: false,
      text: "2001:db8:0:1:1:1:1:1",
    }],
  ];
  for (const [text, expected] of cases) {
    deepStrictEqual(canonicalAddress(text), expected, text);
  }
});

Deno.test("canonicalAddress() returns null when the text is not an IP address", () => {
  for (
    const text of [
      "localhost",
      "256.0.0.1",
      "1.2.3",
      "1::2::3",
      "%i",
      "",
      "1:2:3:4:5:6:7:8:9",
      "12345::",
    ]
  ) {
    deepStrictEqual(canonicalAddress(text), null, text);
  }
});

Deno.test("decodeProcAddress() decodes both address lengths", () => {
  deepStrictEqual(decodeProcAddress("0100007F"), "127.0.0.1");
  deepStrictEqual(decodeProcAddress("00000000000000000000000001000000"), "::1");
});

Deno.test("decodeProcAddress() throws SyntaxError when the length is wrong", () => {
  throws(() => decodeProcAddress("0100007"), {
    name: "SyntaxError",
    message: /expected 8 or 32 hex digits/,
  });
});
