import { deepStrictEqual, match, strictEqual } from "node:assert/strict";
import { checkControlCharacters } from "./check_control_characters.ts";
import { validateDeployment } from "./validate_deployment.ts";
import { parseUnit } from "../unit/parse_unit.ts";
import { mergeDropIns } from "../unit/drop_ins.ts";
import { toQuadletUnit } from "../quadlet/to_quadlet_unit.ts";

function check(text: string) {
  return checkControlCharacters(parseUnit(text, { file: "web.container" }));
}

Deno.test("checkControlCharacters() refuses a control character in a value, naming file and line", async (t) => {
  const cases: { name: string; line: string; what: RegExp; shown: string }[] = [
    {
      name: "a NUL byte",
      line: "Environment=A=x\u0000y",
      what:
        /a NUL byte \(U\+0000\) is in the value of Environment= at character 4/,
      shown: "^@",
    },
    {
      name: "SOH",
      line: "Label=a=b\u0001c",
      what: /a control character \(U\+0001\) is in the value of Label=/,
      shown: "^A",
    },
    {
      name: "an escape character",
      line: "Exec=sleep\u001b1",
      what: /an escape character \(U\+001B\)/,
      shown: "^[",
    },
    {
      name: "a carriage return inside the value",
      line: "Exec=sleep\r1",
      what: /a carriage return \(U\+000D\)/,
      shown: "^M",
    },
    {
      name: "DEL",
      line: "Exec=sleep\u007f1",
      what: /a DEL character \(U\+007F\)/,
      shown: "^?",
    },
    {
      name: "a control character in the key",
      line: "Ex\u0002ec=sleep",
      what: /is in the key "Ex\^Bec"/,
      shown: "^B",
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      const findings = check(`[Container]\nImage=busybox\n${c.line}\n`);
      strictEqual(findings.length, 1);
      const [finding] = findings;
      strictEqual(finding.code, "ERR_UNIT_INVALID_VALUE");
      strictEqual(finding.severity, undefined);
      strictEqual(finding.file, "web.container");
      strictEqual(finding.line, 3);
      match(finding.message, /^Cannot use line 3 of "web\.container": /);
      match(finding.message, c.what);
      strictEqual(finding.remedy!.includes(`shows it as ${c.shown})`), true);
    });
  }
});

Deno.test("checkControlCharacters() accepts tabs, escapes written as text, and Unicode", () => {
  deepStrictEqual(
    check(
      "[Container]\nImage=busybox\nExec=printf a\tb \\x1b \\000\nLabel=name=wéb 😀\n",
    ),
    [],
  );
});

Deno.test("checkControlCharacters() gives no escape to write for a NUL", () => {
  const [nul] = check("[Container]\nImage=busybox\nExec=a\u0000\n");
  strictEqual(nul.remedy!.includes("\\x00"), false);
  const [soh] = check("[Container]\nImage=busybox\nExec=a\u0001\n");
  match(soh.remedy!, /write it as \\x01 instead/);
});

Deno.test("validateDeployment() reports a control character of a shared drop-in once", () => {
  const dropIn = parseUnit("[Container]\nLabel=a=\u0001\n", {
    file: "container.d/10-common.conf",
  });
  const units = ["web.container", "db.container"].map((file) => {
    const unit = mergeDropIns(
      parseUnit("[Container]\nImage=busybox\n", { file }),
      [dropIn],
    );
    return { unit, quadlet: toQuadletUnit(unit) };
  });
  const findings = validateDeployment(units, {
    deploymentFiles: [
      "web.container",
      "db.container",
      "container.d/10-common.conf",
    ],
  }).filter((f) => f.code === "ERR_UNIT_INVALID_VALUE");
  deepStrictEqual(
    findings.map((f) => [f.file, f.line]),
    [["container.d/10-common.conf", 2]],
  );
});
