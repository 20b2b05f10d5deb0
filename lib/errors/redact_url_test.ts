import { strictEqual } from "node:assert/strict";
import { LegerError } from "./leger_error.ts";
import { redactUrl } from "./redact_url.ts";

const CASES: [string, string, string][] = [
  [
    "drops http user and password",
    "https://alice:s3cret@github.com/org/repo",
    "https://github.com/org/repo",
  ],
  [
    "drops a token given as http user",
    "https://ghp_abc123@github.com/org/repo.git",
    "https://github.com/org/repo.git",
  ],
  [
    "drops userinfo holding @",
    "http://a:p@ss@127.0.0.1:8080/org/repo",
    "http://127.0.0.1:8080/org/repo",
  ],
  [
    "keeps an ssh user, drops its password",
    "ssh://git:pw@host:22/org/repo.git",
    "ssh://git@host:22/org/repo.git",
  ],
  [
    "keeps an ssh user",
    "ssh://git@host/org/repo.git",
    "ssh://git@host/org/repo.git",
  ],
  [
    "leaves scp-like addresses",
    "git@github.com:org/repo.git",
    "git@github.com:org/repo.git",
  ],
  [
    "drops the values of a query string, keeping their names",
    "https://u:tok@host/repo.git?x=ghp_SECRET&ref=main&flag#frag",
    "https://host/repo.git?x=***&ref=***&flag#frag",
  ],
  [
    "drops query values in running text",
    'Cannot fetch "https://static.example/v1/?token=abc": 404',
    'Cannot fetch "https://static.example/v1/?token=***": 404',
  ],
  [
    "leaves a URL without credentials",
    "https://github.com/org/repo/tree/main",
    "https://github.com/org/repo/tree/main",
  ],
  [
    "leaves an @ in a path",
    "https://host/org/repo/tree/a@b/web",
    "https://host/org/repo/tree/a@b/web",
  ],
  [
    "leaves an @ in a fragment",
    "https://host/r.git#v@1:web",
    "https://host/r.git#v@1:web",
  ],
  [
    "redacts every URL in a message",
    "fatal: unable to access 'https://u:p@h/r/': 401; see http://t@h2/x",
    "fatal: unable to access 'https://h/r/': 401; see http://h2/x",
  ],
  [
    "is case-insensitive about the scheme",
    "HTTPS://u:p@host/r",
    "HTTPS://host/r",
  ],
  [
    "leaves text without URLs",
    "fatal: couldn't find remote ref nope",
    "fatal: couldn't find remote ref nope",
  ],
];

Deno.test("redactUrl() removes credentials from URLs", async (t) => {
  for (const [name, input, expected] of CASES) {
    await t.step(name, () => strictEqual(redactUrl(input), expected));
  }
});

Deno.test("LegerError shows no credentials in its message, details, remedy or file", () => {
  const error = new LegerError(
    "ERR_MANIFEST_FETCH_FAILED",
    "Cannot fetch https://u:tok@static.leger.run/x/v1/",
    {
      details: ["tried https://tok@host/a"],
      remedy: "Check http://u:tok@127.0.0.1:8/",
      file: "https://u:tok@static.leger.run/x/v1/manifest.json",
    },
  );
  const shown = JSON.stringify([
    error.message,
    error.details,
    error.remedy,
    error.file,
    error.stack,
    error.toJSON(),
  ]);
  strictEqual(shown.includes("tok"), false, shown);
  strictEqual(error.message, "Cannot fetch https://static.leger.run/x/v1/");
  strictEqual(error.remedy, "Check http://127.0.0.1:8/");
});
