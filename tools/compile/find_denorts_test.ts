import {
  deepStrictEqual,
  match,
  ok,
  rejects,
  strictEqual,
} from "node:assert/strict";
import { tempFolder } from "../../tests/_folders.ts";
import { writeStandIn } from "./_fixtures.ts";
import { EXIT_SKIPPED } from "./compile_error.ts";
import { findDenorts } from "./find_denorts.ts";

const X86 = "x86_64-unknown-linux-gnu";
const ARM = "aarch64-unknown-linux-gnu";

/** A fetch that fails the test if called. */
function noFetch(): Promise<Response> {
  throw new Error("fetch called");
}

Deno.test("findDenorts() takes DENORT_BIN for one target, checked, and refuses it for two", async () => {
  await using dir = await tempFolder();
  const bin = await writeStandIn(`${dir.path}/denort`, 62);
  deepStrictEqual(
    await findDenorts([X86], {
      denortBin: bin,
      denoDir: dir.path,
      fetch: noFetch,
    }),
    [{ kind: "DENORT_BIN", path: bin }],
  );
  await rejects(
    findDenorts([X86, ARM], {
      denortBin: bin,
      denoDir: dir.path,
      fetch: noFetch,
    }),
    (error: Error) => {
      strictEqual((error as { exitCode?: number }).exitCode, 2);
      match(error.message, /with DENORT_BIN set: Deno uses that one denort/);
      match(
        error.message,
        /Pass --target with the target of that denort, or unset DENORT_BIN/,
      );
      return true;
    },
  );
  // Checked with checkDenortBin(): for the target, with this Deno's marks.
  await rejects(
    findDenorts([ARM], { denortBin: bin, denoDir: dir.path, fetch: noFetch }),
    { message: /it is built for x86_64-unknown-linux-gnu \(ELF machine 62\)/ },
  );
  await rejects(
    findDenorts([X86], {
      denortBin: bin,
      denoDir: dir.path,
      denoVersion: "2.8.0",
      v8Version: "14.0.0.0-rusty",
      fetch: noFetch,
    }),
    {
      message:
        /it is not a denort of Deno 2\.8\.0: its bytes lack "Deno\/2\.8\.0"/,
    },
  );
  // Deno reads an empty DENORT_BIN as a path too.
  await rejects(
    findDenorts([X86], { denortBin: "", denoDir: dir.path, fetch: noFetch }),
    {
      message:
        /^Cannot use DENORT_BIN "": it is set but empty, and Deno reads it as a path all the same\n/,
    },
  );
});

Deno.test("findDenorts() takes Deno's cache, else dl.deno.land when it answers HEAD", async () => {
  await using dir = await tempFolder();
  const cached = `${dir.path}/dl/release/v2.9.6/denort-${X86}.zip`;
  await Deno.mkdir(`${dir.path}/dl/release/v2.9.6`, { recursive: true });
  await Deno.writeFile(cached, new Uint8Array([0x50, 0x4b, 3, 4]));
  const asked: [string, string | undefined][] = [];
  const sources = await findDenorts([X86, ARM], {
    denoDir: dir.path,
    denoVersion: "2.9.6",
    fetch: (input, init) => {
      asked.push([String(input), init?.method]);
      return Promise.resolve(new Response(null, { status: 200 }));
    },
  });
  deepStrictEqual(sources, [
    { kind: "cache", path: cached },
    {
      kind: "download",
      url: `https://dl.deno.land/release/v2.9.6/denort-${ARM}.zip`,
    },
  ]);
  deepStrictEqual(asked, [[
    `https://dl.deno.land/release/v2.9.6/denort-${ARM}.zip`,
    "HEAD",
  ]]);
});

Deno.test("findDenorts() stops with exit 77 and says what is missing, why and the fix", async (t) => {
  await using dir = await tempFolder();
  const cases: {
    name: string;
    fetch: typeof fetch;
    summary: string;
    detail: RegExp;
    proxyVariable?: string;
  }[] = [
    {
      name: "unreachable",
      fetch: () =>
        Promise.reject(
          new TypeError("fetch failed", {
            cause: new Error(
              `error sending request for url (https://dl.deno.land/release/v2.9.6/denort-${X86}.zip): client error (Connect): dns error: failed to lookup address information: Name or service not known`,
            ),
          }),
        ),
      summary: "dl.deno.land is unreachable",
      detail:
        /\.zip: dns error: failed to lookup address information: Name or service not known$/m,
    },
    {
      name: "through a proxy",
      fetch: () => Promise.reject(new TypeError("fetch failed")),
      summary: "dl.deno.land is unreachable",
      detail: /\.zip: fetch failed \(through the proxy HTTPS_PROXY names\)$/m,
      proxyVariable: "HTTPS_PROXY",
    },
    {
      name: "no such release",
      fetch: () =>
        Promise.resolve(
          new Response(null, { status: 404, statusText: "Not Found" }),
        ),
      summary: "dl.deno.land answered HTTP 404",
      detail: /\.zip: HTTP 404 Not Found$/m,
    },
    {
      name: "no answer in time",
      // Answers only when aborted: the 1 ms timeout of the probe.
      fetch: (_input, init) =>
        new Promise((_resolve, reject) =>
          init?.signal?.addEventListener(
            "abort",
            () => reject(init.signal?.reason),
          )
        ),
      summary: "dl.deno.land is unreachable",
      detail: /\.zip: no answer within 0.001 s$/m,
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      await rejects(
        findDenorts([X86], {
          denoDir: dir.path,
          denoVersion: "2.9.6",
          fetch: c.fetch,
          timeoutMs: 1,
          proxyVariable: c.proxyVariable,
        }),
        (error: Error) => {
          strictEqual((error as { exitCode?: number }).exitCode, EXIT_SKIPPED);
          const lines = error.message.split("\n");
          strictEqual(
            lines[0],
            `Cannot compile leger: no denort for ${X86} (DENORT_BIN is not set, Deno's cache has none, ${c.summary}), so nothing was built`,
          );
          ok(lines.includes(
            `  ${X86}: Deno's cache has no ${dir.path}/dl/release/v2.9.6/denort-${X86}.zip`,
          ));
          match(error.message, c.detail);
          strictEqual(
            lines.at(-1),
            `  Build on a machine that reaches dl.deno.land, or set DENORT_BIN to the \`denort\` of Deno 2.9.6 for that target, unzipped from denort-${X86}.zip (https://github.com/denoland/deno/releases/tag/v2.9.6)`,
          );
          return true;
        },
      );
    });
  }
});
