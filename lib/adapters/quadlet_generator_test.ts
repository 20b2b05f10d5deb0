import { deepStrictEqual, ok, rejects, strictEqual } from "node:assert/strict";
import {
  checkWithQuadletGenerator,
  findQuadletGenerator,
} from "./quadlet_generator.ts";
import { fakeRunner } from "./fake_runner.ts";
import { CommandError } from "./command_error.ts";
import { parseUnit } from "../unit/parse_unit.ts";

const GENERATOR = "/usr/libexec/podman/quadlet";
// The host's real generator, if Podman installed one (Debian 12's Podman 4.3 has none).
const REAL_GENERATOR = await findQuadletGenerator();

Deno.test("findQuadletGenerator() returns the first candidate that is a file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "leger_" });
  try {
    await Deno.mkdir(`${dir}/a-folder`);
    await Deno.writeTextFile(`${dir}/quadlet`, "");
    strictEqual(
      await findQuadletGenerator([
        `${dir}/missing`,
        `${dir}/a-folder`,
        `${dir}/quadlet`,
      ]),
      `${dir}/quadlet`,
    );
    strictEqual(await findQuadletGenerator([`${dir}/missing`]), null);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("checkWithQuadletGenerator() runs the generator in dry-run mode over the folder", async (t) => {
  const cases = [
    { name: "system", user: false, args: ["-dryrun"] },
    { name: "user", user: true, args: ["-dryrun", "-user"] },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      const runner = fakeRunner([{
        bin: GENERATOR,
        args: c.args,
        result: { stdout: "---/x/web.service---\n" },
      }]);
      deepStrictEqual(
        await checkWithQuadletGenerator("/tmp/stage", {
          generator: GENERATOR,
          user: c.user,
          runner,
        }),
        [],
      );
      deepStrictEqual(runner.calls[0].options.env, {
        QUADLET_UNIT_DIRS: "/tmp/stage",
      });
      deepStrictEqual(runner.calls[0].options.allowedExitCodes, [1]);
      runner.assertAllCalled();
    });
  }
});

Deno.test("checkWithQuadletGenerator() reports the file and line of a rejected key", async () => {
  const runner = fakeRunner([{
    bin: GENERATOR,
    args: ["-dryrun"],
    result: {
      code: 1,
      stderr:
        "quadlet-generator[9]: converting \"web.container\": unsupported key 'Foo' in group 'Container' in /tmp/stage/web.container\n" +
        "quadlet-generator[9]: processing encountered some errors\n",
    },
  }]);
  const units = [
    parseUnit("[Container]\nImage=x\nFoo=1\n", { file: "web.container" }),
  ];
  const findings = await checkWithQuadletGenerator("/tmp/stage", {
    generator: GENERATOR,
    runner,
    units,
  });
  deepStrictEqual(findings?.map((f) => [f.code, f.file, f.line]), [[
    "ERR_QUADLET_GENERATOR",
    "web.container",
    3,
  ]]);
});

Deno.test("checkWithQuadletGenerator() reports a failure that names no file", async () => {
  const runner = fakeRunner([{
    bin: GENERATOR,
    args: ["-dryrun"],
    result: {
      code: 1,
      stderr:
        "quadlet-generator[9]: Loading source unit file /tmp/stage/a.container\n" +
        "quadlet-generator[9]: open /tmp/stage: permission denied\n" +
        "quadlet-generator[9]: processing encountered some errors\n",
    },
  }]);
  const findings = await checkWithQuadletGenerator("/tmp/stage", {
    generator: GENERATOR,
    runner,
  });
  deepStrictEqual(findings, [{
    code: "ERR_QUADLET_GENERATOR",
    message:
      'Podman\'s quadlet generator rejects the units in "/tmp/stage": open /tmp/stage: permission denied',
    file: "",
    remedy:
      `Run \`QUADLET_UNIT_DIRS=/tmp/stage ${GENERATOR} -dryrun\` to see its full output`,
  }]);
});

Deno.test({
  name:
    `checkWithQuadletGenerator() returns null when no generator is installed${
      REAL_GENERATOR === null
        ? ""
        : ` (ignored: Podman's generator is installed here, at ${REAL_GENERATOR})`
    }`,
  ignore: REAL_GENERATOR !== null,
  async fn() {
    const runner = fakeRunner([]);
    strictEqual(
      await checkWithQuadletGenerator("/tmp/stage", { runner }),
      null,
    );
  },
});

Deno.test("checkWithQuadletGenerator() passes CommandError on for other exit codes", async () => {
  const runner = fakeRunner([{
    bin: GENERATOR,
    args: ["-dryrun"],
    result: { code: 2, stderr: "flag provided but not defined: -dryrun\n" },
  }]);
  await rejects(
    checkWithQuadletGenerator("/tmp/stage", { generator: GENERATOR, runner }),
    (err) => err instanceof CommandError && err.code === 2,
  );
});

Deno.test({
  name: `checkWithQuadletGenerator() names the unit the real generator rejects${
    REAL_GENERATOR === null
      ? " (ignored: Podman's quadlet generator is not installed here)"
      : ""
  }`,
  ignore: REAL_GENERATOR === null,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "leger_" });
    try {
      await Deno.writeTextFile(
        `${dir}/good.container`,
        "[Container]\nImage=quay.io/podman/hello\n",
      );
      await Deno.writeTextFile(
        `${dir}/bad.container`,
        "[Container]\nImage=quay.io/podman/hello\nPublishPorts=80:80\n",
      );
      const findings = await checkWithQuadletGenerator(dir, { user: true });
      const errors = findings?.filter((f) => f.severity !== "warning") ?? [];
      deepStrictEqual(errors.map((f) => f.file), ["bad.container"]);
      ok(errors[0].message.includes("PublishPorts"));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
