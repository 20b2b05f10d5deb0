import { deepStrictEqual, ok, strictEqual, throws } from "node:assert/strict";
import { LegerError } from "../errors/mod.ts";
import { type GitUrl, parseGitUrl } from "./parse_git_url.ts";

const CASES: [string, string, Omit<GitUrl, "displayUrl">][] = [
  ["a GitHub repository", "https://github.com/org/repo", {
    cloneUrl: "https://github.com/org/repo",
    repoName: "repo",
  }],
  [
    "a GitHub folder at a ref holding /",
    "https://github.com/org/repo/tree/feature/x/apps/web",
    {
      cloneUrl: "https://github.com/org/repo",
      repoName: "repo",
      refWords: ["feature", "x", "apps", "web"],
    },
  ],
  ["a GitHub ref with a trailing /", "https://github.com/org/repo/tree/main/", {
    cloneUrl: "https://github.com/org/repo",
    repoName: "repo",
    refWords: ["main"],
  }],
  [
    "a GitLab folder in a subgroup",
    "https://gitlab.com/group/sub/repo/-/tree/v1.2/deploy/web?ref_type=tags",
    {
      cloneUrl: "https://gitlab.com/group/sub/repo",
      repoName: "repo",
      refWords: ["v1.2", "deploy", "web"],
    },
  ],
  [
    "a Codeberg branch folder",
    "https://codeberg.org/org/repo/src/branch/feature/x/apps/web",
    {
      cloneUrl: "https://codeberg.org/org/repo",
      repoName: "repo",
      refWords: ["feature", "x", "apps", "web"],
      refKind: "branch",
    },
  ],
  ["a Forgejo tag folder", "https://git.example.org/org/repo/src/tag/v1/web", {
    cloneUrl: "https://git.example.org/org/repo",
    repoName: "repo",
    refWords: ["v1", "web"],
    refKind: "tag",
  }],
  [
    "a Gitea commit folder",
    `https://gitea.example.org/org/repo/src/commit/${"a".repeat(40)}/apps/web`,
    {
      cloneUrl: "https://gitea.example.org/org/repo",
      repoName: "repo",
      ref: "a".repeat(40),
      path: "apps/web",
    },
  ],
  [
    "the /tree/ form on any host",
    "http://127.0.0.1:8080/org/repo/tree/main/apps/web",
    {
      cloneUrl: "http://127.0.0.1:8080/org/repo",
      repoName: "repo",
      refWords: ["main", "apps", "web"],
    },
  ],
  ["percent-encoded words", "https://github.com/org/repo/tree/main/my%20app", {
    cloneUrl: "https://github.com/org/repo",
    repoName: "repo",
    refWords: ["main", "my app"],
  }],
  [
    "a .git URL with a ref and folder",
    "https://git.example.org/a/b/repo.git#feature/x:apps/web/",
    {
      cloneUrl: "https://git.example.org/a/b/repo.git",
      repoName: "repo",
      ref: "feature/x",
      path: "apps/web",
    },
  ],
  ["a .git URL whose path holds tree", "https://host/org/tree/repo.git#main", {
    cloneUrl: "https://host/org/tree/repo.git",
    repoName: "repo",
    ref: "main",
  }],
  ["a folder on the default branch", "https://github.com/org/repo#:apps/web", {
    cloneUrl: "https://github.com/org/repo",
    repoName: "repo",
    path: "apps/web",
  }],
  ["an scp-like ssh address", "git@github.com:org/repo.git", {
    cloneUrl: "git@github.com:org/repo.git",
    repoName: "repo",
  }],
  [
    "an scp-like address with ref and folder",
    "git@host.example:org/repo.git#v2:web",
    {
      cloneUrl: "git@host.example:org/repo.git",
      repoName: "repo",
      ref: "v2",
      path: "web",
    },
  ],
  [
    "an ssh URL with a port",
    "ssh://git@host.example:2222/org/repo.git#main:web",
    {
      cloneUrl: "ssh://git@host.example:2222/org/repo.git",
      repoName: "repo",
      ref: "main",
      path: "web",
    },
  ],
  ["a file URL", "file:///srv/git/repo.git#main:apps/web", {
    cloneUrl: "file:///srv/git/repo.git",
    repoName: "repo",
    ref: "main",
    path: "apps/web",
  }],
  ["a file URL whose path holds tree", "file:///srv/tree/main/repo", {
    cloneUrl: "file:///srv/tree/main/repo",
    repoName: "repo",
  }],
  [
    "credentials taken out of the URL",
    "https://alice:s3cret@github.com/org/repo/tree/main/web",
    {
      cloneUrl: "https://github.com/org/repo",
      repoName: "repo",
      refWords: ["main", "web"],
      credentials: {
        protocol: "https",
        host: "github.com",
        username: "alice",
        password: "s3cret",
      },
    },
  ],
  [
    "a token as user name, percent-encoded characters decoded",
    "https://ghp%2Ftok%40en@git.example.org/org/repo.git#main:apps/web",
    {
      cloneUrl: "https://git.example.org/org/repo.git",
      repoName: "repo",
      ref: "main",
      path: "apps/web",
      credentials: {
        protocol: "https",
        host: "git.example.org",
        username: "ghp/tok@en",
        password: "",
      },
    },
  ],
  [
    "an ssh password dropped, the ssh user kept",
    "ssh://git:pw@host.example/org/repo.git",
    {
      cloneUrl: "ssh://git@host.example/org/repo.git",
      repoName: "repo",
    },
  ],
];

Deno.test("parseGitUrl() takes apart each accepted form", async (t) => {
  for (const [name, url, expected] of CASES) {
    await t.step(name, () => {
      const parsed = parseGitUrl(url);
      const { displayUrl, ...rest } = parsed;
      deepStrictEqual(rest, expected);
      ok(!displayUrl.includes("s3cret"), displayUrl);
    });
  }
});

Deno.test("parseGitUrl() keeps the URL as given, minus credentials, for display", () => {
  strictEqual(
    parseGitUrl("https://alice:s3cret@github.com/org/repo/tree/main/web")
      .displayUrl,
    "https://github.com/org/repo/tree/main/web",
  );
  strictEqual(
    parseGitUrl("  git@host:org/repo.git#main:web ").displayUrl,
    "git@host:org/repo.git#main:web",
  );
});

const REFUSED: [string, string, string, RegExp][] = [
  [
    "a GitHub file",
    "https://github.com/org/repo/blob/main/apps/web/web.container",
    "ERR_USAGE",
    /--source https:\/\/github\.com\/org\/repo\/tree\/main\/apps\/web$/,
  ],
  [
    "a GitLab file",
    "https://gitlab.com/g/repo/-/blob/main/web.container",
    "ERR_USAGE",
    /--source https:\/\/gitlab\.com\/g\/repo\/-\/tree\/main$/,
  ],
  [
    "a file with credentials",
    "https://tok:s3cret@github.com/org/repo/blob/main/web/a.container",
    "ERR_USAGE",
    /--source https:\/\/github\.com\/org\/repo\/tree\/main\/web$/,
  ],
  ["an empty string", "", "ERR_USAGE", /^Pass a repository/],
  ["an option", "--upload-pack=touch", "ERR_USAGE", /^Pass a repository/],
  ["a plain word", "repo", "ERR_USAGE", /^Pass a repository/],
  ["an unknown scheme", "ext::sh -c touch", "ERR_USAGE", /^Pass a repository/],
  ["an ftp URL", "ftp://host/repo.git", "ERR_USAGE", /^Pass a repository/],
  [
    "a host without a repository",
    "https://github.com/",
    "ERR_USAGE",
    /^Pass a repository/,
  ],
  [
    "a GitHub page that is no folder",
    "https://github.com/org/repo/issues/1",
    "ERR_USAGE",
    /^Pass a repository/,
  ],
  [
    "a GitLab page that is no folder",
    "https://gitlab.com/g/repo/-/merge_requests/1",
    "ERR_USAGE",
    /^Pass a repository/,
  ],
  [
    "/tree/ with no ref",
    "https://github.com/org/repo/tree/",
    "ERR_USAGE",
    /^Pass a repository/,
  ],
  [
    "a ref given twice",
    "https://github.com/org/repo/tree/main/web#main",
    "ERR_USAGE",
    /^Pass a repository/,
  ],
  [
    "an invalid ref",
    "https://host/repo.git#bad..ref:web",
    "ERR_USAGE",
    /git ls-remote https:\/\/host\/repo\.git$/,
  ],
  [
    "a ref like an option",
    "https://host/repo.git#-x",
    "ERR_USAGE",
    /git ls-remote/,
  ],
  [
    "a folder leaving the repository",
    "https://host/repo.git#main:../etc",
    "ERR_UNSAFE_PATH",
    /apps\/web/,
  ],
  [
    "a Gitea commit folder with a control character",
    `https://host/o/r/src/commit/${"a".repeat(40)}/a%0Ab/x`,
    "ERR_UNSAFE_PATH",
    /apps\/web/,
  ],
  [
    "bad URL encoding",
    "https://github.com/org/repo/tree/main/%zz",
    "ERR_USAGE",
    /^Pass a repository/,
  ],
];

Deno.test("parseGitUrl() refuses what it cannot fetch, with the fix", async (t) => {
  for (const [name, url, code, remedy] of REFUSED) {
    await t.step(name, () => {
      throws(() => parseGitUrl(url), (err: unknown) => {
        ok(err instanceof LegerError);
        strictEqual(err.code, code, err.message);
        ok(err.message.startsWith("Cannot use "), err.message);
        ok(remedy.test(err.remedy ?? ""), err.remedy);
        ok(!`${err.message}\n${err.remedy}`.includes("s3cret"), err.message);
        return true;
      });
    });
  }
});

Deno.test("parseGitUrl() says a /blob/ URL names a file", () => {
  throws(
    () => parseGitUrl("https://github.com/org/repo/blob/main/web/a.container"),
    {
      name: "LegerError",
      message:
        'Cannot use "https://github.com/org/repo/blob/main/web/a.container" as a Git source: it names a file (a /blob/ URL), not a folder',
    },
  );
});
