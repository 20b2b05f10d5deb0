import { match, strictEqual } from "node:assert/strict";
import { checkSecretsDriver } from "./check_secrets_driver.ts";

Deno.test("checkSecretsDriver() says plainly that the file driver stores values unencrypted, 0600, and where", () => {
  const check = checkSecretsDriver({
    driver: "file",
    graphRoot: "/home/alice/.local/share/containers/storage",
    owner: "alice",
  });
  strictEqual(check.status, "warn");
  strictEqual(
    check.detail,
    "Podman's file driver stores secret values unencrypted, readable only by alice (mode 0600), in /home/alice/.local/share/containers/storage/secrets/filedriver/secretsdata.json: root, anyone who gets into alice's account, and any copy of that folder can read them.",
  );
  // What to do, as lines a shell takes (comments).
  for (const line of check.fix!.split("\n")) match(line, /^# /);
});

Deno.test("checkSecretsDriver() passes pass and shell, and warns of a driver Podman does not know", () => {
  strictEqual(
    checkSecretsDriver({ driver: "pass", graphRoot: "/s", owner: "a" }).status,
    "pass",
  );
  strictEqual(
    checkSecretsDriver({ driver: "shell", graphRoot: "/s", owner: "a" }).status,
    "pass",
  );
  const odd = checkSecretsDriver({
    driver: "vault",
    graphRoot: "/s",
    owner: "a",
  });
  strictEqual(odd.status, "warn");
  match(odd.detail, /"vault"/);
});
