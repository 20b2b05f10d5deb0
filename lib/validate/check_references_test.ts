import { deepStrictEqual } from "node:assert/strict";
import { checkReferences } from "./check_references.ts";
import { makeQuadlet } from "../testing/make_quadlet.ts";
import type { FileRef, UnitRef } from "../quadlet/types.ts";

function unitRef(unit: string, line: number, key = "Volume"): UnitRef {
  return { key, unit, line, file: "web.container" };
}

function fileRef(
  path: string,
  line: number,
  key = "EnvironmentFile",
  relative = true,
): FileRef {
  return {
    key,
    path,
    relative,
    resolvedPath: null,
    line,
    file: "web.container",
  };
}

Deno.test("checkReferences() accepts units found in the deployment or on the host", () => {
  const web = makeQuadlet("web.container", {
    units: [
      unitRef("data.volume", 3),
      unitRef("llm.network", 4, "Network"),
      unitRef("shared.network", 5, "Network"),
    ],
  });
  deepStrictEqual(
    checkReferences([web], {
      deploymentFiles: ["web.container", "data.volume", "llm.network"],
      installedUnits: new Set(["shared.network"]),
    }),
    [],
  );
});

Deno.test("checkReferences() reports a missing unit with a remedy that fits", async (t) => {
  const cases = [
    {
      name: "doubled extension (leger.run)",
      files: ["web.container", "data.volume.volume"],
      remedy:
        "Rename `data.volume.volume` to `data.volume`: Podman names a unit by its whole file name",
    },
    {
      name: "misspelt",
      files: ["web.container", "dta.volume"],
      remedy: "Did you mean `dta.volume`?",
    },
    {
      name: "nothing near",
      files: ["web.container"],
      remedy:
        "Add data.volume to the deployment, or install the deployment that provides it first",
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      const web = makeQuadlet("web.container", {
        units: [unitRef("data.volume", 3)],
      });
      const findings = checkReferences([web], { deploymentFiles: c.files });
      deepStrictEqual(findings, [{
        code: "ERR_UNIT_MISSING_REFERENCE",
        message:
          'Cannot find "data.volume", which Volume= of "web.container" names at line 3: it is neither in the deployment nor installed',
        file: "web.container",
        line: 3,
        remedy: c.remedy,
      }]);
    });
  }
});

Deno.test("checkReferences() reports a unit named twice on one line once", () => {
  const web = makeQuadlet("web.container", {
    units: [
      unitRef("db.container", 2, "After"),
      unitRef("db.container", 2, "After"),
      unitRef("db.container", 3, "Requires"),
    ],
  });
  const findings = checkReferences([web], {
    deploymentFiles: ["web.container"],
  });
  deepStrictEqual(findings.map((f) => f.line), [2, 3]);
});

Deno.test("checkReferences() checks relative files against the deployment", async (t) => {
  const cases = [
    {
      name: "file present",
      ref: fileRef("app.env", 4),
      files: ["web.container", "app.env"],
      expected: [],
    },
    {
      name: "./ path",
      ref: fileRef("./conf/app.env", 4),
      files: ["conf/app.env"],
      expected: [],
    },
    {
      name: "folder present",
      ref: fileRef("./conf", 4, "Volume"),
      files: ["conf/a", "conf/b/c"],
      expected: [],
    },
    {
      name: "unit's own folder",
      ref: fileRef(".", 4, "Volume"),
      files: ["web.container"],
      expected: [],
    },
    {
      name: "absolute path",
      ref: fileRef("/etc/app.env", 4, "EnvironmentFile", false),
      files: [],
      expected: [],
    },
    {
      name: "file missing",
      ref: fileRef("app.env", 4),
      files: ["web.container", "app.env.example"],
      expected: [4],
    },
    {
      name: "folder prefix is not a folder",
      ref: fileRef("./conf", 4, "Volume"),
      files: ["config/a"],
      expected: [4],
    },
    {
      name: "outside the deployment",
      ref: fileRef("../secrets.env", 4),
      files: [],
      expected: [4],
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      const web = makeQuadlet("web.container", { files: [c.ref] });
      deepStrictEqual(
        checkReferences([web], { deploymentFiles: c.files }).map((f) => f.line),
        c.expected,
      );
    });
  }
});

Deno.test("checkReferences() resolves relative files against the unit's folder", () => {
  const web = makeQuadlet("sub/web.container", {
    files: [{ ...fileRef("app.env", 2), file: "sub/web.container" }, {
      ...fileRef("../top.env", 3),
      file: "sub/web.container",
    }],
  });
  deepStrictEqual(
    checkReferences([web], {
      deploymentFiles: ["sub/web.container", "sub/app.env", "top.env"],
    }),
    [],
  );
});

Deno.test("checkReferences() says which path it looked for", () => {
  const web = makeQuadlet("web.container", {
    files: [fileRef("./conf/Caddyfile", 7, "Volume")],
  });
  deepStrictEqual(
    checkReferences([web], { deploymentFiles: ["web.container"] }),
    [{
      code: "ERR_UNIT_MISSING_REFERENCE",
      message:
        'Cannot find "./conf/Caddyfile", which Volume= of "web.container" names at line 7: the deployment has no "conf/Caddyfile"',
      file: "web.container",
      line: 7,
      remedy:
        "Add conf/Caddyfile to the deployment, or correct the path (it is relative to the unit's folder)",
    }],
  );
});
