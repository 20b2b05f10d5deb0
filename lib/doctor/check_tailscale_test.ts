import { deepStrictEqual, match, strictEqual } from "node:assert/strict";
import { LegerError } from "../errors/leger_error.ts";
import { checkTailscale } from "./check_tailscale.ts";

const IDENTITY = {
  userId: "9007199254740993",
  loginName: "alice@github",
  deviceId: "100.101.102.103",
  deviceHostname: "workstation",
  tailnet: "alice@github",
};

Deno.test("checkTailscale() passes with the identity", () => {
  const check = checkTailscale({ identity: IDENTITY, needed: true });
  deepStrictEqual([check.status, check.title], [
    "pass",
    "Tailscale: alice@github on alice@github (workstation)",
  ]);
});

Deno.test("checkTailscale() fails only when leger.run is in use, with the commands of the error's remedy", () => {
  const notInstalled = new LegerError(
    "ERR_TAILSCALE_NOT_INSTALLED",
    'Cannot read the Tailscale status: Tailscale is not installed (no "tailscale" in PATH and no tailscaled socket at /run/tailscale/tailscaled.sock)',
    {
      remedy:
        "Install it with `curl -fsSL https://tailscale.com/install.sh | sh` (see https://tailscale.com/download/linux), then run `sudo tailscale up`",
    },
  );
  const local = checkTailscale({ identity: notInstalled, needed: false });
  deepStrictEqual([local.status, local.title], [
    "warn",
    "Tailscale is not installed",
  ]);
  strictEqual(
    local.fix,
    "curl -fsSL https://tailscale.com/install.sh | sh\nsudo tailscale up",
  );
  match(local.detail, /^Tailscale is not installed \(no "tailscale" in PATH/);
  strictEqual(
    checkTailscale({ identity: notInstalled, needed: true }).status,
    "fail",
  );
  // The retry of `leger auth status` is left out: doctor is run again.
  const loggedOut = checkTailscale({
    identity: new LegerError(
      "ERR_TAILSCALE_NOT_AUTHENTICATED",
      'Cannot read the Tailscale status: Tailscale is logged out on this machine (state "NeedsLogin")',
      {
        remedy: "Run `sudo tailscale up`, then `leger auth status` again",
        details: ["Log in at: https://login.tailscale.com/a/1"],
      },
    ),
    needed: true,
  });
  deepStrictEqual([loggedOut.title, loggedOut.fix], [
    "Tailscale is not logged in",
    "sudo tailscale up",
  ]);
  match(loggedOut.detail, /Log in at: https:\/\/login.tailscale.com\/a\/1/);
});

Deno.test("checkTailscale() does not need Tailscale for a leger.run at a loopback address", () => {
  const down = new LegerError(
    "ERR_TAILSCALE_NOT_RUNNING",
    "Cannot read the Tailscale status: tailscaled is not running",
    { remedy: "Run `sudo systemctl start tailscaled`" },
  );
  for (const apiUrl of ["http://127.0.0.1:8787", "http://localhost:9/api"]) {
    const check = checkTailscale({ identity: down, needed: true, apiUrl });
    strictEqual(check.status, "warn", apiUrl);
    match(check.detail, /on this machine: it is reached without Tailscale/);
  }
  const remote = checkTailscale({
    identity: down,
    needed: true,
    apiUrl: "https://api.leger.run",
  });
  strictEqual(remote.status, "fail");
});
