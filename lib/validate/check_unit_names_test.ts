import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { checkUnitNames } from "./check_unit_names.ts";

const LETTERS = "abcdefghijklmnopqrstuvwxyz";
/** A name of `length` ASCII characters. */
function long(length: number): string {
  return LETTERS.repeat(Math.ceil(length / LETTERS.length)).slice(0, length);
}

Deno.test("checkUnitNames() accepts the names systemd accepts", async (t) => {
  const names = [
    "web.container",
    "a.container",
    "web.network.container",
    "data.volume.volume",
    "My_App-2:x.pod",
    "back\\slash.kube",
    "app@.container",
    "app@blue.container",
    "app@blue.v2.volume",
    "app@.network",
    "x.image",
    "x.build",
    "x.artifact",
    `${long(245)}.container`, // 255 bytes; its service has 253
    `${long(240)}.volume`, // its service x-volume.service has 255 bytes
    `${long(239)}@.volume`, // its service x-volume@.service has 255 bytes
  ];
  for (const name of names) {
    await t.step(name.length > 40 ? `${name.length} bytes` : name, () => {
      deepStrictEqual(checkUnitNames([name]), []);
    });
  }
});

Deno.test("checkUnitNames() refuses the names systemd or leger would refuse", async (t) => {
  const cases: {
    name: string;
    file: string;
    /** How the message shows a long name: its start, "…" and its extension. */
    shown?: string;
    rule: string;
    remedy: string;
  }[] = [
    {
      name: "space",
      file: "my web.container",
      rule:
        'systemd allows only ASCII letters, digits and : - _ . \\ @ (found " " at position 3)',
      remedy:
        'Rename the file, for example to "my-web.container", and the references to it',
    },
    {
      name: "non-ASCII letter",
      file: "wéb.container",
      rule:
        'systemd allows only ASCII letters, digits and : - _ . \\ @ (found "é" at position 2)',
      remedy:
        'Rename the file, for example to "web.container", and the references to it',
    },
    {
      name: "non-ASCII script",
      file: "网站.volume",
      rule:
        'systemd allows only ASCII letters, digits and : - _ . \\ @ (found "网" at position 1)',
      remedy:
        'Rename the file, for example to "app.volume", and the references to it',
    },
    {
      name: "tab",
      file: "a\tb.network",
      rule:
        'systemd allows only ASCII letters, digits and : - _ . \\ @ (found "\\t" at position 2)',
      remedy:
        'Rename the file, for example to "a-b.network", and the references to it',
    },
    {
      name: "percent",
      file: "50%.container",
      rule:
        'systemd allows only ASCII letters, digits and : - _ . \\ @ (found "%" at position 3)',
      remedy:
        'Rename the file, for example to "50-.container", and the references to it',
    },
    {
      name: "empty stem",
      file: ".container",
      rule: 'systemd needs a name before ".container" (found none)',
      remedy:
        'Rename the file, for example to "app.container", and the references to it',
    },
    {
      name: "leading dash",
      file: "-web.container",
      rule:
        'leger refuses a leading "-", which systemctl and podman would read as an option',
      remedy:
        'Rename the file, for example to "web.container", and the references to it',
    },
    {
      name: "option lookalike",
      file: "--help.pod",
      rule:
        'leger refuses a leading "-", which systemctl and podman would read as an option',
      remedy:
        'Rename the file, for example to "help.pod", and the references to it',
    },
    {
      name: "template without a name",
      file: "@.container",
      rule: 'systemd needs a name before "@" (found "@" at position 1)',
      remedy:
        'Rename the file, for example to "app.container", and the references to it',
    },
    {
      name: "instance without a name",
      file: "@blue.container",
      rule: 'systemd needs a name before "@" (found "@" at position 1)',
      remedy:
        'Rename the file, for example to "blue.container", and the references to it',
    },
    {
      name: "two @",
      file: "app@blue@green.container",
      rule:
        `leger allows one "@", between a template's name and its instance (found another "@" at position 9)`,
      remedy:
        'Rename the file, for example to "app@blue-green.container", and the references to it',
    },
    {
      name: "template with two @",
      file: "app@@.container",
      rule:
        `leger allows one "@", between a template's name and its instance (found another "@" at position 5)`,
      remedy:
        'Rename the file, for example to "app@-.container", and the references to it',
    },
    {
      name: "256 bytes",
      file: `${long(246)}.container`,
      shown: `${long(50)}….container`,
      rule: "systemd allows at most 255 bytes (found 256)",
      remedy: `Rename the file, for example to "${
        long(50)
      }….container", and the references to it`,
    },
    {
      name: "a non-ASCII letter in a long name",
      file: `${long(244)}é.container`,
      shown: `${long(50)}….container`,
      rule:
        'systemd allows only ASCII letters, digits and : - _ . \\ @ (found "é" at position 245)',
      remedy: `Rename the file, for example to "${
        long(50)
      }….container", and the references to it`,
    },
    {
      name: "service of 256 bytes",
      file: `${long(241)}.volume`,
      shown: `${long(53)}….volume`,
      rule: `Podman names its service "${
        long(52)
      }….service", and systemd allows at most 255 bytes (found 256)`,
      remedy: `Rename the file, for example to "${
        long(53)
      }….volume", and the references to it`,
    },
    {
      name: "template service of 256 bytes",
      file: `${long(239)}@.network`,
      shown: `${long(52)}….network`,
      rule: `Podman names its service "${
        long(52)
      }….service", and systemd allows at most 255 bytes (found 256)`,
      remedy: `Rename the file, for example to "${
        long(52)
      }….network", and the references to it`,
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      deepStrictEqual(checkUnitNames([c.file]), [{
        code: "ERR_UNIT_NAME_INVALID",
        message: `Cannot use ${
          JSON.stringify(c.shown ?? c.file)
        } as a unit name: ${c.rule}`,
        file: c.file,
        remedy: c.remedy,
      }]);
    });
  }
});

Deno.test("checkUnitNames() checks the unit files and drop-in folders a deployment holds", async (t) => {
  const cases: { name: string; files: string[]; expected: string[][] }[] = [
    {
      name: "only quadlet units are unit names",
      files: ["my web.env", "config/my site.conf", "notes about it.md"],
      expected: [],
    },
    {
      name: "a unit in a subfolder is named by its base name",
      files: ["extra/my web.container"],
      expected: [[
        "extra/my web.container",
        'Cannot use "my web.container" as a unit name: systemd allows only ASCII letters, digits and : - _ . \\ @ (found " " at position 3)',
      ]],
    },
    {
      name: "a drop-in folder named after an invalid unit",
      files: [
        "my web.container",
        "my web.container.d/10-a.conf",
        "my web.container.d/20-b.conf",
      ],
      expected: [
        [
          "my web.container",
          'Cannot use "my web.container" as a unit name: systemd allows only ASCII letters, digits and : - _ . \\ @ (found " " at position 3)',
        ],
        [
          "my web.container.d",
          'Cannot use "my web.container.d" as a drop-in folder: it names no valid unit, since systemd allows only ASCII letters, digits and : - _ . \\ @ (found " " at position 3)',
        ],
      ],
    },
    {
      name: "the files inside a drop-in folder are no units",
      files: ["web.container.d/my file.container", "container.d/x y.conf"],
      expected: [],
    },
    {
      name: "type-wide, prefix and template drop-in folders",
      files: [
        "container.d/10-a.conf",
        "foo-.container.d/10-a.conf",
        "foo-@.container.d/10-a.conf",
        "app@.volume.d/10-a.conf",
        "sub/web.container.d/10-a.conf",
      ],
      expected: [],
    },
    {
      name: "a drop-in folder with a leading dash",
      files: ["-web.container.d/10-a.conf"],
      expected: [[
        "-web.container.d",
        'Cannot use "-web.container.d" as a drop-in folder: it names no valid unit, since leger refuses a leading "-", which systemctl and podman would read as an option',
      ]],
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      deepStrictEqual(
        checkUnitNames(c.files).map((f) => [f.file, f.message]),
        c.expected,
      );
    });
  }
});

Deno.test("checkUnitNames() suggests a folder name with the unit it belongs to", () => {
  const [finding] = checkUnitNames(["wéb.container.d/10-a.conf"]);
  strictEqual(
    finding.remedy,
    'Rename the folder, for example to "web.container.d", with the unit it belongs to',
  );
});
