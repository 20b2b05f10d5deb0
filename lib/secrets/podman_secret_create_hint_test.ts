import { ok, strictEqual } from "node:assert/strict";
import { podmanSecretCreateHint } from "./podman_secret_create_hint.ts";

Deno.test("podmanSecretCreateHint() reads the value from stdin or a file, never from the command line", () => {
  const hint = podmanSecretCreateHint("db.pass");
  strictEqual(
    hint,
    "`podman secret create db.pass -` (type the value, then Ctrl-D) or `podman secret create db.pass FILE`",
  );
  ok(!/printf|echo|VALUE \|/.test(hint));
});

Deno.test("podmanSecretCreateHint() quotes a name the shell would split", () => {
  strictEqual(
    podmanSecretCreateHint("it's mine"),
    "`podman secret create 'it'\\''s mine' -` (type the value, then Ctrl-D) or `podman secret create 'it'\\''s mine' FILE`",
  );
});
