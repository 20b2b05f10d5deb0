import { deepStrictEqual, ok, strictEqual, throws } from "node:assert/strict";
import { LegerError } from "../errors/mod.ts";
import { chooseRef, type ChosenRef, type RemoteRef } from "./choose_ref.ts";

const SHA = "c".repeat(40);
const REFS: RemoteRef[] = [
  "refs/heads/main",
  "refs/heads/feature",
  "refs/heads/feature/x",
  "refs/heads/release",
  "refs/tags/release",
  "refs/tags/v1.0",
  "refs/tags/only-tag",
].map((name, i) => ({ name, object: String(i).repeat(40) }));

const CASES: [string, string[], "branch" | "tag" | undefined, ChosenRef][] = [
  [
    "picks the longest matching ref",
    ["feature", "x", "apps", "web"],
    undefined,
    {
      ref: "feature/x",
      fetchRef: "refs/heads/feature/x",
      object: "2".repeat(40),
      kind: "branch",
      path: "apps/web",
    },
  ],
  [
    "picks a shorter ref when the longer is not one",
    ["feature", "y"],
    undefined,
    {
      ref: "feature",
      fetchRef: "refs/heads/feature",
      object: "1".repeat(40),
      kind: "branch",
      path: "y",
    },
  ],
  ["gives the top folder when only a ref is named", ["main"], undefined, {
    ref: "main",
    fetchRef: "refs/heads/main",
    object: "0".repeat(40),
    kind: "branch",
    path: "",
  }],
  ["picks a tag", ["v1.0", "web"], undefined, {
    ref: "v1.0",
    fetchRef: "refs/tags/v1.0",
    object: "5".repeat(40),
    kind: "tag",
    path: "web",
  }],
  [
    "prefers a branch to a tag of the same name",
    ["release", "web"],
    undefined,
    {
      ref: "release",
      fetchRef: "refs/heads/release",
      object: "3".repeat(40),
      kind: "branch",
      path: "web",
    },
  ],
  ["takes only tags for /src/tag/", ["release", "web"], "tag", {
    ref: "release",
    fetchRef: "refs/tags/release",
    object: "4".repeat(40),
    kind: "tag",
    path: "web",
  }],
  ["takes a full commit id", [SHA, "apps", "web"], undefined, {
    ref: SHA,
    fetchRef: SHA,
    object: SHA,
    kind: "commit",
    path: "apps/web",
  }],
];

Deno.test("chooseRef() splits REF/PATH against the remote's refs", async (t) => {
  for (const [name, words, kind, expected] of CASES) {
    await t.step(name, () => {
      deepStrictEqual(chooseRef(words, REFS, kind ? { kind } : {}), expected);
    });
  }
});

const MISSES: [string, string[], "branch" | "tag" | undefined, RegExp][] = [
  [
    "no prefix is a ref",
    ["nope", "x", "web"],
    undefined,
    /none of "nope", "nope\/x", "nope\/x\/web" is a branch or tag/,
  ],
  [
    "a tag asked for as a branch",
    ["only-tag", "web"],
    "branch",
    /is a branch of the remote/,
  ],
  [
    "an abbreviated commit id",
    ["abc1234", "web"],
    undefined,
    /abbreviated commit id/,
  ],
];

Deno.test("chooseRef() names the candidates and how to list refs when none matches", async (t) => {
  for (const [name, words, kind, message] of MISSES) {
    await t.step(name, () => {
      throws(
        () =>
          chooseRef(words, REFS, {
            url: "https://host/org/repo",
            ...(kind ? { kind } : {}),
          }),
        (err: unknown) => {
          ok(err instanceof LegerError);
          strictEqual(err.code, "ERR_GIT_CLONE_FAILED");
          ok(
            message.test([err.message, ...err.details].join("\n")),
            err.message,
          );
          strictEqual(
            err.remedy,
            "List the remote's branches and tags: git ls-remote --heads --tags https://host/org/repo",
          );
          return true;
        },
      );
    });
  }
});

Deno.test("chooseRef() refuses a folder leaving the repository", () => {
  throws(() => chooseRef(["main", "..", "etc"], REFS), {
    name: "LegerError",
    message: /must be a plain path inside the repository/,
  });
});
