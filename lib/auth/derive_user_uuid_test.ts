import { rejects, strictEqual } from "node:assert/strict";
import { deriveUserUuid } from "./derive_user_uuid.ts";

// Computed independently when this test was written, with Python's uuid module:
//   python3 -c "import uuid; print(uuid.uuid5(uuid.UUID('6ba7b810-9dad-11d1-80b4-00c04fd430c8'), '9007199254740993'))"
const VECTORS: readonly [userId: string, uuid: string][] = [
  ["9007199254740993", "f44a09fc-90d1-5f2b-bf2c-7380100ec435"], // 2^53 + 1
  ["12345", "08d517c3-ac51-54e8-9036-a65fc977ab11"],
  ["0", "6af613b6-569c-5c22-9c37-2ed93f31d3af"],
  ["123456789012345678", "ef82647b-9628-5009-921d-15d20ee3cab3"],
  ["18446744073709551615", "83f7edcd-94f5-5bea-9fc2-7dc1ff3dda61"], // 2^64 - 1
];

const FIXTURES = new URL(
  "../../tests/testdata/leger-run-rendered/",
  import.meta.url,
);

Deno.test("deriveUserUuid() matches independently computed vectors", async () => {
  for (const [userId, expected] of VECTORS) {
    strictEqual(await deriveUserUuid(userId), expected, userId);
  }
});

Deno.test("deriveUserUuid() gives the user_uuid of leger.run's rendered manifests for user 9007199254740993", async () => {
  for (const version of ["v1", "v2"]) {
    const manifest = JSON.parse(
      await Deno.readTextFile(new URL(`${version}/manifest.json`, FIXTURES)),
    );
    strictEqual(
      await deriveUserUuid("9007199254740993"),
      manifest.user_uuid,
      version,
    );
  }
});

Deno.test("deriveUserUuid() does not equal the UUID of the float-rounded id when the id is above 2^53", async () => {
  // JSON.parse("9007199254740993") is 9007199254740992: the digits must survive.
  strictEqual(
    (await deriveUserUuid("9007199254740993")) ===
      (await deriveUserUuid("9007199254740992")),
    false,
  );
});

Deno.test("deriveUserUuid() rejects an id that is not a decimal integer", async () => {
  for (
    const userId of ["", "9.007199254740992e15", "-1", " 1", "0x10", "uid-123"]
  ) {
    await rejects(deriveUserUuid(userId), {
      name: "SyntaxError",
      message:
        /Cannot derive a user UUID from Tailscale user id .*: expected a decimal integer/,
    });
  }
});
