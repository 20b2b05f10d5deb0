import { deepStrictEqual, ok, strictEqual, throws } from "node:assert/strict";
import { LegerError } from "../errors/mod.ts";
import { parseManifestJson } from "./parse_manifest_json.ts";

const RENDERED = new URL(
  "../../tests/testdata/leger-run-rendered/",
  import.meta.url,
);
const HEX = "0123456789abcdef".repeat(4);

function service(
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    name: "web",
    quadlet_file: "web.container",
    checksum: `sha256:${HEX}`,
    ...overrides,
  };
}

function cli(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify(
    { version: 1, services: [service()], ...overrides },
    null,
    2,
  );
}

function fileList(
  files: unknown[],
  overrides: Record<string, unknown> = {},
): string {
  return JSON.stringify({ version: "1", files, ...overrides }, null, 2);
}

Deno.test("parseManifestJson() reads the real leger.run CLI manifests when given v1 and v2", async (t) => {
  const cases = [
    {
      version: "v1",
      services: 10,
      volumes: 9,
      secrets: ["postgres_password", "openai_api_key"],
      litellm:
        "3c147a97dc4d1341453436d3508f1178e0be40ebe1bea7a32d00531770bdffa2",
    },
    {
      version: "v2",
      services: 9,
      volumes: 8,
      secrets: ["postgres_password"],
      litellm:
        "138acace7f87679340789d9e2ee9668d66a6de2cf0876db6cad4d4c468f7e4ee",
    },
  ];
  for (const c of cases) {
    await t.step(c.version, async () => {
      const text = await Deno.readTextFile(
        new URL(`${c.version}/manifest.json`, RENDERED),
      );
      const manifest = parseManifestJson(text);
      strictEqual(manifest.form, "cli");
      strictEqual(manifest.version, "1");
      strictEqual(manifest.userUuid, "f44a09fc-90d1-5f2b-bf2c-7380100ec435");
      ok(manifest.createdAt?.startsWith("2026-11-27T22:45:23"));
      strictEqual(manifest.services.length, c.services);
      strictEqual(manifest.volumes.length, c.volumes);
      deepStrictEqual(manifest.secretsRequired, c.secrets);
      deepStrictEqual(manifest.services[0], {
        name: "caddy",
        quadletFile: "caddy.container",
        image: "docker.io/caddy:2-alpine",
        ports: ["80:80", "443:443", "443:443/udp"],
      });
      deepStrictEqual(manifest.volumes[2], { name: "openwebui.volume" });
      deepStrictEqual(
        manifest.files.find((f) => f.name === "litellm.container"),
        {
          name: "litellm.container",
          type: "container",
          sha256: c.litellm,
        },
      );
      // A volume X is the file X.volume: the doubled suffix the service stores.
      deepStrictEqual(
        manifest.files.find((f) => f.name.startsWith("openwebui.volume")),
        {
          name: "openwebui.volume.volume",
          type: "volume",
        },
      );
      strictEqual(manifest.files.length, c.services + c.volumes);
      // Every file the manifest implies is in the fixture folder.
      for (const file of manifest.files) {
        await Deno.stat(new URL(`${c.version}/${file.name}`, RENDERED));
      }
    });
  }
});

Deno.test("parseManifestJson() reads the file-list form when the document has files", () => {
  const manifest = parseManifestJson(fileList([
    { name: "litellm.yaml", type: "config", checksum: HEX, size: 123 },
    {
      name: "litellm.container",
      type: "container",
      checksum: HEX.toUpperCase(),
      size: 10,
    },
    { name: "data.volume", type: "volume", checksum: `sha256:${HEX}` },
    { name: "llm.network", type: "network", checksum: HEX, size: 0 },
    { name: ".leger.yaml", type: "config", checksum: HEX, size: 1 },
  ], {
    release_id: "rel-1",
    user_uuid: "u-1",
    generated_at: "2026-01-01T00:00:00Z",
    required_secrets: ["openai_api_key"],
  }));
  deepStrictEqual(manifest, {
    form: "file-list",
    version: "1",
    releaseId: "rel-1",
    userUuid: "u-1",
    createdAt: "2026-01-01T00:00:00Z",
    services: [{ name: "litellm", quadletFile: "litellm.container" }],
    volumes: [{ name: "data" }],
    files: [
      { name: "litellm.yaml", type: "config", sha256: HEX, size: 123 },
      { name: "litellm.container", type: "container", sha256: HEX, size: 10 },
      { name: "data.volume", type: "volume", sha256: HEX },
      { name: "llm.network", type: "network", sha256: HEX, size: 0 },
      { name: ".leger.yaml", type: "config", sha256: HEX, size: 1 },
    ],
    secretsRequired: ["openai_api_key"],
    requires: [],
  });
});

Deno.test("parseManifestJson() detects the form when the keys say which", async (t) => {
  const cases: [string, string, string][] = [
    ["services only", cli(), "cli"],
    ["files only", fileList([]), "file-list"],
    ["both: files win", cli({ files: [] }), "file-list"],
    [
      "extra unknown keys",
      cli({ future: { a: 1 }, services: [service({ extra: true })] }),
      "cli",
    ],
  ];
  for (const [name, text, form] of cases) {
    await t.step(name, () => strictEqual(parseManifestJson(text).form, form));
  }
});

Deno.test("parseManifestJson() keeps CLI checksums as lower-case hex when written in any form", () => {
  for (
    const checksum of [
      `sha256:${HEX}`,
      `SHA256:${HEX.toUpperCase()}`,
      HEX,
      ` sha256:${HEX} `,
    ]
  ) {
    const manifest = parseManifestJson(
      cli({ services: [service({ checksum })] }),
    );
    strictEqual(manifest.files[0].sha256, HEX, checksum);
  }
});

Deno.test("parseManifestJson() names the file, line and column when the JSON is broken", async (t) => {
  const cases: { name: string; text: string; message: RegExp; line: number }[] =
    [
      {
        name: "missing value",
        text: '{\n  "a": 1,\n  "b": }',
        message:
          /^Cannot parse manifest\.json as JSON at line 3, column 8: expected a JSON value, found "}"$/,
        line: 3,
      },
      {
        name: "trailing comma",
        text: '{\n  "services": [],\n}',
        message: /at line 3, column 1: expected a string key, found "}"/,
        line: 3,
      },
      {
        name: "unterminated",
        text: '{\n  "services": [\n',
        message:
          /at line 3, column 1: expected a JSON value, found the end of the file/,
        line: 3,
      },
      {
        name: "missing comma",
        text: '{"a": 1\n "b": 2}',
        message: /at line 2, column 2: expected "," or "}"/,
        line: 2,
      },
      {
        name: "empty",
        text: "",
        message: /at line 1, column 1: expected a JSON value/,
        line: 1,
      },
      {
        name: "text after the value",
        text: "{}\n{}",
        message: /at line 2, column 1: expected the end of the file/,
        line: 2,
      },
      {
        name: "raw newline in a string",
        text: '{"a": "x\ny"}',
        message: /at line 1, column 9: expected an escaped control character/,
        line: 1,
      },
      {
        name: "single quotes",
        text: "{'a': 1}",
        message: /line 1, column 2: expected a string key/,
        line: 1,
      },
    ];
  for (const c of cases) {
    await t.step(c.name, () => {
      throws(() => parseManifestJson(c.text), (err: unknown) => {
        ok(err instanceof LegerError);
        strictEqual(err.code, "ERR_MANIFEST_INVALID");
        strictEqual(err.file, "manifest.json");
        strictEqual(err.line, c.line);
        ok(c.message.test(err.message), err.message);
        return true;
      });
    });
  }
});

Deno.test("parseManifestJson() names the field and its line when a field has the wrong type", async (t) => {
  const cases: {
    name: string;
    text: string;
    message: string;
    line?: number;
  }[] = [
    {
      name: "top level is an array",
      text: "[]",
      message:
        "Cannot read manifest.json: the document must be an object: current value is an array",
      line: 1,
    },
    {
      name: "no known form",
      text: '{"version": 1}',
      message:
        'Cannot read manifest.json: the document has neither "services" (the leger.run CLI form) nor "files" (the file-list form)',
      line: 1,
    },
    {
      name: "services not an array",
      text: cli({ services: { a: 1 } }),
      message:
        "Cannot read manifest.json: services must be an array: current value is an object",
      line: 3,
    },
    {
      name: "quadlet_file a number",
      text: cli({
        services: [
          service({ quadlet_file: "a.container" }),
          service({ quadlet_file: "b.container" }),
          service({ quadlet_file: 42 }),
        ],
      }),
      message:
        "Cannot read manifest.json: services[2].quadlet_file must be a string: current value is 42",
      line: 16,
    },
    {
      name: "quadlet_file missing",
      text: cli({ services: [service({ quadlet_file: undefined })] }),
      message: "Cannot read manifest.json: services[0].quadlet_file is missing",
      line: 4,
    },
    {
      name: "name empty",
      text: cli({ services: [service({ name: "" })] }),
      message: "Cannot read manifest.json: services[0].name must not be empty",
      line: 5,
    },
    {
      name: "checksum not sha256",
      text: cli({ services: [service({ checksum: "md5:abc" })] }),
      message:
        'Cannot read manifest.json: services[0].checksum must be a SHA-256 checksum ("sha256:" and 64 hex digits, or the 64 digits alone): current value is "md5:abc"',
      line: 7,
    },
    {
      name: "ports item an object",
      text: cli({ services: [service({ ports: ["80:80", {}] })] }),
      message:
        "Cannot read manifest.json: services[0].ports[1] must be a string: current value is an object",
      line: 10,
    },
    {
      name: "secrets_required a string",
      text: cli({ services: [service({ secrets_required: "key" })] }),
      message:
        'Cannot read manifest.json: services[0].secrets_required must be an array: current value is "key"',
      line: 8,
    },
    {
      name: "version a boolean",
      text: cli({ version: true }),
      message:
        "Cannot read manifest.json: version must be a string or a number: current value is true",
      line: 2,
    },
    {
      name: "volume without name",
      text: cli({ volumes: [{ mount_path: "/x" }] }),
      message: "Cannot read manifest.json: volumes[0].name is missing",
      line: 11,
    },
    {
      name: "file size negative",
      text: fileList([{ name: "a.container", checksum: HEX, size: -1 }]),
      message:
        "Cannot read manifest.json: files[0].size must be a whole number of bytes: current value is -1",
      line: 7,
    },
    {
      name: "file without checksum",
      text: fileList([{ name: "a.container" }]),
      message: "Cannot read manifest.json: files[0].checksum is missing",
      line: 4,
    },
    {
      name: "required_secrets with a number",
      text: fileList([], { required_secrets: ["a", 1] }),
      message:
        "Cannot read manifest.json: required_secrets[1] must be a string: current value is 1",
      line: 6,
    },
    {
      name: "duplicate quadlet file",
      text: cli({ services: [service(), service({ name: "web2" })] }),
      message:
        'Cannot read manifest.json: services[1].quadlet_file names "web.container" again (see services[0].quadlet_file)',
      line: 11,
    },
    {
      name: "volume file clashing with a service file",
      text: cli({
        services: [service({ quadlet_file: "data.volume" })],
        volumes: [{ name: "data" }],
      }),
      message:
        'Cannot read manifest.json: volumes[0].name names "data.volume" again (see services[0].quadlet_file)',
      line: 12,
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      throws(() => parseManifestJson(c.text), (err: unknown) => {
        ok(err instanceof LegerError);
        strictEqual(err.code, "ERR_MANIFEST_INVALID");
        strictEqual(err.message, c.message);
        strictEqual(err.file, "manifest.json");
        strictEqual(err.line, c.line, `line of ${c.name}:\n${c.text}`);
        return true;
      });
    });
  }
});

Deno.test("parseManifestJson() refuses an unsafe file name when a manifest gives one", async (t) => {
  const cases: { name: string; text: string; field: string; reason: string }[] =
    [
      {
        name: "parent path",
        text: cli({ services: [service({ quadlet_file: "../../.bashrc" })] }),
        field: "services[0].quadlet_file",
        reason: 'contains "/"',
      },
      {
        name: "absolute path",
        text: cli({
          services: [service({ quadlet_file: "/etc/x.container" })],
        }),
        field: "services[0].quadlet_file",
        reason: 'contains "/"',
      },
      {
        name: "dot-dot",
        text: cli({ services: [service({ quadlet_file: ".." })] }),
        field: "services[0].quadlet_file",
        reason: 'contains ".."',
      },
      {
        name: "hidden",
        text: cli({ services: [service({ quadlet_file: ".bashrc" })] }),
        field: "services[0].quadlet_file",
        reason: 'starts with "."',
      },
      {
        name: "NUL",
        text: cli({
          services: [service({ quadlet_file: "a\u0000.container" })],
        }),
        field: "services[0].quadlet_file",
        reason: "contains a NUL character",
      },
      {
        name: "volume name",
        text: cli({ volumes: [{ name: "../data" }] }),
        field: "volumes[0].name",
        reason: 'contains "/"',
      },
      {
        name: "file-list name",
        text: fileList([{ name: "ok.container", checksum: HEX }, {
          name: ".env",
          checksum: HEX,
        }]),
        field: "files[1].name",
        reason: 'starts with "."',
      },
    ];
  for (const c of cases) {
    await t.step(c.name, () => {
      throws(
        () =>
          parseManifestJson(c.text, {
            file: "https://static.leger.run/u/v1/manifest.json",
          }),
        {
          name: "LegerError",
          code: "ERR_UNSAFE_PATH",
          file: "https://static.leger.run/u/v1/manifest.json",
          message: new RegExp(
            `^Cannot accept https://static\\.leger\\.run/u/v1/manifest\\.json: ${
              c.field.replace(/[[\]]/g, "\\$&")
            } is not a bare file name: .* ${
              c.reason.replace(/[."\\]/g, "\\$&")
            }$`,
          ),
        },
      );
    });
  }
});
