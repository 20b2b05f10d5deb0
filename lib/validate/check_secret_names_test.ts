import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { checkSecretNames } from "./check_secret_names.ts";
import { parseUnit } from "../unit/parse_unit.ts";
import { toQuadletUnit } from "../quadlet/to_quadlet_unit.ts";

function quadlet(file: string, lines: string[]) {
  return toQuadletUnit(parseUnit(lines.join("\n") + "\n", { file }));
}

Deno.test("checkSecretNames() warns of each Secret= whose name leger.run cannot hold, at its file and line", () => {
  const web = quadlet("web.container", [
    "[Container]",
    "Image=busybox",
    "Secret=api_token,type=env,target=API_TOKEN",
    "Secret=db.pass,type=env,target=DB_PASS",
    "Secret=selections",
  ]);
  const findings = checkSecretNames([web]);
  deepStrictEqual(
    findings.map((f) => [f.code, f.severity, f.file, f.line]),
    [
      ["ERR_SECRET_NAME_INVALID", "warning", "web.container", 4],
      ["ERR_SECRET_NAME_INVALID", "warning", "web.container", 5],
    ],
  );
  strictEqual(
    findings[0].message,
    'Cannot keep secret "db.pass" in leger.run: "." is not allowed, so legerd cannot create it in Podman and `leger secrets set` refuses the name',
  );
  strictEqual(
    findings[0].remedy,
    'Rename the secret (here and in leger.run) to 1 to 64 ASCII letters, digits, ":", "_" or "-", or create it in Podman by hand with `podman secret create db.pass -` (type the value, then Ctrl-D) or `podman secret create db.pass FILE`: legerd then leaves it alone and reports it unmanaged',
  );
  strictEqual(
    findings[1].message,
    'Cannot keep secret "selections" in leger.run: leger.run reserves it for its own routes, so legerd cannot create it in Podman and `leger secrets set` refuses the name',
  );
  ok(findings[1].remedy?.includes("to one leger.run does not reserve"));
  for (const finding of findings) {
    ok(!finding.remedy?.includes("leger secrets set"), finding.remedy);
  }
});

Deno.test("checkSecretNames() says nothing of names leger.run holds, nor of build secrets", () => {
  const build = quadlet("app.build", [
    "[Build]",
    "ImageTag=localhost/app",
    "SetWorkingDirectory=unit",
    "Secret=id=npm.rc,src=/home/u/.npmrc",
  ]);
  const web = quadlet("web.container", [
    "[Container]",
    "Image=busybox",
    "Secret=ns:API-token_2",
  ]);
  deepStrictEqual(checkSecretNames([build, web]), []);
});
