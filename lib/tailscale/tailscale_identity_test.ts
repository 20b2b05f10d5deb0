import { deepStrictEqual, throws } from "node:assert/strict";
import { tailscaleIdentity } from "./tailscale_identity.ts";
import {
  parseTailscaleStatus,
  type TailscaleStatus,
} from "./parse_tailscale_status.ts";

const FAKES = new URL("../../tests/fakes/tailscale/", import.meta.url);

function recorded(name: string): TailscaleStatus {
  return parseTailscaleStatus(
    Deno.readTextFileSync(new URL(`${name}.json`, FAKES)),
  );
}

Deno.test("tailscaleIdentity() takes the contract's fields from a running node", () => {
  deepStrictEqual(tailscaleIdentity(recorded("running")), {
    userId: "9007199254740993",
    loginName: "alice@github",
    deviceId: "100.101.102.103",
    deviceHostname: "workstation",
    tailnet: "alice@github",
  });
});

Deno.test("tailscaleIdentity() throws the state's error when the node is not running", () => {
  const cases: [string, string][] = [
    ["needs_login", "ERR_TAILSCALE_NOT_AUTHENTICATED"],
    ["needs_machine_auth", "ERR_TAILSCALE_NOT_AUTHENTICATED"],
    ["stopped", "ERR_TAILSCALE_NOT_RUNNING"],
    ["starting", "ERR_TAILSCALE_NOT_RUNNING"],
    ["no_state", "ERR_TAILSCALE_NOT_RUNNING"],
  ];
  for (const [file, code] of cases) {
    throws(
      () =>
        tailscaleIdentity(recorded(file), { action: "log in to leger.run" }),
      {
        name: "LegerError",
        code,
        message: /^Cannot log in to leger\.run: /,
      },
    );
  }
});

Deno.test("tailscaleIdentity() throws when a running node lacks a field the contract needs", () => {
  const running = recorded("running");
  const self = running.self!;
  const cases: [string, TailscaleStatus, RegExp][] = [
    ["no Self", { ...running, self: null }, /reports no user for this machine/],
    [
      "user 0",
      { ...running, self: { ...self, userId: "0" } },
      /reports no user/,
    ],
    [
      "no profile",
      { ...running, users: {} },
      /no login name \(user 9007199254740993\)/,
    ],
    ["no tailnet", { ...running, tailnet: null }, /no tailnet/],
    [
      "no address",
      { ...running, self: { ...self, tailscaleIps: [] } },
      /no Tailscale address/,
    ],
  ];
  for (const [name, status, message] of cases) {
    throws(() => tailscaleIdentity(status), {
      name: "LegerError",
      code: "ERR_TAILSCALE_NOT_AUTHENTICATED",
      message,
    }, name);
  }
});
