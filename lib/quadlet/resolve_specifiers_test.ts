import { strictEqual } from "node:assert/strict";
import { resolveSpecifiers } from "./resolve_specifiers.ts";

Deno.test("resolveSpecifiers() resolves systemd's specifiers for an instance, a plain service and none", () => {
  for (
    const [text, service, expected] of [
      ["127.0.0.1:2317%i", "worker@1.service", "127.0.0.1:23171"],
      [
        "%I|%P|%n|%N|%%",
        "a-b@x-y.service",
        "x/y|a/b|a-b@x-y.service|a-b@x-y|%",
      ],
      ["80%i", "web.service", "80"],
      ["%z%", "web.service", "%z%"],
      ["8080", "worker@1.service", "8080"],
    ] as const
  ) strictEqual(resolveSpecifiers(text, service), expected, text);
});
