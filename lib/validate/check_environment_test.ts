import { deepStrictEqual, match, strictEqual } from "node:assert/strict";
import { checkEnvironment } from "./check_environment.ts";
import { parseUnit } from "../unit/parse_unit.ts";
import type { QuadletKind } from "../quadlet/types.ts";

function check(text: string, kind: QuadletKind = "container") {
  return checkEnvironment(parseUnit(text, { file: `web.${kind}` }), kind);
}

Deno.test("checkEnvironment() warns where a value splits into more assignments than meant", async (t) => {
  const cases: {
    name: string;
    text: string;
    kind?: QuadletKind;
    line: number;
    remedy: string;
    effect: RegExp;
  }[] = [
    {
      name: "the issue's case, in [Container]",
      text:
        "[Container]\nImage=x\nEnvironment=EXTRA_FLAGS=--alpha=1 --beta=2\n",
      line: 3,
      remedy:
        'Quote each assignment: Environment="EXTRA_FLAGS=--alpha=1 --beta=2"',
      effect: /Podman passes "--beta=2" on as a variable of its own \(--env\)/,
    },
    {
      name: "in [Service], where systemd ignores the rest",
      text:
        "[Container]\nImage=x\n[Service]\nEnvironment=EXTRA_FLAGS=--alpha=1 --beta=2\n",
      line: 4,
      remedy:
        'Quote each assignment: Environment="EXTRA_FLAGS=--alpha=1 --beta=2"',
      effect: /systemd ignores "--beta=2" as an invalid assignment/,
    },
    {
      name: "a value with a space, then another assignment",
      text: "[Container]\nImage=x\nEnvironment=GREETING=hello world LANG=C\n",
      line: 3,
      remedy:
        'Quote each assignment: Environment="GREETING=hello world" LANG=C',
      effect: /Podman passes "world" on/,
    },
    {
      name: "several words after one assignment",
      text: "[Container]\nImage=x\nEnvironment=OPTS=-a -b -c\n",
      line: 3,
      remedy: 'Quote each assignment: Environment="OPTS=-a -b -c"',
      effect: /Podman passes "-b", "-c" on as variables of their own/,
    },
    {
      name: "a quote inside the value",
      text: `[Build]\nImageTag=x\nEnvironment=MSG=say "hi there"\n`,
      kind: "build",
      line: 3,
      remedy: 'Quote each assignment: Environment="MSG=say hi there"',
      effect: /Podman passes "hi there" on/,
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      const findings = check(c.text, c.kind);
      strictEqual(findings.length, 1, JSON.stringify(findings));
      const [finding] = findings;
      strictEqual(finding.code, "ERR_UNIT_INVALID_VALUE");
      strictEqual(finding.severity, "warning");
      strictEqual(finding.line, c.line);
      strictEqual(finding.remedy, c.remedy);
      match(finding.message, c.effect);
    });
  }
});

Deno.test("checkEnvironment() leaves assignments that mean what they say", () => {
  deepStrictEqual(
    check(
      [
        "[Container]",
        "Image=x",
        "Environment=A=1 B=2",
        'Environment="EXTRA_FLAGS=--alpha=1 --beta=2"',
        "Environment='MSG=hello world' C=3",
        // Podman passes FOO5 from the host's environment (its own test units do).
        "Environment=REPLACE=replaced FOO5",
        "Environment=FOO5",
        "Environment=",
        "[Service]",
        "Environment=PORT=8080",
        "[X-Other]",
        "Environment=not a b c",
        "",
      ].join("\n"),
    ),
    [],
  );
});

Deno.test("checkEnvironment() points at the drop-in that holds the line", () => {
  const unit = parseUnit("[Container]\nImage=x\n", { file: "web.container" });
  const dropIn = parseUnit("[Service]\nEnvironment=A=1 two\n", {
    file: "web.container.d/10-env.conf",
  });
  unit.sections.push({ ...dropIn.sections[0] });
  deepStrictEqual(
    checkEnvironment(unit, "container").map((f) => [f.file, f.line]),
    [["web.container.d/10-env.conf", 2]],
  );
});
