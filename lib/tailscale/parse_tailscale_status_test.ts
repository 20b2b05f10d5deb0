import { deepStrictEqual, strictEqual, throws } from "node:assert/strict";
import { parseTailscaleStatus } from "./parse_tailscale_status.ts";

const FAKES = new URL("../../tests/fakes/tailscale/", import.meta.url);

function recorded(name: string): string {
  return Deno.readTextFileSync(new URL(`${name}.json`, FAKES));
}

Deno.test("parseTailscaleStatus() reads the backend state of every recorded document", () => {
  const cases: [
    file: string,
    state: string,
    userId: string | undefined,
    tailnet: string | null,
  ][] = [
    ["running", "Running", "9007199254740993", "alice@github"],
    ["needs_login", "NeedsLogin", "0", null],
    [
      "needs_machine_auth",
      "NeedsMachineAuth",
      "9007199254740993",
      "alice@github",
    ],
    ["stopped", "Stopped", "9007199254740993", "alice@github"],
    ["starting", "Starting", "9007199254740993", "alice@github"],
    ["no_state", "NoState", "0", null],
  ];
  for (const [file, state, userId, tailnet] of cases) {
    const status = parseTailscaleStatus(recorded(file));
    strictEqual(status.backendState, state, file);
    strictEqual(status.self?.userId, userId, file);
    strictEqual(status.tailnet, tailnet, file);
    strictEqual(status.version, "1.78.1-t6f8d1b3a2-g0c8f3b1e4", file);
  }
});

Deno.test("parseTailscaleStatus() keeps every digit of a user id above 2^53", () => {
  const status = parseTailscaleStatus(recorded("running"));
  strictEqual(status.self?.userId, "9007199254740993");
  deepStrictEqual(Object.keys(status.users).sort(), [
    "9007199254740992",
    "9007199254740993",
  ]);
  strictEqual(status.users["9007199254740993"].id, "9007199254740993");
  strictEqual(status.users["9007199254740993"].loginName, "alice@github");
  // What a float would have made of it: the neighbour's account.
  strictEqual(JSON.parse(recorded("running")).Self.UserID, 9007199254740992);
});

Deno.test("parseTailscaleStatus() reads Self, CurrentTailnet and AuthURL", () => {
  const status = parseTailscaleStatus(recorded("running"));
  deepStrictEqual(status.self, {
    id: "nQ4dkbTD3221CNTRL",
    hostName: "workstation",
    dnsName: "workstation.tail4b2c1d.ts.net.",
    userId: "9007199254740993",
    tailscaleIps: ["100.101.102.103", "fd7a:115c:a1e0::9a01:6667"],
    online: true,
  });
  strictEqual(status.magicDnsSuffix, "tail4b2c1d.ts.net");
  strictEqual(
    parseTailscaleStatus(recorded("needs_login")).authUrl,
    "https://login.tailscale.com/a/5e3b9c1d2a7f4",
  );
});

Deno.test("parseTailscaleStatus() tolerates null Self, User, TailscaleIPs and CurrentTailnet", () => {
  const status = parseTailscaleStatus(
    '{"BackendState":"NoState","Self":null,"User":null,"CurrentTailnet":null,"Health":null}',
  );
  deepStrictEqual(status, {
    version: "",
    backendState: "NoState",
    authUrl: "",
    health: [],
    self: null,
    users: {},
    tailnet: null,
    magicDnsSuffix: null,
  });
});

Deno.test("parseTailscaleStatus() rejects text that is not a status document", () => {
  throws(() => parseTailscaleStatus("failed to connect"), {
    name: "SyntaxError",
  });
  for (const text of ["{}", "[]", "null", '{"BackendState": 3}']) {
    throws(() => parseTailscaleStatus(text), {
      name: "TypeError",
      message:
        /Cannot read the Tailscale status: the document has no BackendState/,
    });
  }
});
