import {
  deepStrictEqual,
  notStrictEqual,
  strictEqual,
} from "node:assert/strict";
import {
  needsCorpus,
  PODMAN_FIXTURES,
  readPodmanFixtures,
} from "./_fixtures.ts";
import { dropInDirs, mergeDropIns, selectDropIns } from "./drop_ins.ts";
import { lookupAll, lookupLast } from "./lookup.ts";
import { parseUnit } from "./parse_unit.ts";
import type { UnitFile } from "./types.ts";

Deno.test("dropInDirs() lists Podman's drop-in folders, most specific first", () => {
  const cases: [string, string[]][] = [
    ["web.container", ["web.container.d", "container.d"]],
    ["foo-bar-baz.container", [
      "foo-bar-baz.container.d",
      "foo-bar-.container.d",
      "foo-.container.d",
      "container.d",
    ]],
    ["template@instance.container", [
      "template@instance.container.d",
      "template@.container.d",
      "container.d",
    ]],
    ["template@.container", ["template@.container.d", "container.d"]],
    ["data.volume", ["data.volume.d", "volume.d"]],
    ["sub/dir/web.container", ["web.container.d", "container.d"]],
    ["my.app.pod", ["my.app.pod.d", "pod.d"]],
    // Podman's own TestUnitDropinPaths_Search vectors.
    ["sample-unit.service", [
      "sample-unit.service.d",
      "sample-.service.d",
      "service.d",
    ]],
    ["sample-template-unit@.service", [
      "sample-template-unit@.service.d",
      "sample-template-@.service.d",
      "sample-template-.service.d",
      "sample-@.service.d",
      "sample-.service.d",
      "service.d",
    ]],
    ["sample-template-unit@base-instance.service", [
      "sample-template-unit@base-instance.service.d",
      "sample-template-unit@.service.d",
      "sample-template-@.service.d",
      "sample-template-.service.d",
      "sample-@.service.d",
      "sample-.service.d",
      "service.d",
    ]],
  ];
  for (const [unitFile, want] of cases) {
    deepStrictEqual(dropInDirs(unitFile), want, unitFile);
  }
});

async function fixturePaths(): Promise<string[]> {
  return (await readPodmanFixtures()).map((f) => f.path);
}

Deno.test(
  needsCorpus(
    "selectDropIns() picks the drop-ins of Podman's fixtures in merge order",
  ),
  async () => {
    const paths = await fixturePaths();
    const cases: [string, string[]][] = [
      ["merged.container", [
        "merged.container.d/10-first.conf",
        "merged.container.d/20-second.conf",
      ]],
      ["merged-override.container", [
        "merged-override.container.d/10-first.conf",
        "merged-override.container.d/20-second.conf",
      ]],
      ["template@instance.container", [
        "template@.container.d/10-env.conf",
        "template@instance.container.d/10-image.conf",
      ]],
      ["template@.container", ["template@.container.d/10-env.conf"]],
      ["template@other.container", ["template@.container.d/10-env.conf"]],
      ["basic.container", []],
    ];
    for (const [unitFile, want] of cases) {
      deepStrictEqual(selectDropIns(unitFile, paths), want, unitFile);
    }
  },
);

const SELECT_CASES: {
  name: string;
  unit: string;
  paths: string[];
  want: string[];
}[] = [
  {
    name: "a same-named file in a more specific folder wins",
    unit: "web.container",
    paths: [
      "container.d/10-a.conf",
      "web.container.d/10-a.conf",
      "container.d/05-z.conf",
    ],
    want: ["container.d/05-z.conf", "web.container.d/10-a.conf"],
  },
  {
    name: "files merge by name across folders",
    unit: "web.container",
    paths: [
      "web.container.d/30-c.conf",
      "container.d/20-b.conf",
      "web.container.d/10-a.conf",
    ],
    want: [
      "web.container.d/10-a.conf",
      "container.d/20-b.conf",
      "web.container.d/30-c.conf",
    ],
  },
  {
    name: "dash-truncated folders, longest prefix first",
    unit: "foo-bar-baz.container",
    paths: [
      "foo-.container.d/10.conf",
      "foo-.container.d/30.conf",
      "foo-bar-.container.d/10.conf",
      "foo-bar-.container.d/20.conf",
      "foo-bar-baz.container.d/20.conf",
      "container.d/05.conf",
      "foo-bar.container.d/40.conf",
      "bar-.container.d/50.conf",
    ],
    want: [
      "container.d/05.conf",
      "foo-bar-.container.d/10.conf",
      "foo-bar-baz.container.d/20.conf",
      "foo-.container.d/30.conf",
    ],
  },
  {
    name: "an instance reads its template's and the truncated template folders",
    unit: "foo-bar@blue.container",
    paths: [
      "foo-.container.d/10.conf",
      "foo-@.container.d/10.conf",
      "foo-bar@.container.d/20.conf",
      "foo-bar@blue.container.d/20.conf",
      "foo-bar@green.container.d/30.conf",
      "foo-bar@blu-.container.d/40.conf",
    ],
    want: ["foo-@.container.d/10.conf", "foo-bar@blue.container.d/20.conf"],
  },
  {
    name: "only *.conf files directly in the folder",
    unit: "web.container",
    paths: [
      "web.container.d/10.conf",
      "web.container.d/20.conf.bak",
      "web.container.d/README",
      "web.container.d/sub/30.conf",
      "web.container.d/.conf",
    ],
    want: ["web.container.d/.conf", "web.container.d/10.conf"],
  },
  {
    name: "other units' folders do not apply",
    unit: "web.container",
    paths: [
      "db.container.d/10.conf",
      "web.volume.d/10.conf",
      "volume.d/10.conf",
      "web.d/10.conf",
    ],
    want: [],
  },
  {
    name: "subfolders are unit folders too, read after the folder itself",
    unit: "web.container",
    paths: [
      "apps/web.container",
      "apps/web.container.d/10.conf",
      "apps/web.container.d/20.conf",
      "container.d/20.conf",
      "a/b/container.d/30.conf",
      "a-b/container.d/30.conf",
    ],
    want: [
      "apps/web.container.d/10.conf",
      "container.d/20.conf",
      "a/b/container.d/30.conf",
    ],
  },
  {
    name: "folders whose name ends in .d are not walked",
    unit: "web.container",
    paths: ["conf.d/web.container.d/10.conf", "x.d/y/container.d/20.conf"],
    want: [],
  },
  {
    name: "names sort by byte, upper case first",
    unit: "web.container",
    paths: [
      "web.container.d/b.conf",
      "web.container.d/B.conf",
      "web.container.d/a.conf",
    ],
    want: [
      "web.container.d/B.conf",
      "web.container.d/a.conf",
      "web.container.d/b.conf",
    ],
  },
];

Deno.test("selectDropIns() follows Podman's precedence and order", async (t) => {
  for (const { name, unit, paths, want } of SELECT_CASES) {
    await t.step(name, () => {
      deepStrictEqual(selectDropIns(unit, paths), want);
    });
  }
});

async function loadWithDropIns(unitFile: string): Promise<UnitFile> {
  const read = (path: string) =>
    Deno.readTextFile(new URL(path, PODMAN_FIXTURES));
  const unit = parseUnit(await read(unitFile), { file: unitFile });
  const dropIns = await Promise.all(
    selectDropIns(unitFile, await fixturePaths()).map(async (path) =>
      parseUnit(await read(path), { file: path })
    ),
  );
  return mergeDropIns(unit, dropIns);
}

Deno.test(
  needsCorpus("mergeDropIns() gives Podman's values for its drop-in fixtures"),
  async () => {
    const merged = await loadWithDropIns("merged.container");
    deepStrictEqual(
      lookupAll(merged, "Container", "Environment").map((
        e,
      ) => [e.value, e.file, e.line]),
      [
        ["MAIN=mainvalue", "merged.container", 8],
        ["FIRST=value", "merged.container.d/10-first.conf", 2],
        ["SECOND=othervalue", "merged.container.d/20-second.conf", 2],
      ],
    );

    const override = await loadWithDropIns("merged-override.container");
    deepStrictEqual(
      lookupAll(override, "Container", "Environment").map((
        e,
      ) => [e.value, e.file, e.line]),
      [["SECOND=othervalue", "merged-override.container.d/20-second.conf", 4]],
    );

    const instance = await loadWithDropIns("template@instance.container");
    strictEqual(
      lookupLast(instance, "Container", "Image")?.value,
      "localhost/changed-image",
    );
    deepStrictEqual(
      lookupAll(instance, "Container", "Environment").map((e) => e.value),
      [
        "FOO=bar",
      ],
    );
    strictEqual(
      lookupLast(instance, "Install", "WantedBy")?.value,
      "want.service",
    );
  },
);

Deno.test("mergeDropIns() adds sections the unit lacks, with the drop-in's file", () => {
  const unit = parseUnit("[Container]\nImage=x\n", { file: "web.container" });
  const first = parseUnit("[Unit]\nAfter=a.service\n[Container]\nExec=run\n", {
    file: "container.d/10.conf",
  });
  const second = parseUnit(
    "# c\n[Unit]\nAfter=b.service\n[Install]\nWantedBy=default.target\n",
    {
      file: "web.container.d/20.conf",
    },
  );
  const merged = mergeDropIns(unit, [first, second]);
  deepStrictEqual(
    merged.sections.map((
      s,
    ) => [s.name, s.file, s.line, s.entries.map((e) => e.value)]),
    [
      ["Container", "web.container", 1, ["x", "run"]],
      ["Unit", "container.d/10.conf", 1, ["a.service", "b.service"]],
      ["Install", "web.container.d/20.conf", 4, ["default.target"]],
    ],
  );
  strictEqual(merged.file, "web.container");
  strictEqual(
    merged.nodes.length,
    unit.nodes.length + first.nodes.length + second.nodes.length,
  );
});

Deno.test("mergeDropIns() leaves its inputs unchanged", () => {
  const unit = parseUnit("[Container]\nImage=x\n", { file: "web.container" });
  const dropIn = parseUnit("[Container]\nImage=y\n[Unit]\nA=b\n", {
    file: "web.container.d/1.conf",
  });
  const before = structuredClone([unit, dropIn]);
  const merged = mergeDropIns(unit, [dropIn]);
  deepStrictEqual([unit, dropIn], before);
  notStrictEqual(merged.sections[0], unit.sections[0]);
  deepStrictEqual(mergeDropIns(unit, []), unit);
});
