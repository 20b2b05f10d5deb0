import { deepStrictEqual, rejects, strictEqual } from "node:assert/strict";
import {
  fetchLegerRunSource,
  LEGER_RUN_DEPLOYMENT_NAME,
} from "./fetch_leger_run_source.ts";
import { sha256Hex } from "./sha256_hex.ts";

const UUID = "f44a09fc-90d1-5f2b-bf2c-7380100ec435";
const URLS = {
  api: "http://127.0.0.1:9/api",
  static: "http://127.0.0.1:9/static",
  web: "http://127.0.0.1:9/app",
};
const FOLDER = `${URLS.static}/${UUID}/v1/`;
const encoder = new TextEncoder();
const WEB = encoder.encode("[Container]\nImage=nginx\n");

/** A static host serving `files` (name → bytes) under the v1 folder; anything else is 404. */
function staticHost(files: Record<string, Uint8Array | string>) {
  const asked: string[] = [];
  const fetch = ((input: string | URL | Request) => {
    const path = String(input).slice(FOLDER.length);
    asked.push(path);
    const body = files[path];
    return Promise.resolve(
      body === undefined
        ? new Response("Not Found", { status: 404, statusText: "Not Found" })
        : new Response(typeof body === "string" ? body : body.slice()),
    );
  }) as typeof globalThis.fetch;
  return { fetch, asked };
}

async function cliManifest(
  files: Record<string, Uint8Array>,
): Promise<string> {
  return JSON.stringify({
    version: 1,
    services: await Promise.all(
      Object.entries(files).map(async ([name, bytes]) => ({
        name: name.split(".")[0],
        quadlet_file: name,
        checksum: `sha256:${await sha256Hex(bytes)}`,
      })),
    ),
  });
}

Deno.test("fetchLegerRunSource() names the deployment after the space unless the caller names it", async (t) => {
  const cases: { name: string; option?: string; expected: string }[] = [
    { name: "the space", expected: LEGER_RUN_DEPLOYMENT_NAME },
    { name: "the caller's choice", option: "llm", expected: "llm" },
  ];
  for (const { name, option, expected } of cases) {
    await t.step(name, async () => {
      const host = staticHost({
        "manifest.json": await cliManifest({ "web.container": WEB }),
        "web.container": WEB,
      });
      const deployment = await fetchLegerRunSource(
        { userUuid: UUID, version: "v1" },
        { urls: URLS, fetch: host.fetch, name: option },
      );
      strictEqual(deployment.name, expected);
      deepStrictEqual(deployment.normalisations, []);
      deepStrictEqual(deployment.manifest.units, {
        container: ["web.container"],
      });
    });
  }
});

Deno.test("fetchLegerRunSource() refuses what cannot be staged", async (t) => {
  const bad = new Uint8Array([0x5b, 0xff, 0x5d]);
  const cases: {
    name: string;
    files: () => Promise<Record<string, Uint8Array | string>>;
    options?: Record<string, unknown>;
    error: Record<string, unknown>;
  }[] = [
    {
      name: "a deployment name that is not bare",
      files: async () => ({
        "manifest.json": await cliManifest({ "web.container": WEB }),
      }),
      options: { name: "a/b" },
      error: {
        code: "ERR_UNSAFE_PATH",
        message: 'Cannot use "a/b" as a deployment name: the name contains "/"',
      },
    },
    {
      name: "a unit that is not UTF-8",
      files: async () => ({
        "manifest.json": await cliManifest({ "web.container": bad }),
        "web.container": bad,
      }),
      error: { code: "ERR_NOT_UTF8", file: "web.container" },
    },
    {
      name: "a manifest without units",
      files: () =>
        Promise.resolve({
          "manifest.json": JSON.stringify({ files: [] }),
        }),
      error: {
        code: "ERR_NO_UNITS",
        message:
          `Cannot use ${FOLDER} as a deployment: its manifest names no quadlet unit`,
      },
    },
    {
      name: "more files than the limit",
      files: async () => ({
        "manifest.json": await cliManifest({
          "a.container": WEB,
          "b.container": WEB,
        }),
      }),
      options: { maxFiles: 1 },
      error: {
        code: "ERR_FILE_TOO_LARGE",
        message:
          `Cannot fetch ${FOLDER}: it has 2 files, more than the limit of 1`,
      },
    },
    {
      name: "a file over the size limit",
      files: async () => {
        const big = encoder.encode(`# ${"x".repeat(300)}\n[Container]\n`);
        return {
          "manifest.json": await cliManifest({ "web.container": big }),
          "web.container": big,
        };
      },
      options: { maxFileSize: 250 },
      error: {
        code: "ERR_FILE_TOO_LARGE",
        message:
          /^Cannot fetch "web\.container" from .*more than the limit of 250 bytes/,
      },
    },
    {
      name: "a manifest that is not JSON",
      files: () => Promise.resolve({ "manifest.json": "{services" }),
      error: { code: "ERR_MANIFEST_INVALID", file: `${FOLDER}manifest.json` },
    },
  ];
  for (const { name, files, options = {}, error } of cases) {
    await t.step(name, async () => {
      const host = staticHost(await files());
      await rejects(
        fetchLegerRunSource({ userUuid: UUID, version: "v1" }, {
          urls: URLS,
          fetch: host.fetch,
          ...options,
        }),
        error,
      );
    });
  }
});

Deno.test("fetchLegerRunSource() gives up on the whole fetch after timeoutMs, however each file trickles", async () => {
  const manifest = await cliManifest({ "web.container": WEB });
  let cancelled = 0;
  // web.container's answer starts and never ends, while every read of it
  // returns a byte now and then: no per-file timeout can see it stall.
  const fetch = ((input: string | URL | Request, init?: RequestInit) => {
    const path = String(input).slice(FOLDER.length);
    if (path === "manifest.json") {
      return Promise.resolve(new Response(manifest));
    }
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull: (controller) =>
        new Promise<void>((resolve, reject) => {
          if (sent++ === 0) {
            controller.enqueue(WEB.slice(0, 1));
            return resolve();
          }
          init?.signal?.addEventListener("abort", () => {
            cancelled++;
            reject(init.signal!.reason);
          });
        }),
    });
    return Promise.resolve(new Response(body));
  }) as typeof globalThis.fetch;
  await rejects(
    fetchLegerRunSource({ userUuid: UUID, version: "v1" }, {
      urls: URLS,
      fetch,
      timeoutMs: 50,
    }),
    (error: unknown) => {
      strictEqual(
        (error as { code?: string }).code,
        "ERR_MANIFEST_FETCH_FAILED",
      );
      const { message, details, remedy } = error as {
        message: string;
        details: string[];
        remedy: string;
      };
      strictEqual(
        message.replace(/waited \d+(\.\d)? s/, "waited N s"),
        `Cannot fetch the deployment from ${URLS.static}/${UUID}/: it did not arrive whole within the limit of 0.1 s (waited N s)`,
      );
      deepStrictEqual(details, [`still waiting for ${FOLDER}web.container`]);
      strictEqual(remedy.includes("--timeout SECONDS"), true);
      return true;
    },
  );
  strictEqual(cancelled, 1);
});

Deno.test("fetchLegerRunSource() stops with the signal's reason when the caller aborts", async () => {
  const controller = new AbortController();
  const reason = new Error("Interrupted by SIGINT");
  const fetch = ((_input: string | URL | Request, init?: RequestInit) => {
    controller.abort(reason);
    return Promise.reject(init?.signal?.reason);
  }) as typeof globalThis.fetch;
  await rejects(
    fetchLegerRunSource({ userUuid: UUID, version: "v1" }, {
      urls: URLS,
      fetch,
      signal: controller.signal,
    }),
    (error: unknown) => error === reason,
  );
});
