import { deepStrictEqual, throws } from "node:assert/strict";
import { classifySource, type SourceSpec } from "./classify_source.ts";

const STATIC = "https://static.leger.run";
const UUID = "0b7d3b3e-5c64-5a4c-9d0e-3f1c2b9e4a11";
const existing = new Set(["./app", "/srv/app", "/home/a/app"]);
const options = {
  staticUrl: STATIC,
  isLocalPath: (p: string) => existing.has(p),
};

Deno.test("classifySource() tells local, leger.run and Git sources apart", () => {
  const cases: [string | undefined, SourceSpec][] = [
    [undefined, { type: "leger.run-space", version: "latest" }],
    ["./app", { type: "local", path: "./app" }],
    ["/srv/app", { type: "local", path: "/srv/app" }],
    [`${STATIC}/${UUID}/v3/`, {
      type: "leger.run",
      userUuid: UUID,
      version: "v3",
    }],
    [`${STATIC}/${UUID}/latest`, {
      type: "leger.run",
      userUuid: UUID,
      version: "latest",
    }],
    ["https://github.com/org/quadlets/tree/main/nginx", {
      type: "git",
      url: "https://github.com/org/quadlets/tree/main/nginx",
    }],
    ["git@github.com:org/repo.git", {
      type: "git",
      url: "git@github.com:org/repo.git",
    }],
    ["ssh://git@host/org/repo.git", {
      type: "git",
      url: "ssh://git@host/org/repo.git",
    }],
    ["file:///srv/git/repo.git#main:apps/web", {
      type: "git",
      url: "file:///srv/git/repo.git#main:apps/web",
    }],
    ["http://static.leger.run/x/v1/", {
      type: "git",
      url: "http://static.leger.run/x/v1/",
    }],
  ];
  for (const [source, expected] of cases) {
    deepStrictEqual(classifySource(source, options), expected, String(source));
  }
});

Deno.test("classifySource() uses --version for the user's own space", () => {
  deepStrictEqual(classifySource(undefined, { ...options, version: "v7" }), {
    type: "leger.run-space",
    version: "v7",
  });
});

Deno.test("classifySource() follows a self-hosted static base with a path", () => {
  const base = "http://127.0.0.1:8787/static";
  deepStrictEqual(
    classifySource(`${base}/${UUID}/v2/`, { ...options, staticUrl: base }),
    { type: "leger.run", userUuid: UUID, version: "v2" },
  );
});

Deno.test("classifySource() rejects what it cannot use", () => {
  const cases: [string | undefined, string | undefined, RegExp][] = [
    [
      `${STATIC}/${UUID}/`,
      undefined,
      /expected https:\/\/static\.leger\.run\/<user-uuid>\/<version>\//,
    ],
    [`${STATIC}/${UUID}/v3/web.container`, undefined, /expected/],
    [`${STATIC}/${UUID}/three/`, undefined, /expected/],
    ["./missing", undefined, /Cannot find the source "\.\/missing"/],
    [undefined, "3", /expected "latest" or vN/],
    ["./app", "v2", /Cannot use --version with --source/],
  ];
  for (const [source, version, message] of cases) {
    throws(() => classifySource(source, { ...options, version }), {
      name: "LegerError",
      message,
    });
  }
});
