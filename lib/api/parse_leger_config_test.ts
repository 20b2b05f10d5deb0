import { deepStrictEqual, throws } from "node:assert/strict";
import { parseLegerConfig } from "./parse_leger_config.ts";
import { resolveLegerRunUrls } from "./resolve_leger_run_urls.ts";

const FILE = "/home/a/.config/leger/config.yaml";

Deno.test("parseLegerConfig() reads the three base URLs, and nothing from an empty file", () => {
  deepStrictEqual(parseLegerConfig("", { file: FILE }), {});
  deepStrictEqual(parseLegerConfig("# nothing set yet\n", { file: FILE }), {});
  deepStrictEqual(
    parseLegerConfig(
      "api_url: http://127.0.0.1:8787\nstatic_url: http://127.0.0.1:8787/static\nweb_url: http://localhost:3000\n",
      { file: FILE },
    ),
    {
      api: "http://127.0.0.1:8787",
      static: "http://127.0.0.1:8787/static",
      web: "http://localhost:3000",
    },
  );
});

Deno.test("parseLegerConfig() leaves the backups settings to readBackupConfig()", () => {
  deepStrictEqual(
    parseLegerConfig("api_url: http://127.0.0.1:8787\nbackups:\n  keep: 3\n", {
      file: FILE,
    }),
    { api: "http://127.0.0.1:8787" },
  );
});

Deno.test("parseLegerConfig() names the file and the key it cannot use", () => {
  const cases: [string, RegExp][] = [
    ["api_url: [1, 2]\n", /api_url must be a URL/],
    [
      "apiurl: http://x\n",
      /unknown key "apiurl" \(known: api_url, static_url, web_url\)/,
    ],
    ["- a\n", /expected keys/],
    ["api_url: 'x\n", /Cannot read \/home\/a\/\.config\/leger\/config\.yaml: /],
  ];
  for (const [text, message] of cases) {
    throws(() => parseLegerConfig(text, { file: FILE }), {
      name: "LegerError",
      code: "ERR_CONFIG_INVALID",
      message,
    });
  }
});

Deno.test("resolveLegerRunUrls() takes the environment first, then the config file, then the defaults", () => {
  const env: Record<string, string> = { LEGER_API_URL: "http://127.0.0.1:1" };
  deepStrictEqual(
    resolveLegerRunUrls((name) => env[name], {
      config: { api: "http://127.0.0.1:2", static: "http://127.0.0.1:3" },
    }),
    {
      api: "http://127.0.0.1:1",
      static: "http://127.0.0.1:3",
      web: "https://app.leger.run",
    },
  );
});

Deno.test("resolveLegerRunUrls() refuses a host of the config file that leger may not reach, naming the key", () => {
  throws(
    () =>
      resolveLegerRunUrls(() => undefined, {
        config: { api: "https://evil.example" },
        configFile: FILE,
      }),
    {
      code: "ERR_NETWORK_NOT_ALLOWED",
      message: /api_url in \/home\/a\/\.config\/leger\/config\.yaml/,
    },
  );
});
