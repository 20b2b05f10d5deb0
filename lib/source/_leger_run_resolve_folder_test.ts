import { deepStrictEqual, rejects, strictEqual } from "node:assert/strict";
import { resolveLegerRunFolder } from "./_leger_run_resolve_folder.ts";
import { StaticFetchError } from "./_leger_run_static_fetch_error.ts";

const UUID = "f44a09fc-90d1-5f2b-bf2c-7380100ec435";
const URLS = {
  api: "http://127.0.0.1:9/api",
  static: "http://127.0.0.1:9/static",
  web: "http://127.0.0.1:9/app",
};
const SPACE = `${URLS.static}/${UUID}/`;
const MANIFEST = new TextEncoder().encode('{"services": []}');

interface FakeRelease {
  name: string;
  version: number;
  user_uuid?: string;
  deployment:
    | null
    | { status: string; manifest_url?: string | null; r2_path?: string | null };
}

/** A fake API (envelopes as the contract says) and static host, recording requests. */
function fakeLegerRun(releases: FakeRelease[], staticFiles: string[] = []) {
  const requests: string[] = [];
  const byId = releases.map((release, i) => ({
    id: `rel_${i}`,
    user_uuid: release.user_uuid ?? UUID,
    name: release.name,
    version: release.version,
    created_at: "",
    updated_at: "",
  }));
  const fetch = ((input: string | URL | Request) => {
    const url = new URL(String(input));
    requests.push(`${url.pathname}${url.search}`);
    const route = url.pathname.replace(/^\/api/, "");
    const ok = (data: unknown) => Response.json({ success: true, data });
    if (route === "/releases") {
      const name = url.searchParams.get("name");
      return Promise.resolve(ok({
        releases: byId.filter((r) => name === null || r.name === name),
      }));
    }
    const match = /^\/releases\/(rel_\d+)\/deployment$/.exec(route);
    if (match !== null) {
      const index = Number(match[1].slice(4));
      const deployment = releases[index].deployment;
      return Promise.resolve(ok({
        deployment: deployment === null ? null : {
          id: `dep_${index}`,
          release_id: match[1],
          user_uuid: byId[index].user_uuid,
          status: deployment.status,
          r2_path: deployment.r2_path ?? null,
          manifest_url: deployment.manifest_url ?? null,
          error_message: null,
          started_at: null,
          completed_at: null,
        },
        hasConfiguration: true,
      }));
    }
    return Promise.resolve(new Response("no route", { status: 599 }));
  }) as typeof globalThis.fetch;
  const fetchFile = (url: string) => {
    requests.push(new URL(url).pathname);
    return staticFiles.includes(url)
      ? Promise.resolve(MANIFEST)
      : Promise.reject(
        new StaticFetchError({
          url,
          failure: "status",
          status: 404,
          reason: "answered HTTP 404 Not Found",
          attempts: 1,
        }),
      );
  };
  return { fetch, fetchFile, requests };
}

const deployed = (version: number, status = "ready") => ({
  status,
  manifest_url: `https://static.leger.run/${UUID}/v${version}/manifest.json`,
  r2_path: `${UUID}/v${version}/`,
});

Deno.test("resolveLegerRunFolder() resolves versions and releases as the contract says", async (t) => {
  const cases: {
    name: string;
    spec: { version: string; releaseName?: string };
    releases?: FakeRelease[];
    staticFiles?: string[];
    expected: Record<string, unknown>;
    requests: string[];
  }[] = [
    {
      name: "vN is its folder, without asking anything",
      spec: { version: "v7" },
      expected: { url: `${SPACE}v7/`, location: `${SPACE}v7/`, version: "v7" },
      requests: [],
    },
    {
      name: "latest is latest/ when its manifest exists",
      spec: { version: "latest" },
      staticFiles: [`${SPACE}latest/manifest.json`],
      expected: {
        url: `${SPACE}latest/`,
        location: `${SPACE}latest/`,
        version: "latest",
        manifest: MANIFEST,
      },
      requests: [`/static/${UUID}/latest/manifest.json`],
    },
    {
      name:
        "latest without latest/ is the newest release with a finished deployment",
      spec: { version: "latest" },
      releases: [
        { name: "draft", version: 4, deployment: null },
        { name: "busy", version: 3, deployment: { status: "uploading" } },
        { name: "prod", version: 2, deployment: deployed(2, "ready") },
        { name: "old", version: 1, deployment: deployed(1, "deployed") },
      ],
      expected: {
        url: `${SPACE}v2/`,
        location: `${SPACE}latest/`,
        version: "v2",
        releaseName: "prod",
      },
      requests: [
        `/static/${UUID}/latest/manifest.json`,
        "/api/releases",
        "/api/releases/rel_0/deployment",
        "/api/releases/rel_1/deployment",
        "/api/releases/rel_2/deployment",
      ],
    },
    {
      name:
        "a deployed release counts as finished, and another user's release does not",
      spec: { version: "latest" },
      releases: [
        {
          name: "theirs",
          version: 9,
          user_uuid: "00000000-0000-5000-8000-000000000000",
          deployment: deployed(9),
        },
        { name: "mine", version: 5, deployment: deployed(5, "deployed") },
      ],
      expected: {
        url: `${SPACE}v5/`,
        location: `${SPACE}latest/`,
        version: "v5",
        releaseName: "mine",
      },
      requests: [
        `/static/${UUID}/latest/manifest.json`,
        "/api/releases",
        "/api/releases/rel_1/deployment",
      ],
    },
    {
      name:
        "a release name through ?name=, its version from r2_path when manifest_url is absent",
      spec: { version: "latest", releaseName: "prod" },
      releases: [
        { name: "next", version: 3, deployment: deployed(3) },
        {
          name: "prod",
          version: 2,
          deployment: { status: "ready", r2_path: `${UUID}/v2/` },
        },
      ],
      expected: {
        url: `${SPACE}v2/`,
        location: `${SPACE}v2/`,
        version: "v2",
        releaseName: "prod",
      },
      requests: ["/api/releases?name=prod", "/api/releases/rel_1/deployment"],
    },
    {
      name: "a release's own number when its deployment names no folder",
      spec: { version: "latest", releaseName: "prod" },
      releases: [{
        name: "prod",
        version: 6,
        deployment: { status: "ready" },
      }],
      expected: {
        url: `${SPACE}v6/`,
        location: `${SPACE}v6/`,
        version: "v6",
        releaseName: "prod",
      },
      requests: ["/api/releases?name=prod", "/api/releases/rel_0/deployment"],
    },
  ];
  for (
    const { name, spec, releases = [], staticFiles, expected, requests }
      of cases
  ) {
    await t.step(name, async () => {
      const fake = fakeLegerRun(releases, staticFiles);
      let tokenReads = 0;
      const folder = await resolveLegerRunFolder({ userUuid: UUID, ...spec }, {
        urls: URLS,
        fetch: fake.fetch,
        fetchFile: fake.fetchFile,
        token: () => {
          tokenReads++;
          return Promise.resolve("t0ken");
        },
      });
      deepStrictEqual(folder, expected);
      deepStrictEqual(fake.requests, requests);
      strictEqual(
        tokenReads,
        requests.some((r) => r.startsWith("/api")) ? 1 : 0,
      );
    });
  }
});

Deno.test("resolveLegerRunFolder() fails with the fix when no release fits", async (t) => {
  const cases: {
    name: string;
    spec: { version: string; releaseName?: string };
    releases: FakeRelease[];
    token?: string;
    error: Record<string, unknown>;
  }[] = [
    {
      name: "no release with a finished deployment",
      spec: { version: "latest" },
      releases: [
        { name: "busy", version: 2, deployment: { status: "rendering" } },
        { name: "broken", version: 1, deployment: { status: "failed" } },
      ],
      token: "t0ken",
      error: {
        code: "ERR_MANIFEST_FETCH_FAILED",
        message:
          `Cannot find the latest version of ${SPACE}: it has no latest/ folder, and no release has a finished deployment`,
        details: [
          'release "busy" (v2): deployment rendering',
          'release "broken" (v1): deployment failed',
        ],
      },
    },
    {
      name: "no release at all",
      spec: { version: "latest" },
      releases: [],
      token: "t0ken",
      error: {
        code: "ERR_MANIFEST_FETCH_FAILED",
        message:
          `Cannot find the latest version of ${SPACE}: it has no latest/ folder, and the space has no release`,
      },
    },
    {
      name: "no login when the API must be asked",
      spec: { version: "latest" },
      releases: [],
      error: {
        code: "ERR_LEGER_NOT_AUTHENTICATED",
        remedy: "Run `leger auth login`, or name a version with --version vN",
      },
    },
    {
      name: "an unknown release name",
      spec: { version: "latest", releaseName: "nope" },
      releases: [{ name: "prod", version: 1, deployment: deployed(1) }],
      token: "t0ken",
      error: {
        code: "ERR_MANIFEST_FETCH_FAILED",
        message: `Cannot find release "nope" in the leger.run space ${SPACE}`,
      },
    },
    {
      name: "a named release still rendering",
      spec: { version: "latest", releaseName: "prod" },
      releases: [{
        name: "prod",
        version: 1,
        deployment: { status: "rendering" },
      }],
      token: "t0ken",
      error: {
        code: "ERR_MANIFEST_FETCH_FAILED",
        message:
          'Cannot fetch release "prod": its deployment is rendering, not finished',
      },
    },
    {
      name: "a named release never deployed",
      spec: { version: "latest", releaseName: "prod" },
      releases: [{ name: "prod", version: 1, deployment: null }],
      token: "t0ken",
      error: {
        code: "ERR_MANIFEST_FETCH_FAILED",
        message: 'Cannot fetch release "prod": it has never been deployed',
      },
    },
  ];
  for (const { name, spec, releases, token, error } of cases) {
    await t.step(name, async () => {
      const fake = fakeLegerRun(releases);
      await rejects(
        resolveLegerRunFolder({ userUuid: UUID, ...spec }, {
          urls: URLS,
          fetch: fake.fetch,
          fetchFile: fake.fetchFile,
          token,
        }),
        error,
      );
    });
  }
});

Deno.test("resolveLegerRunFolder() passes on a failed latest/ probe other than 404", async () => {
  const failure = new StaticFetchError({
    url: `${SPACE}latest/manifest.json`,
    failure: "status",
    status: 500,
    reason: "answered HTTP 500",
    attempts: 4,
  });
  await rejects(
    resolveLegerRunFolder({ userUuid: UUID, version: "latest" }, {
      urls: URLS,
      fetchFile: () => Promise.reject(failure),
      token: "t0ken",
    }),
    (error) => error === failure,
  );
});
