import { deepStrictEqual, ok, strictEqual, throws } from "node:assert/strict";
import { LegerError } from "../errors/mod.ts";
import { parseLegerYaml } from "./parse_leger_yaml.ts";

const SPEC_EXAMPLE = `name: openwebui
description: Open WebUI for LLM interactions
version: 1.0.0

# Secrets automatically discovered from Secret= directives
# No need to explicitly list them

# Dependencies
requires:
  - redis
  - postgresql

# Metadata for display
ports:
  - 3000:8080

volumes:
  - openwebui-data:/app/data
`;

Deno.test("parseLegerYaml() reads the specification's example when given it", () => {
  deepStrictEqual(parseLegerYaml(SPEC_EXAMPLE), {
    form: "leger.yaml",
    name: "openwebui",
    description: "Open WebUI for LLM interactions",
    version: "1.0.0",
    services: [],
    volumes: [{ name: "openwebui-data", mountPath: "/app/data" }],
    files: [],
    secretsRequired: [],
    requires: ["redis", "postgresql"],
    ports: ["3000:8080"],
  });
});

Deno.test("parseLegerYaml() normalises values when written in other valid ways", async (t) => {
  const cases: {
    name: string;
    text: string;
    check: Record<string, unknown>;
  }[] = [
    {
      name: "empty file",
      text: "",
      check: { name: undefined, requires: [], volumes: [] },
    },
    {
      name: "comments only",
      text: "# nothing\n",
      check: { name: undefined, requires: [] },
    },
    {
      name: "explicit empty document",
      text: "---\n",
      check: { name: undefined },
    },
    {
      name: "version kept as written",
      text: "version: 1.10\n",
      check: { version: "1.10" },
    },
    { name: "integer version", text: "version: 2\n", check: { version: "2" } },
    {
      name: "quoted version",
      text: 'version: "0.1"\n',
      check: { version: "0.1" },
    },
    {
      name: "numeric port",
      text: "ports: [8080, '80:80']\n",
      check: { ports: ["8080", "80:80"] },
    },
    {
      name: "volume forms",
      text:
        "volumes:\n  - data\n  - logs:/var/log:Z\n  - {name: cache, mount_path: /cache}\n  - name: tmp\n",
      check: {
        volumes: [
          { name: "data" },
          { name: "logs", mountPath: "/var/log" },
          { name: "cache", mountPath: "/cache" },
          { name: "tmp" },
        ],
      },
    },
    {
      name: "unknown keys tolerated",
      text: "name: app\nfuture:\n  x: [1, 2]\n",
      check: { name: "app" },
    },
    {
      name: "null values are absent",
      text: "name:\nrequires:\n",
      check: { name: undefined, requires: [] },
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      const manifest = parseLegerYaml(c.text) as unknown as Record<
        string,
        unknown
      >;
      for (const [key, value] of Object.entries(c.check)) {
        deepStrictEqual(manifest[key], value, key);
      }
    });
  }
});

Deno.test("parseLegerYaml() names the line and column when the YAML is broken", async (t) => {
  const cases: { name: string; text: string; message: RegExp; line: number }[] =
    [
      {
        name: "unclosed flow list",
        text: "name: app\nrequires: [redis\n",
        message: /^Cannot parse \.leger\.yaml as YAML at line 3, column 1: /,
        line: 3,
      },
      {
        name: "tab indentation",
        text: "requires:\n\t- redis\n",
        message:
          /^Cannot parse \.leger\.yaml as YAML at line 2, column 1: tab characters/,
        line: 2,
      },
      {
        name: "duplicate key",
        text: "name: a\ndescription: x\nname: b\n",
        message:
          /^Cannot parse \.leger\.yaml as YAML at line 3, column 1: duplicated mapping key/,
        line: 3,
      },
      {
        name: "bad indentation",
        text: "name: a\n  description: x\n",
        message: /^Cannot parse \.leger\.yaml as YAML at line 2, column \d+: /,
        line: 2,
      },
    ];
  for (const c of cases) {
    await t.step(c.name, () => {
      throws(() => parseLegerYaml(c.text), (err: unknown) => {
        ok(err instanceof LegerError);
        strictEqual(err.code, "ERR_MANIFEST_INVALID");
        strictEqual(err.file, ".leger.yaml");
        strictEqual(err.line, c.line);
        ok(c.message.test(err.message), err.message);
        return true;
      });
    });
  }
});

Deno.test("parseLegerYaml() names the field and its line when a key has the wrong type", async (t) => {
  const cases: { name: string; text: string; message: string; line: number }[] =
    [
      {
        name: "not a mapping",
        text: "- a\n- b\n",
        message:
          "Cannot read .leger.yaml: the document must be an object: current value is an array",
        line: 1,
      },
      {
        name: "name a list",
        text: "description: x\nname: [a]\n",
        message:
          "Cannot read .leger.yaml: name must be a string: current value is an array",
        line: 2,
      },
      {
        name: "requires a string",
        text: "name: a\n\nrequires: redis\n",
        message:
          'Cannot read .leger.yaml: requires must be an array: current value is "redis"',
        line: 3,
      },
      {
        name: "requires item a mapping",
        text: "requires:\n  - redis\n  - {a: 1}\n",
        message:
          "Cannot read .leger.yaml: requires[1] must be a string: current value is an object",
        line: 3,
      },
      {
        name: "port a boolean",
        text: "# c\nports:\n  - 80\n  - true\n",
        message:
          "Cannot read .leger.yaml: ports[1] must be a string: current value is true",
        line: 4,
      },
      {
        name: "volume a list",
        text: "volumes:\n  - ok:/x\n  - [a]\n",
        message:
          'Cannot read .leger.yaml: volumes[1] must be "NAME:/mount/path" or an object with "name": current value is an array',
        line: 3,
      },
      {
        name: "volume without name",
        text: "volumes:\n  - mount_path: /x\n",
        message: "Cannot read .leger.yaml: volumes[0].name is missing",
        line: 2,
      },
      {
        name: "volume starting with a colon",
        text: "volumes:\n  - :/x\n",
        message:
          'Cannot read .leger.yaml: volumes[0] must start with a volume name: current value is ":/x"',
        line: 2,
      },
      {
        name: "version a mapping",
        text: "name: a\nversion:\n  major: 1\n",
        message:
          "Cannot read .leger.yaml: version must be a string or a number: current value is an object",
        line: 3,
      },
      {
        name: "health a list",
        text: "name: a\nhealth:\n  - http://127.0.0.1:8080/\n",
        message:
          "Cannot read .leger.yaml: health must be a map of unit names to URLs, such as {web: http://127.0.0.1:8080/health}: current value is an array",
        line: 3,
      },
      {
        name: "health URL a number",
        text: "health:\n  web: 8080\n",
        message:
          "Cannot read .leger.yaml: health.web must be a string: current value is 8080",
        line: 2,
      },
      {
        name: "health URL not http(s)",
        text:
          "health:\n  web: http://127.0.0.1:8080/\n  db: tcp://127.0.0.1:5432\n",
        message:
          'Cannot read .leger.yaml: health.db must be an http(s) URL such as http://127.0.0.1:8080/health: current value is "tcp://127.0.0.1:5432"',
        line: 3,
      },
      {
        name: "health URL with credentials not parsed",
        text: "health:\n  web: http://u:hunter2SECRET@127.0.0.1:99999/\n",
        message:
          'Cannot read .leger.yaml: health.web must have a port in 1-65535, such as http://127.0.0.1:8080/health: current value is "http://127.0.0.1:99999/"',
        line: 2,
      },
      {
        name: "two documents",
        text: "name: a\n---\nname: b\n",
        message:
          "Cannot read .leger.yaml: it holds 2 YAML documents, expected one",
        line: NaN,
      },
    ];
  for (const c of cases) {
    await t.step(c.name, () => {
      throws(() => parseLegerYaml(c.text), (err: unknown) => {
        ok(err instanceof LegerError);
        strictEqual(err.code, "ERR_MANIFEST_INVALID");
        strictEqual(err.message, c.message);
        strictEqual(err.line ?? NaN, c.line);
        return true;
      });
    });
  }
});

Deno.test("parseLegerYaml() refuses a deployment name leger cannot use", async (t) => {
  const cases: [string, number, string][] = [
    [
      "name: ../../etc\n",
      1,
      'Cannot use "../../etc" as a deployment name from app/.leger.yaml at line 1: it starts with ".", which hides it from leger deploy list',
    ],
    [
      "name: .hidden\n",
      1,
      'Cannot use ".hidden" as a deployment name from app/.leger.yaml at line 1: it starts with ".", which hides it from leger deploy list',
    ],
    [
      'name: "a\\u0000b"\n',
      1,
      'Cannot use "a\\u0000b" as a deployment name from app/.leger.yaml at line 1: it contains "\\u0000" at position 2, and only printable ASCII characters without spaces are allowed',
    ],
    [
      "name: ..\n",
      1,
      'Cannot use ".." as a deployment name from app/.leger.yaml at line 1: it is "..", which names a folder already',
    ],
    [
      "description: x\nname: --help\n",
      2,
      'Cannot use "--help" as a deployment name from app/.leger.yaml at line 2: it starts with "-", which leger, podman and systemctl would read as an option',
    ],
    [
      "name: a/b\n",
      1,
      'Cannot use "a/b" as a deployment name from app/.leger.yaml at line 1: it contains "/" at position 2',
    ],
    [
      "name: my app\n",
      1,
      'Cannot use "my app" as a deployment name from app/.leger.yaml at line 1: it contains " " at position 3, and only printable ASCII characters without spaces are allowed',
    ],
  ];
  for (const [text, line, message] of cases) {
    await t.step(text.trim(), () => {
      throws(
        () => parseLegerYaml(text, { file: "app/.leger.yaml" }),
        (err: unknown) => {
          ok(err instanceof LegerError);
          strictEqual(err.code, "ERR_DEPLOYMENT_NAME_INVALID");
          strictEqual(err.file, "app/.leger.yaml");
          strictEqual(err.line, line);
          strictEqual(err.message, message);
          ok(
            err.remedy?.startsWith("Set name: in app/.leger.yaml to a name "),
            err.remedy,
          );
          return true;
        },
      );
    });
  }
});

Deno.test("parseLegerYaml() reads health: as a URL by unit base name, with a remedy naming the line", () => {
  deepStrictEqual(
    parseLegerYaml(
      "name: app\nhealth:\n  web: http://127.0.0.1:8080/health\n  api: https://localhost:8443/ready\n",
    ).health,
    {
      web: "http://127.0.0.1:8080/health",
      api: "https://localhost:8443/ready",
    },
  );
  strictEqual(parseLegerYaml("name: app\n").health, undefined);
  throws(() => parseLegerYaml("health:\n  web: localhost:8080\n"), {
    code: "ERR_MANIFEST_INVALID",
    remedy:
      "Make health.web an http(s) URL such as http://127.0.0.1:8080/health, at line 2 of .leger.yaml",
  });
});
