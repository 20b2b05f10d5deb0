import { deepStrictEqual } from "node:assert/strict";
import { checkUnknownKeys } from "./check_unknown_keys.ts";
import { parseUnit } from "../unit/parse_unit.ts";
import { mergeDropIns } from "../unit/drop_ins.ts";
import type { QuadletKind } from "../quadlet/types.ts";

function check(text: string, file: string, kind: QuadletKind) {
  return checkUnknownKeys(parseUnit(text, { file }), kind);
}

Deno.test("checkUnknownKeys() reports a key Podman does not know, with the closest key", () => {
  const findings = check(
    "[Unit]\nDescription=x\n[Container]\nImage=nginx\nPublishPorts=80:80\n",
    "web.container",
    "container",
  );
  deepStrictEqual(findings, [{
    code: "ERR_UNIT_UNKNOWN_KEY",
    message:
      'Cannot use key "PublishPorts" in [Container] of "web.container" at line 5: Podman\'s quadlet generator does not know it and rejects "web.container"',
    file: "web.container",
    line: 5,
    remedy: "Did you mean `PublishPort`?",
  }]);
});

Deno.test("checkUnknownKeys() suggests a remedy that fits the key", async (t) => {
  const cases = [
    {
      name: "case differs",
      text: "[Container]\nimage=x\n",
      kind: "container",
      remedy: "Did you mean `Image`?",
    },
    {
      name: "key of another kind",
      text: "[Volume]\nPublishPort=80\n",
      kind: "volume",
      remedy:
        "Remove it: PublishPort= belongs to [Container], [Pod], [Kube], not [Volume]",
    },
    {
      name: "nothing close",
      text: "[Container]\nRestartPolicy=always\n",
      kind: "container",
      remedy: "Remove it, or pass the option to podman with PodmanArgs=",
    },
    {
      name: "[Quadlet]",
      text: "[Quadlet]\nVersion=2\n",
      kind: "container",
      remedy: "Remove it: [Quadlet] only takes DefaultDependencies=",
    },
    {
      name: "[Quadlet] typo",
      text: "[Quadlet]\nDefaultDependency=false\n",
      kind: "volume",
      remedy: "Did you mean `DefaultDependencies`?",
    },
  ] as const;
  for (const c of cases) {
    await t.step(c.name, () => {
      const findings = check(c.text, "x." + c.kind, c.kind);
      deepStrictEqual(findings.map((f) => f.remedy), [c.remedy]);
    });
  }
});

Deno.test("checkUnknownKeys() reports each unknown key once", () => {
  const findings = check(
    "[Container]\nImage=x\nFoo=1\nFoo=2\nBar=3\n",
    "web.container",
    "container",
  );
  deepStrictEqual(findings.map((f) => [f.line, f.message.slice(0, 26)]), [
    [3, 'Cannot use key "Foo" in [C'],
    [5, 'Cannot use key "Bar" in [C'],
  ]);
});

Deno.test("checkUnknownKeys() leaves systemd's sections and X- sections to systemd", () => {
  const text =
    "[Unit]\nFoo=1\n[Service]\nRestart=always\n[Install]\nWantedBy=default.target\n[X-Notes]\nA=b\n[Container]\nImage=x\n";
  deepStrictEqual(check(text, "web.container", "container"), []);
});

Deno.test("checkUnknownKeys() warns about a section of another kind", () => {
  const findings = check(
    "[Volume]\n[Container]\nImage=x\n",
    "data.volume",
    "volume",
  );
  deepStrictEqual(findings, [{
    code: "ERR_UNIT_UNKNOWN_KEY",
    message:
      'Section [Container] of "data.volume" at line 2 has no effect: Podman reads only [Volume] in "data.volume", and systemd ignores [Container]',
    file: "data.volume",
    line: 2,
    remedy: "Move its keys to [Volume], or the unit they belong to",
    severity: "warning",
  }]);
});

Deno.test("checkUnknownKeys() warns about a section no one reads", () => {
  const findings = check(
    "[Containr]\nImage=x\n[Timer]\nOnCalendar=daily\n",
    "web.container",
    "container",
  );
  deepStrictEqual(findings.map((f) => [f.line, f.severity, f.remedy]), [
    [1, "warning", "Did you mean [Container]?"],
    [3, "warning", "Remove it, or name it [X-Timer] to keep it as a note"],
  ]);
});

Deno.test("checkUnknownKeys() points at the drop-in that holds the unknown key", () => {
  const unit = parseUnit("[Container]\nImage=x\n", { file: "web.container" });
  const dropIn = parseUnit("[Container]\nMemroy=1g\n", {
    file: "web.container.d/10-limits.conf",
  });
  const findings = checkUnknownKeys(mergeDropIns(unit, [dropIn]), "container");
  deepStrictEqual(findings.map((f) => [f.file, f.line, f.remedy]), [
    ["web.container.d/10-limits.conf", 2, "Did you mean `Memory`?"],
  ]);
});
