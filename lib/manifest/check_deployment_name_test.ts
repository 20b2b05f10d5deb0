import { strictEqual, throws } from "node:assert/strict";
import { checkDeploymentName } from "./check_deployment_name.ts";

const RULE =
  'a name of printable ASCII characters without spaces or "/", not starting with "-" or "."';

Deno.test("checkDeploymentName() accepts the names leger can use", async (t) => {
  const names = [
    "a",
    "my-app",
    "leger-demo-reader",
    "App_2.0",
    "a..b",
    "x@y:z+1~",
    "back\\slash",
    "a-",
    "v".repeat(100),
  ];
  for (const name of names) {
    await t.step(name.length > 40 ? `${name.length} characters` : name, () => {
      strictEqual(
        checkDeploymentName(name, { where: "the command line" }),
        name,
      );
    });
  }
});

Deno.test("checkDeploymentName() refuses the names leger cannot use", async (t) => {
  const cases: {
    name: string;
    given: string;
    /** How the message quotes it, when not as JSON does. */
    shown?: string;
    problem: string;
    suggestion?: string;
  }[] = [
    { name: "empty", given: "", problem: "it is empty" },
    {
      name: "dot",
      given: ".",
      problem: 'it is ".", which names a folder already',
    },
    {
      name: "dot dot",
      given: "..",
      problem: 'it is "..", which names a folder already',
    },
    {
      name: "hidden",
      given: ".app",
      problem: 'it starts with ".", which hides it from leger deploy list',
      suggestion: "app",
    },
    {
      name: "a path up",
      given: "../../etc",
      problem: 'it starts with ".", which hides it from leger deploy list',
      suggestion: "etc",
    },
    {
      name: "option",
      given: "--help",
      problem:
        'it starts with "-", which leger, podman and systemctl would read as an option',
      suggestion: "help",
    },
    {
      name: "single dash",
      given: "-",
      problem:
        'it starts with "-", which leger, podman and systemctl would read as an option',
    },
    {
      name: "slash",
      given: "a/b",
      problem: 'it contains "/" at position 2',
      suggestion: "a-b",
    },
    {
      name: "space",
      given: "my app",
      problem:
        'it contains " " at position 3, and only printable ASCII characters without spaces are allowed',
      suggestion: "my-app",
    },
    {
      name: "space before a slash",
      given: "my app/x",
      problem:
        'it contains " " at position 3, and only printable ASCII characters without spaces are allowed',
      suggestion: "my-app-x",
    },
    {
      name: "non-ASCII",
      given: "wéb",
      problem:
        'it contains "é" at position 2, and only printable ASCII characters without spaces are allowed',
      suggestion: "web",
    },
    {
      name: "only non-ASCII",
      given: "网站",
      problem:
        'it contains "网" at position 1, and only printable ASCII characters without spaces are allowed',
    },
    {
      name: "control character",
      given: "a\x01b",
      problem:
        'it contains "\\u0001" at position 2, and only printable ASCII characters without spaces are allowed',
      suggestion: "a-b",
    },
    {
      name: "DEL",
      given: "ab\x7f",
      shown: '"ab\\u007f"',
      problem:
        'it contains "\\u007f" at position 3, and only printable ASCII characters without spaces are allowed',
      suggestion: "ab",
    },
    {
      name: "101 characters",
      given: "v".repeat(101),
      shown: `"${"v".repeat(60)}…"`,
      problem: "it is 101 characters long, more than 100",
      suggestion: "v".repeat(100),
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      const shown = c.shown ?? JSON.stringify(c.given);
      throws(
        () =>
          checkDeploymentName(c.given, {
            where: "the command line",
            fix: "Pass",
          }),
        {
          name: "LegerError",
          code: "ERR_DEPLOYMENT_NAME_INVALID",
          message:
            `Cannot use ${shown} as a deployment name from the command line: ${c.problem}`,
          remedy: c.suggestion === undefined
            ? `Pass ${RULE}`
            : `Pass ${RULE}, such as ${JSON.stringify(c.suggestion)}`,
        },
      );
    });
  }
});

Deno.test("checkDeploymentName() names the file and line the name is written at", () => {
  throws(
    () =>
      checkDeploymentName("--help", {
        where: ".leger.yaml at line 3",
        file: ".leger.yaml",
        line: 3,
      }),
    (err: unknown) => {
      const error = err as {
        code: string;
        where: string;
        remedy: string;
        exitCode: number;
      };
      strictEqual(error.code, "ERR_DEPLOYMENT_NAME_INVALID");
      strictEqual(error.where, ".leger.yaml:3");
      strictEqual(error.exitCode, 1);
      strictEqual(error.remedy, `Choose ${RULE}, such as "help"`);
      return true;
    },
  );
});
