import { ok, strictEqual, throws } from "node:assert/strict";
import { ERROR_CODES } from "../errors/codes.ts";
import { LegerError } from "../errors/leger_error.ts";
import { readLocalSource } from "../source/read_local_source.ts";
import { parseLegerYaml } from "./parse_leger_yaml.ts";
import { parseManifestJson } from "./parse_manifest_json.ts";

/** Runs `parse` and returns the LegerError it throws. */
function errorOf(parse: () => unknown): LegerError {
  let caught: unknown;
  throws(() => {
    try {
      parse();
    } catch (error) {
      caught = error;
      throw error;
    }
  });
  ok(caught instanceof LegerError, String(caught));
  return caught;
}

Deno.test("manifest errors name the field and its line, and say what to change there", async (t) => {
  const json = (text: string) => () => parseManifestJson(text);
  const yaml = (text: string) => () => parseLegerYaml(text);
  const cases: [string, () => unknown, string, number | undefined, string][] = [
    [
      "files that are a string (manifest.json)",
      json('{\n  "files": "web.container"\n}'),
      'Cannot read manifest.json: files must be an array: current value is "web.container"',
      2,
      "Make files an array, at line 2 of manifest.json",
    ],
    [
      "a document that is null (manifest.json)",
      json("null"),
      "Cannot read manifest.json: the document must be an object: current value is null",
      undefined,
      "Make the document an object, at line 1 of manifest.json",
    ],
    [
      "a size below zero (manifest.json)",
      json(
        `{\n  "files": [\n    { "name": "web.container", "checksum": "${
          "a".repeat(64)
        }", "size": -5 }\n  ]\n}`,
      ),
      "Cannot read manifest.json: files[0].size must be a whole number of bytes: current value is -5",
      3,
      "Make files[0].size a whole number of bytes, at line 3 of manifest.json",
    ],
    [
      "a service without its unit (manifest.json)",
      json('{\n  "services": [\n    { "name": "web" }\n  ]\n}'),
      "Cannot read manifest.json: services[0].quadlet_file is missing",
      3,
      "Add services[0].quadlet_file at line 3 of manifest.json",
    ],
    [
      "JSON that does not parse",
      json('{\n  "files": [,]\n}'),
      "Cannot parse manifest.json as JSON at line 2",
      2,
      "Correct the JSON at line 2, column",
    ],
    [
      "a name that is a list (.leger.yaml)",
      yaml("name:\n  - web\n"),
      "Cannot read .leger.yaml: name must be a string",
      2,
      "Make name a string, at line 2 of .leger.yaml",
    ],
    [
      "volumes that are a number (.leger.yaml)",
      yaml("name: web\nvolumes: 5\n"),
      "Cannot read .leger.yaml: volumes must be an array: current value is 5",
      2,
      "Make volumes an array, at line 2 of .leger.yaml",
    ],
    [
      "a volume without its name (.leger.yaml)",
      yaml("volumes:\n  - :/data\n"),
      "Cannot read .leger.yaml: volumes[0] must start with a volume name",
      2,
      "Change volumes[0] so that it start with a volume name, at line 2 of .leger.yaml",
    ],
    [
      "YAML that does not parse",
      yaml("name: web\n  version: [1\n"),
      "Cannot parse .leger.yaml as YAML at line",
      undefined,
      "Correct the YAML at line",
    ],
  ];
  for (const [name, parse, message, line, remedy] of cases) {
    await t.step(name, () => {
      const error = errorOf(parse);
      strictEqual(error.code, "ERR_MANIFEST_INVALID");
      ok(error.message.startsWith(message), error.message);
      if (line !== undefined) strictEqual(error.line, line, error.message);
      ok(error.remedy.startsWith(remedy), error.remedy);
      ok(error.remedy !== ERROR_CODES.ERR_MANIFEST_INVALID.remedy);
    });
  }
});

Deno.test("readLocalSource() names the line of invalid UTF-8 in .leger.yaml, and how to convert it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "leger_" });
  try {
    await Deno.writeFile(
      `${dir}/.leger.yaml`,
      new Uint8Array([
        ...new TextEncoder().encode("name: a\nversion: "),
        0xff,
        0x0a,
      ]),
    );
    await Deno.writeTextFile(`${dir}/web.container`, "[Container]\nImage=x\n");
    const error = await readLocalSource(dir).then(() => null, (e) => e);
    ok(error instanceof LegerError, String(error));
    strictEqual(error.code, "ERR_MANIFEST_INVALID");
    strictEqual(
      error.message,
      "Cannot read .leger.yaml: it is not valid UTF-8 text (byte 17 at line 2)",
    );
    strictEqual(error.line, 2);
    strictEqual(
      error.remedy,
      "Save .leger.yaml as UTF-8, for example: iconv -f latin1 -t utf-8 .leger.yaml",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
