import { rejects, strictEqual } from "node:assert/strict";
import { uuidV5 } from "./uuid_v5.ts";

const DNS = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
const URL_NAMESPACE = "6ba7b811-9dad-11d1-80b4-00c04fd430c8";

// Computed independently when this test was written, with Python's uuid module:
//   python3 -c "import uuid; print(uuid.uuid5(uuid.UUID(NAMESPACE), NAME))"
const VECTORS: readonly [name: string, namespace: string, uuid: string][] = [
  ["www.example.com", DNS, "2ed6657d-e927-568b-95e1-2665a8aea6a2"],
  ["python.org", DNS, "886313e1-3b8a-5372-9b90-0c9aee199e5d"],
  ["", DNS, "4ebd0208-8328-5d69-8c44-ec50939c0967"],
  ["http://python.org/", URL_NAMESPACE, "4c565f0d-3f5a-5890-b41b-20cf47701c5e"],
  ["é", DNS, "ebfe0af8-3997-5ade-b634-ba92cf69f557"],
];

Deno.test("uuidV5() matches independently computed vectors", async () => {
  for (const [name, namespace, expected] of VECTORS) {
    strictEqual(await uuidV5(name, namespace), expected, name);
  }
});

Deno.test("uuidV5() accepts an uppercase namespace", async () => {
  strictEqual(
    await uuidV5("www.example.com", DNS.toUpperCase()),
    "2ed6657d-e927-568b-95e1-2665a8aea6a2",
  );
});

Deno.test("uuidV5() rejects a namespace that is not a UUID", async () => {
  for (
    const namespace of [
      "",
      "6ba7b810",
      "6ba7b8109dad11d180b400c04fd430c8",
      "zzzzzzzz-9dad-11d1-80b4-00c04fd430c8",
    ]
  ) {
    await rejects(uuidV5("x", namespace), {
      name: "SyntaxError",
      message: /Cannot compute a UUIDv5 in namespace .*: it is not a UUID/,
    });
  }
});
