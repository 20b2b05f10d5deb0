/**
 * Names systemd or leger would refuse are errors at `leger validate`, before
 * an install could fail on them (issue 9, item 8): unit file names and
 * deployment names, through the CLI as users run it.
 *
 * @module
 */
import { deepStrictEqual, match, strictEqual } from "node:assert/strict";
import type { DeploymentPlan } from "../lib/deploy/plan_types.ts";
import { tempFolder } from "./_folders.ts";
import { runLeger } from "./_leger.ts";

const WEB = "[Container]\nImage=busybox\n";

/** `leger validate FOLDER --json` in a user scope of its own home. */
async function validateJson(
  folder: string,
): Promise<{ code: number; plan: DeploymentPlan; stderr: string }> {
  await using home = await tempFolder();
  const result = await runLeger(
    ["validate", folder, "--json", "--scope", "user"],
    { env: userEnv(home.path) },
  );
  return {
    code: result.code,
    plan: JSON.parse(result.stdout),
    stderr: result.stderr,
  };
}

function userEnv(home: string): Record<string, string> {
  return {
    HOME: home,
    XDG_CONFIG_HOME: `${home}/config`,
    XDG_DATA_HOME: `${home}/data`,
  };
}

Deno.test("validate reports a unit file name systemd refuses", async (t) => {
  const cases: {
    name: string;
    files: Record<string, string>;
    expected: string[][];
  }[] = [
    {
      name: "a space",
      files: { "my web.container": WEB },
      expected: [[
        "my web.container",
        'Cannot use "my web.container" as a unit name: systemd allows only ASCII letters, digits and : - _ . \\ @ (found " " at position 3)',
        'Rename the file, for example to "my-web.container", and the references to it',
      ]],
    },
    {
      name: "a non-ASCII letter, with its drop-in folder",
      files: {
        "wéb.container": WEB,
        "wéb.container.d/10-port.conf": "[Container]\nPublishPort=8080:80\n",
      },
      expected: [
        [
          "wéb.container",
          'Cannot use "wéb.container" as a unit name: systemd allows only ASCII letters, digits and : - _ . \\ @ (found "é" at position 2)',
          'Rename the file, for example to "web.container", and the references to it',
        ],
        [
          "wéb.container.d",
          'Cannot use "wéb.container.d" as a drop-in folder: it names no valid unit, since systemd allows only ASCII letters, digits and : - _ . \\ @ (found "é" at position 2)',
          'Rename the folder, for example to "web.container.d", with the unit it belongs to',
        ],
      ],
    },
    {
      name: "a leading dash",
      files: { "web.container": WEB, "-data.volume": "[Volume]\n" },
      expected: [[
        "-data.volume",
        'Cannot use "-data.volume" as a unit name: leger refuses a leading "-", which systemctl and podman would read as an option',
        'Rename the file, for example to "data.volume", and the references to it',
      ]],
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      await using folder = await tempFolder(c.files);
      const { code, plan } = await validateJson(folder.path);
      strictEqual(code, 1);
      strictEqual(plan.valid, false);
      deepStrictEqual(
        plan.errors
          .filter((e) => e.code === "ERR_UNIT_NAME_INVALID")
          .map((e) => [e.file, e.message, e.remedy]),
        c.expected,
      );
    });
  }
});

Deno.test("validate prints a refused unit name with its fix", async () => {
  await using folder = await tempFolder({ "my web.container": WEB });
  await using home = await tempFolder();
  const result = await runLeger(
    ["validate", folder.path, "--scope", "user"],
    { env: userEnv(home.path) },
  );
  strictEqual(result.code, 1);
  match(
    result.stdout,
    /my web\.container: Cannot use "my web\.container" as a unit name: .*\[ERR_UNIT_NAME_INVALID\]/,
  );
  match(
    result.stdout,
    /fix: Rename the file, for example to "my-web\.container"/,
  );
});

Deno.test("validate accepts unit names systemd accepts", async () => {
  await using folder = await tempFolder({
    "web.container": WEB,
    "app@.container": WEB,
    "data.volume": "[Volume]\n",
    "web.container.d/10-a.conf": "[Container]\nEnvironment=A=1\n",
  });
  const { code, plan } = await validateJson(folder.path);
  deepStrictEqual(plan.errors, []);
  strictEqual(code, 0);
});

Deno.test("validate refuses a .leger.yaml name leger cannot use, naming the file and line", async (t) => {
  const cases = [
    {
      yaml: "name: --help\n",
      line: 1,
      message:
        'Cannot use "--help" as a deployment name from .leger.yaml at line 1: it starts with "-", which leger, podman and systemctl would read as an option',
      suggestion: "help",
    },
    {
      yaml: "description: two apps\nname: a/b\n",
      line: 2,
      message:
        'Cannot use "a/b" as a deployment name from .leger.yaml at line 2: it contains "/" at position 2',
      suggestion: "a-b",
    },
    {
      yaml: "name: my app\n",
      line: 1,
      message:
        'Cannot use "my app" as a deployment name from .leger.yaml at line 1: it contains " " at position 3, and only printable ASCII characters without spaces are allowed',
      suggestion: "my-app",
    },
  ];
  for (const c of cases) {
    await t.step(c.yaml.trim().replace("\n", ", "), async () => {
      await using folder = await tempFolder({
        "web.container": WEB,
        ".leger.yaml": c.yaml,
      });
      const { code, plan } = await validateJson(folder.path);
      strictEqual(code, 1);
      strictEqual(plan.valid, false);
      deepStrictEqual(plan.errors, [{
        code: "ERR_DEPLOYMENT_NAME_INVALID",
        message: c.message,
        file: ".leger.yaml",
        line: c.line,
        remedy:
          `Set name: in .leger.yaml to a name of printable ASCII characters without spaces or "/", not starting with "-" or ".", such as "${c.suggestion}"`,
      }]);
    });
  }
});

Deno.test("validate prints a refused .leger.yaml name with where it is", async () => {
  await using folder = await tempFolder({
    "web.container": WEB,
    ".leger.yaml": "name: --help\n",
  });
  await using home = await tempFolder();
  const result = await runLeger(
    ["validate", folder.path, "--scope", "user"],
    { env: userEnv(home.path) },
  );
  strictEqual(result.code, 1);
  match(result.stderr, /Cannot use "--help" as a deployment name/);
  match(result.stderr, /at \.leger\.yaml:1/);
  match(result.stderr, /\[ERR_DEPLOYMENT_NAME_INVALID\]/);
});

Deno.test("validate refuses a folder name leger cannot use as the deployment's name", async () => {
  await using parent = await tempFolder({ "my app/web.container": WEB });
  const { code, plan } = await validateJson(`${parent.path}/my app`);
  strictEqual(code, 1);
  deepStrictEqual(plan.errors.map((e) => [e.code, e.message, e.remedy]), [[
    "ERR_DEPLOYMENT_NAME_INVALID",
    `Cannot use "my app" as a deployment name from the folder "${parent.path}/my app": it contains " " at position 3, and only printable ASCII characters without spaces are allowed`,
    'Rename the folder, or set "name:" in a .leger.yaml beside its units, to a name of printable ASCII characters without spaces or "/", not starting with "-" or ".", such as "my-app"',
  ]]);

  // A valid name: in .leger.yaml lets the folder keep its own.
  await Deno.writeTextFile(
    `${parent.path}/my app/.leger.yaml`,
    "name: my-app\n",
  );
  const named = await validateJson(`${parent.path}/my app`);
  strictEqual(named.code, 0);
  strictEqual(named.plan.deployment, "my-app");
});
