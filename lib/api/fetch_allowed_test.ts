import { deepStrictEqual, rejects, strictEqual } from "node:assert/strict";
import { fetchAllowed } from "./fetch_allowed.ts";

/** One request the fake server saw. */
interface Seen {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  redirect: RequestRedirect | undefined;
}

/**
 * A fake `fetch` answering from a table of URL → answer; any URL not in
 * the table fails the test.
 */
function fakeFetch(routes: Record<string, () => Response>) {
  const seen: Seen[] = [];
  const fetch = ((input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    seen.push({
      url,
      method: init?.method ?? "GET",
      headers: { ...(init?.headers as Record<string, string>) },
      body: init?.body as string | undefined,
      redirect: init?.redirect,
    });
    const route = routes[url];
    if (route === undefined) throw new Error(`unexpected fetch of ${url}`);
    return Promise.resolve(route());
  }) as typeof globalThis.fetch;
  return { fetch, seen };
}

function redirect(status: number, location: string): () => Response {
  return () => new Response("moved", { status, headers: { location } });
}

Deno.test("fetchAllowed() follows redirects to leger.run's hosts and loopback, itself", async () => {
  const { fetch, seen } = fakeFetch({
    "https://api.leger.run/a": redirect(301, "/b"),
    "https://api.leger.run/b": redirect(302, "https://static.leger.run/c"),
    "https://static.leger.run/c": redirect(307, "http://127.0.0.1:8787/d"),
    "http://127.0.0.1:8787/d": redirect(308, "http://[::1]:8787/e"),
    "http://[::1]:8787/e": redirect(302, "http://localhost:8787/f"),
    "http://localhost:8787/f": () => new Response("here"),
  });
  const response = await fetchAllowed("https://api.leger.run/a", {
    action: "list releases",
    fetch,
  });
  strictEqual(await response.text(), "here");
  strictEqual(seen.length, 6);
  deepStrictEqual(new Set(seen.map((s) => s.redirect)), new Set(["manual"]));
});

Deno.test("fetchAllowed() refuses a redirect to any other host with ERR_NETWORK_NOT_ALLOWED, sending nothing there", async (t) => {
  const cases: { name: string; location: string; target: string }[] = [
    {
      name: "another loopback address",
      location: "http://127.0.0.2:8787/x",
      target: '"127.0.0.2:8787", a host leger may not connect to',
    },
    {
      name: "a host outside leger.run, with credentials",
      location: "https://someone:s3cr3t@evil.example.com/x",
      target: '"evil.example.com:443", a host leger may not connect to',
    },
    {
      name: "a host whose name starts like leger.run's",
      location: "https://api.leger.run.example.com/x",
      target:
        '"api.leger.run.example.com:443", a host leger may not connect to',
    },
    {
      name: "leger.run over plain http",
      location: "http://static.leger.run/x",
      target:
        '"static.leger.run:80" over plain http, which leger uses for loopback only',
    },
    {
      name: "another scheme",
      location: "file:///etc/passwd",
      target: 'a "file:" URL, which leger does not follow',
    },
  ];
  for (const { name, location, target } of cases) {
    await t.step(name, async () => {
      const { fetch, seen } = fakeFetch({
        "https://api.leger.run/releases": redirect(302, location),
      });
      await rejects(
        fetchAllowed("https://api.leger.run/releases", {
          action: "list releases",
          headers: { authorization: "Bearer t0ken" },
          fetch,
        }),
        (error: Error & { code: string; remedy: string }) => {
          strictEqual(error.name, "LegerError");
          strictEqual(error.code, "ERR_NETWORK_NOT_ALLOWED");
          strictEqual(
            error.message,
            `Cannot list releases: https://api.leger.run/releases redirected leger to ${target}`,
          );
          strictEqual(
            error.remedy.startsWith(
              "leger connects only to api.leger.run, static.leger.run, app.leger.run, 127.0.0.1, localhost, [::1], and follows no redirect elsewhere",
            ),
            true,
          );
          strictEqual(
            `${error.message}${error.remedy}`.includes("s3cr3t"),
            false,
          );
          return true;
        },
      );
      strictEqual(seen.length, 1);
    });
  }
});

Deno.test("fetchAllowed() sends authorization to the first URL's origin only, as fetch does", async () => {
  const { fetch, seen } = fakeFetch({
    "https://api.leger.run/a": redirect(302, "https://api.leger.run/b"),
    "https://api.leger.run/b": redirect(302, "https://static.leger.run/c"),
    "https://static.leger.run/c": () => new Response("ok"),
  });
  await fetchAllowed("https://api.leger.run/a", {
    action: "do it",
    headers: { Authorization: "Bearer t0ken", accept: "application/json" },
    fetch,
  });
  deepStrictEqual(seen.map((s) => s.headers), [
    { Authorization: "Bearer t0ken", accept: "application/json" },
    { Authorization: "Bearer t0ken", accept: "application/json" },
    { accept: "application/json" },
  ]);
});

Deno.test("fetchAllowed() changes the method as fetch does: 303, and 301/302 after a POST, become a GET without a body", async (t) => {
  const cases: [number, string, string, string | undefined][] = [
    [301, "POST", "GET", undefined],
    [302, "POST", "GET", undefined],
    [303, "POST", "GET", undefined],
    [303, "DELETE", "GET", undefined],
    [307, "POST", "POST", "{}"],
    [308, "POST", "POST", "{}"],
    [301, "DELETE", "DELETE", "{}"],
  ];
  for (const [status, method, after, body] of cases) {
    await t.step(`${status} after ${method}`, async () => {
      const { fetch, seen } = fakeFetch({
        "https://api.leger.run/a": redirect(status, "/b"),
        "https://api.leger.run/b": () => new Response("ok"),
      });
      await fetchAllowed("https://api.leger.run/a", {
        action: "do it",
        method,
        headers: { "content-type": "application/json", accept: "*/*" },
        body: "{}",
        fetch,
      });
      strictEqual(seen[1].method, after);
      strictEqual(seen[1].body, body);
      deepStrictEqual(
        seen[1].headers,
        body === undefined
          ? { accept: "*/*" }
          : { "content-type": "application/json", accept: "*/*" },
      );
    });
  }
});

Deno.test("fetchAllowed() returns a 3xx without a Location, and a 304, as they are", async () => {
  const { fetch } = fakeFetch({
    "https://api.leger.run/a": () => new Response(null, { status: 302 }),
    "https://api.leger.run/b": () =>
      new Response(null, { status: 304, headers: { location: "/c" } }),
  });
  strictEqual(
    (await fetchAllowed("https://api.leger.run/a", { action: "x", fetch }))
      .status,
    302,
  );
  strictEqual(
    (await fetchAllowed("https://api.leger.run/b", { action: "x", fetch }))
      .status,
    304,
  );
});

Deno.test("fetchAllowed() throws a TypeError, as fetch does, after too many redirects or for a Location that is not a URL", async () => {
  const loop = fakeFetch({
    "https://api.leger.run/a": redirect(302, "/b"),
    "https://api.leger.run/b": redirect(302, "/a"),
  });
  await rejects(
    fetchAllowed("https://api.leger.run/a", {
      action: "x",
      maxRedirects: 3,
      fetch: loop.fetch,
    }),
    { name: "TypeError", message: "too many redirects (more than 3)" },
  );
  strictEqual(loop.seen.length, 4);
  const bad = fakeFetch({
    "http://127.0.0.1:8787/a": redirect(302, "http://[::1"),
  });
  await rejects(
    fetchAllowed("http://127.0.0.1:8787/a", { action: "x", fetch: bad.fetch }),
    {
      name: "TypeError",
      message: "a redirect (HTTP 302) gave a Location that is not a URL",
    },
  );
});
