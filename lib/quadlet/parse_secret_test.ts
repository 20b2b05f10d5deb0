import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
import { parseSecret } from "./parse_secret.ts";
import type { SecretRef } from "./types.ts";

type Parsed = Pick<SecretRef, "name" | "type" | "target" | "podmanSecret">;

const RUN_SECRETS: ReadonlyArray<[string, Parsed]> = [
  // The forms of Podman's test corpus (secrets.container).
  ["mysecret", {
    name: "mysecret",
    type: "mount",
    target: null,
    podmanSecret: true,
  }],
  ["source=mysecret,type=env,target=MYSECRET", {
    name: "mysecret",
    type: "env",
    target: "MYSECRET",
    podmanSecret: true,
  }],
  ["source=mysecret,type=mount,uid=1000,gid=1001,mode=777", {
    name: "mysecret",
    type: "mount",
    target: null,
    podmanSecret: true,
  }],
  // NAME,OPTION=… and the defaults.
  ["api_key,type=env,target=API_KEY", {
    name: "api_key",
    type: "env",
    target: "API_KEY",
    podmanSecret: true,
  }],
  ["api_key,type=env", {
    name: "api_key",
    type: "env",
    target: null,
    podmanSecret: true,
  }],
  ["tls,target=/etc/tls/key.pem", {
    name: "tls",
    type: "mount",
    target: "/etc/tls/key.pem",
    podmanSecret: true,
  }],
  ["tls,mode=0400,UID=1,GID=2", {
    name: "tls",
    type: "mount",
    target: null,
    podmanSecret: true,
  }],
  ["target=/x,source=s", {
    name: "s",
    type: "mount",
    target: "/x",
    podmanSecret: true,
  }],
  // source= after a positional name wins, as in Podman.
  ["first,source=second", {
    name: "second",
    type: "mount",
    target: null,
    podmanSecret: true,
  }],
];

Deno.test("parseSecret() reads Secret= in the forms podman run accepts", () => {
  for (const [value, expected] of RUN_SECRETS) {
    assertEquals(
      parseSecret(value, { file: "web.container", line: 3 }),
      { ...expected, spec: value, line: 3, file: "web.container" },
      value,
    );
  }
});

const BUILD_SECRETS: ReadonlyArray<[string, Parsed]> = [
  ["id=mysecret,src=mysecret.txt", {
    name: "mysecret",
    type: "mount",
    target: null,
    podmanSecret: false,
  }],
  ["id=token,type=env,env=GH_TOKEN", {
    name: "token",
    type: "env",
    target: null,
    podmanSecret: false,
  }],
  ["id=k,source=/run/k,type=file", {
    name: "k",
    type: "mount",
    target: null,
    podmanSecret: false,
  }],
  ["mysecret", {
    name: "mysecret",
    type: "mount",
    target: null,
    podmanSecret: false,
  }],
  ["src=key.pem", {
    name: "key.pem",
    type: "mount",
    target: null,
    podmanSecret: false,
  }],
];

Deno.test("parseSecret() reads build secrets of .build units", () => {
  for (const [value, expected] of BUILD_SECRETS) {
    assertEquals(
      parseSecret(value, { build: true }),
      { ...expected, spec: value, line: 0, file: "" },
      value,
    );
  }
});

const INVALID: ReadonlyArray<[string, RegExp, boolean]> = [
  ["", /the name is empty/, false],
  ["a,b", /option "b" must be in form option=value/, false],
  ["type=env,target=X", /names no secret/, false],
  ["s,type=file", /type must be mount or env: current value is "file"/, false],
  ["s,type=env,type=env", /more than one type/, false],
  ["s,type=env,uid=1", /cannot be set for type env/, false],
  ["s,mode=999", /mode must be an octal number/, false],
  ["s,uid=-1", /uid must be a number/, false],
  ["s,colour=red", /option "colour=red" is not known/, false],
  ["id=k,type=socket", /type must be file or env/, true],
  ["id=k,when=now", /option "when=now" is not known/, true],
  ["type=file", /sets no id/, true],
];

Deno.test("parseSecret() rejects values podman cannot use", () => {
  for (const [value, message, build] of INVALID) {
    throws(() => parseSecret(value, { build }), {
      name: "SyntaxError",
      message,
    }, value);
  }
});
