// validate, deploy install --dry-run and deploy install agree: every check an
// install makes against the host is planned, so what the first two call valid
// installs, and what they refuse the install refuses, with the same code.
import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import {
  type CommandFixture,
  commandFixture,
  WEB_FILES,
} from "../../../tests/fakes/command_fixture.ts";
import type { FakeHostOptions } from "../../../tests/fakes/fake_host.ts";
import type { DeploymentPlan } from "../../../lib/deploy/plan_types.ts";
import { runProgram } from "../../program.ts";
import { freePort } from "../../../tests/_free_port.ts";

/** A deployment that mounts `./site` and ships `site/index.html`. */
function siteFiles(name: string, page = "index.html"): Record<string, string> {
  return {
    [`${name}.container`]: [
      "[Container]",
      "Image=localhost/bb:latest",
      "Volume=./site:/srv:ro",
      "",
    ].join("\n"),
    [`site/${page}`]: `<h1>${name}</h1>\n`,
  };
}

/** A `.container` unit of the image the fake host has, with `lines` after it. */
function container(lines: string[] = []): string {
  return ["[Container]", "Image=localhost/bb:latest", ...lines, ""].join("\n");
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(fixture: CommandFixture, argv: string[]): Promise<Run> {
  fixture.clearOutput();
  const code = await runProgram(argv, fixture.deps);
  return { code, ...fixture.output };
}

/** What validate and --dry-run plan, and what the install then does. */
interface ThreeWays {
  validate: { code: number; plan: DeploymentPlan };
  dryRun: { code: number; plan: DeploymentPlan };
  install: Run;
}

async function threeWays(
  fixture: CommandFixture,
  source: string,
  install: string[] = ["--yes"],
): Promise<ThreeWays> {
  const validate = await run(fixture, ["validate", source, "--json"]);
  const dryRun = await run(fixture, [
    "deploy",
    "install",
    "--source",
    source,
    "--dry-run",
    "--json",
  ]);
  return {
    validate: { code: validate.code, plan: JSON.parse(validate.stdout) },
    dryRun: { code: dryRun.code, plan: JSON.parse(dryRun.stdout) },
    install: await run(fixture, [
      "deploy",
      "install",
      "--source",
      source,
      ...install,
    ]),
  };
}

async function installed(
  fixture: CommandFixture,
  name: string,
  files: Record<string, string>,
): Promise<void> {
  const source = await fixture.writeSource(name, files);
  const result = await run(fixture, [
    "deploy",
    "install",
    "--source",
    source,
    "--yes",
  ]);
  strictEqual(result.code, 0, result.stderr);
}

function codes(problems: { code: string; file?: string }[]): string[][] {
  return problems.map((p) => [p.code, p.file ?? ""]);
}

Deno.test("validate, --dry-run and install agree on a file another deployment put in the quadlet folder", async (t) => {
  await t.step(
    "the same file under Volume=./site: refused, even forced",
    async () => {
      await using fixture = await commandFixture();
      await installed(fixture, "blog", siteFiles("blog"));
      const shop = await fixture.writeSource("shop", siteFiles("shop"));
      for (const force of [[], ["--force"]]) {
        const { validate, dryRun, install } = await threeWays(
          fixture,
          shop,
          ["--yes", ...force],
        );
        for (const { code, plan } of [validate, dryRun]) {
          strictEqual(code, 1);
          strictEqual(plan.valid, false);
          deepStrictEqual(codes(plan.errors), [[
            "ERR_NAME_CONFLICT",
            "site/index.html",
          ]]);
          match(plan.errors[0].message, /belongs to deployment "blog"/);
          match(plan.errors[0].remedy!, /Podman resolves Volume=\.\/site/);
        }
        deepStrictEqual(validate.plan, dryRun.plan);
        strictEqual(install.code, 1);
        match(
          install.stderr,
          /Cannot install "shop": Cannot install "site\/index\.html"[^\n]*belongs to deployment "blog"/,
        );
        match(install.stderr, /\[ERR_NAME_CONFLICT\]/);
      }
      // Nothing of shop's reached the host; blog's page is still blog's.
      deepStrictEqual(await fixture.quadletFiles(), ["blog.container", "site"]);
      strictEqual(
        await Deno.readTextFile(`${fixture.quadletDir}/site/index.html`),
        "<h1>blog</h1>\n",
      );
    },
  );

  await t.step(
    "another file in the same mounted folder: a conflict --force passes",
    async () => {
      await using fixture = await commandFixture();
      await installed(fixture, "blog", siteFiles("blog"));
      const shop = await fixture.writeSource(
        "shop",
        siteFiles("shop", "about.html"),
      );
      const { validate, dryRun, install } = await threeWays(fixture, shop);
      for (const { code, plan } of [validate, dryRun]) {
        strictEqual(code, 1);
        strictEqual(plan.valid, true);
        deepStrictEqual(codes(plan.conflicts), [[
          "ERR_NAME_CONFLICT",
          "shop.container",
        ]]);
        match(plan.conflicts[0].message, /holds files of deployment "blog"/);
      }
      strictEqual(install.code, 1);
      match(install.stderr, /\[ERR_NAME_CONFLICT\]/);
      strictEqual(
        (await fixture.quadletFiles()).includes("shop.container"),
        false,
      );
      const forced = await run(fixture, [
        "deploy",
        "install",
        "--source",
        shop,
        "--yes",
        "--force",
      ]);
      strictEqual(forced.code, 0, forced.stderr);
      match(forced.stderr, /--force skips 1 conflict with this host:/);
    },
  );

  await t.step(
    "a file installed outside leger: refused, even forced",
    async () => {
      await using fixture = await commandFixture();
      await Deno.writeTextFile(`${fixture.quadletDir}/web.conf`, "mine\n");
      const web = await fixture.writeSource("web");
      const { validate, dryRun, install } = await threeWays(fixture, web, [
        "--yes",
        "--force",
      ]);
      for (const { code, plan } of [validate, dryRun]) {
        strictEqual(code, 1);
        deepStrictEqual(codes(plan.errors), [[
          "ERR_NAME_CONFLICT",
          "web.conf",
        ]]);
        match(plan.errors[0].message, /installed outside leger/);
      }
      strictEqual(install.code, 1);
      match(install.stderr, /\[ERR_NAME_CONFLICT\]/);
      strictEqual(
        await Deno.readTextFile(`${fixture.quadletDir}/web.conf`),
        "mine\n",
      );
    },
  );

  await t.step("its own earlier version is no conflict", async () => {
    await using fixture = await commandFixture();
    await installed(fixture, "blog", siteFiles("blog"));
    const { validate, dryRun, install } = await threeWays(
      fixture,
      `${fixture.home}/src/blog`,
    );
    for (const { code, plan } of [validate, dryRun]) {
      strictEqual(code, 0, JSON.stringify(plan.errors));
      deepStrictEqual([plan.errors, plan.conflicts], [[], []]);
    }
    strictEqual(install.code, 0, install.stderr);
  });
});

Deno.test("validate, --dry-run and install agree on a drop-in that reaches other deployments", async (t) => {
  const cases: {
    name: string;
    file: string;
    /** What is on the host before: another deployment, or a unit made by hand. */
    outsideLeger?: boolean;
    reached: RegExp;
  }[] = [
    {
      name: "type-wide container.d/",
      file: "container.d/10-common.conf",
      reached: /outside "web": blog\.container \(deployment "blog"\)/,
    },
    {
      name: "a prefix form, reaching a unit installed outside leger",
      file: "blog-.container.d/10-limits.conf",
      outsideLeger: true,
      reached:
        /outside "web": blog-legacy\.container \(installed outside leger\)/,
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      await using fixture = await commandFixture();
      if (c.outsideLeger) {
        await Deno.writeTextFile(
          `${fixture.quadletDir}/blog-legacy.container`,
          container(),
        );
      } else {
        await installed(fixture, "blog", {
          "blog.container": container(),
        });
      }
      const web = await fixture.writeSource("web", {
        ...WEB_FILES,
        [c.file]: "[Container]\nLabel=team=shop\n",
      });
      const { validate, dryRun, install } = await threeWays(fixture, web);
      for (const { code, plan } of [validate, dryRun]) {
        strictEqual(code, 1);
        strictEqual(plan.valid, true);
        deepStrictEqual(codes(plan.conflicts), [["ERR_DROPIN_SCOPE", c.file]]);
        match(plan.conflicts[0].message, c.reached);
        match(
          plan.conflicts[0].remedy!,
          /web\.container\.d\/\), or pass --force/,
        );
      }
      strictEqual(install.code, 1);
      match(install.stderr, /\[ERR_DROPIN_SCOPE\]/);
      strictEqual(
        (await fixture.quadletFiles()).includes("web.container"),
        false,
      );
      const forced = await run(fixture, [
        "deploy",
        "install",
        "--source",
        web,
        "--yes",
        "--force",
      ]);
      strictEqual(forced.code, 0, forced.stderr);
      match(
        forced.stderr,
        /--force skips 1 conflict with this host:[\s\S]*ERR_DROPIN_SCOPE/,
      );
    });
  }

  await t.step("a wide drop-in alone on the host is a warning", async () => {
    await using fixture = await commandFixture();
    const web = await fixture.writeSource("web", {
      ...WEB_FILES,
      "container.d/10-common.conf": "[Container]\nLabel=team=shop\n",
    });
    const result = await run(fixture, ["validate", web]);
    strictEqual(result.code, 0, result.stdout);
    match(
      result.stdout,
      /container\.d\/10-common\.conf: The drop-ins in "container\.d\/" apply to every \.container unit on this host[^\n]*\[ERR_DROPIN_SCOPE\]/,
    );
  });
});

Deno.test("validate, --dry-run and install check a port written with ${VAR} as systemd will start it", async (t) => {
  // The plan reads this host's /proc/net too: a port nothing listens on.
  const port = freePort();
  const cases: {
    name: string;
    blog: string[];
    web: string[];
  }[] = [
    {
      name: "the deployment's port comes from [Service] Environment=",
      blog: [`PublishPort=127.0.0.1:${port}:8080`],
      web: [
        "PublishPort=127.0.0.1:${WEB_PORT}:8080",
        "[Service]",
        `Environment=WEB_PORT=${port}`,
      ],
    },
    {
      name: "the installed unit's port comes from [Service] Environment=",
      blog: [
        "PublishPort=127.0.0.1:${PORT}:8080",
        "[Service]",
        `Environment=PORT=${port}`,
      ],
      web: [`PublishPort=${port}:80`],
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      await using fixture = await commandFixture();
      await installed(fixture, "blog", {
        "blog.container": container(c.blog),
      });
      const web = await fixture.writeSource("web", {
        "web.container": container(c.web),
      });
      const { validate, dryRun, install } = await threeWays(fixture, web);
      for (const { code, plan } of [validate, dryRun]) {
        strictEqual(code, 1);
        deepStrictEqual(codes(plan.conflicts), [[
          "ERR_PORT_CONFLICT",
          "web.container",
        ]]);
        match(plan.conflicts[0].message, new RegExp(`host port ${port}/tcp`));
        strictEqual(plan.conflicts[0].line, 3);
      }
      strictEqual(install.code, 1);
      match(install.stderr, /\[ERR_PORT_CONFLICT\]/);
    });
  }

  await t.step("the plan shows the port systemd will publish", async () => {
    await using fixture = await commandFixture();
    const web = await fixture.writeSource("web", {
      "web.container": container([
        "PublishPort=127.0.0.1:${WEB_PORT}:8080",
        "[Service]",
        `Environment=WEB_PORT=${port}`,
      ]),
    });
    const { plan } = (await threeWays(fixture, web)).validate;
    deepStrictEqual(plan.services[0].ports, [{
      host_ip: "127.0.0.1",
      host_port: `${port}`,
      container_port: "8080",
      protocol: "tcp",
    }]);
    deepStrictEqual(plan.warnings, []);
  });

  await t.step(
    "a variable it cannot resolve is a warning naming the line",
    async () => {
      await using fixture = await commandFixture();
      const web = await fixture.writeSource("web", {
        "web.container": container([
          `Environment=WEB_PORT=${port}`,
          "PublishPort=127.0.0.1:${WEB_PORT}:8080",
        ]),
      });
      const result = await run(fixture, ["validate", web]);
      strictEqual(result.code, 0, result.stdout);
      match(
        result.stdout,
        /web\.container:4: Cannot check PublishPort=127\.0\.0\.1:\$\{WEB_PORT\}:8080 against this host: no Environment= in \[Service\] sets \$\{WEB_PORT\}[^\n]*\[ERR_UNIT_INVALID_VALUE\]\n {4}fix: Add Environment=WEB_PORT=\d+ to a \[Service\] section/,
      );
    },
  );
});

Deno.test("validate refuses control characters, byte order marks and a drop-in folder written as a file", async (t) => {
  const cases: {
    name: string;
    files: Record<string, string | Uint8Array>;
    error: [string, string, number | undefined];
    message: RegExp;
  }[] = [
    {
      name: "a NUL byte in a value",
      files: { "web.container": container(["Environment=A=x\u0000y"]) },
      error: ["ERR_UNIT_INVALID_VALUE", "web.container", 3],
      message: /a NUL byte \(U\+0000\) is in the value of Environment=/,
    },
    {
      name: "an escape character in a drop-in",
      files: {
        "web.container": container(),
        "web.container.d/10-x.conf": "[Container]\nLabel=a=\u001b[31m\n",
      },
      error: ["ERR_UNIT_INVALID_VALUE", "web.container.d/10-x.conf", 2],
      message: /an escape character \(U\+001B\)/,
    },
    {
      name: "a byte order mark",
      files: {
        "web.container": new Uint8Array([
          0xef,
          0xbb,
          0xbf,
          ...new TextEncoder().encode(container()),
        ]),
      },
      error: ["ERR_UNIT_SYNTAX", "web.container", 1],
      message: /starts with a byte order mark/,
    },
    {
      name: "web.container.d as a file",
      files: {
        "web.container": container(),
        "web.container.d": "[Container]\nLabel=a=b\n",
      },
      error: ["ERR_UNIT_NAME_INVALID", "web.container.d", undefined],
      message: /Cannot use "web\.container\.d" as a file/,
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      await using fixture = await commandFixture();
      const source = await fixture.writeSource("web", {});
      for (const [path, content] of Object.entries(c.files)) {
        await Deno.mkdir(`${source}/${path}`.replace(/\/[^/]+$/, ""), {
          recursive: true,
        });
        if (typeof content === "string") {
          await Deno.writeTextFile(`${source}/${path}`, content);
        } else await Deno.writeFile(`${source}/${path}`, content);
      }
      const { validate, dryRun, install } = await threeWays(fixture, source);
      for (const { code, plan } of [validate, dryRun]) {
        strictEqual(code, 1);
        deepStrictEqual(
          plan.errors.map((e) => [e.code, e.file, e.line]),
          [c.error],
        );
        match(plan.errors[0].message, c.message);
        ok(plan.errors[0].remedy);
      }
      strictEqual(install.code, 1);
      match(install.stderr, new RegExp(`\\[${c.error[0]}\\]`));
      deepStrictEqual(await fixture.quadletFiles(), []);
    });
  }
});

Deno.test("validate warns about an Environment= line that splits at a space, with the quoted form", async () => {
  await using fixture = await commandFixture();
  const web = await fixture.writeSource("web", {
    "web.container": container([
      "Environment=EXTRA_FLAGS=--alpha=1 --beta=2",
    ]),
  });
  const result = await run(fixture, ["validate", web]);
  strictEqual(result.code, 0, result.stdout);
  match(
    result.stdout,
    /web\.container:3: Cannot use Environment=EXTRA_FLAGS=--alpha=1 --beta=2 in \[Container\] as written[^\n]*\n {4}fix: Quote each assignment: Environment="EXTRA_FLAGS=--alpha=1 --beta=2"\n/,
  );
});

Deno.test("a missing Podman secret is planned, and named before the prompt", async (t) => {
  const files = {
    "web.container": container([
      "Secret=db_password,type=env,target=DB_PASSWORD",
      "Secret=api_token",
    ]),
  };
  const hint =
    "Add one leger.run does not have with `leger secrets set db_password` (or in the web UI).";

  await t.step(
    "validate and --dry-run list it, with the command that creates it",
    async () => {
      await using fixture = await commandFixture({ secrets: ["api_token"] });
      const web = await fixture.writeSource("web", files);
      const { validate, dryRun } = await threeWays(fixture, web);
      for (const { code, plan } of [validate, dryRun]) {
        strictEqual(code, 0);
        deepStrictEqual(plan.secrets_missing, ["db_password"]);
        deepStrictEqual(plan.secrets_required, ["api_token", "db_password"]);
      }
      for (
        const argv of [["validate", web], [
          "deploy",
          "install",
          "--source",
          web,
          "--dry-run",
        ]]
      ) {
        const result = await run(fixture, argv);
        strictEqual(result.code, 0);
        match(
          result.stdout,
          /Secrets missing on this host \(1\): db_password\n/,
        );
        ok(result.stdout.includes(hint), result.stdout);
        match(
          result.stdout,
          /asks legerd to create it from leger\.run before it starts the units that use it;\n {2}a unit still missing a secret is installed but not started: legerd starts it once every secret it uses exists\./,
        );
      }
    },
  );

  await t.step("install says it once before it asks", async () => {
    await using fixture = await commandFixture();
    const web = await fixture.writeSource("web", files);
    const asked: string[] = [];
    const deps = {
      ...fixture.deps,
      context: {
        ...fixture.deps.context,
        stdinIsTerminal: true,
        stdoutIsTerminal: true,
        readLine: () => {
          asked.push(fixture.output.stderr);
          return Promise.resolve("n");
        },
      },
    };
    fixture.clearOutput();
    const code = await runProgram(["deploy", "install", "--source", web], deps);
    strictEqual(code, 1);
    strictEqual(asked.length, 1);
    const before = asked[0];
    match(
      before,
      /Secrets missing on this host \(2\): api_token, db_password\n[\s\S]*Add one leger\.run does not have with `leger secrets set NAME` \(or in the web UI\)\.\n[\s\S]*Install "web" \(1 unit\) in the user scope\? \[y\/N\] $/,
    );
    strictEqual(before.split("Secrets missing on this host").length, 2);
    ok(!/printf|VALUE/.test(before), before);
    deepStrictEqual(await fixture.quadletFiles(), []);
  });

  await t.step(
    "install puts the unit in place and leaves it stopped",
    async () => {
      await using fixture = await commandFixture({ secrets: ["api_token"] });
      const web = await fixture.writeSource("web", files);
      const result = await run(fixture, [
        "deploy",
        "install",
        "--source",
        web,
        "--yes",
      ]);
      strictEqual(result.code, 0, result.stderr);
      match(
        result.stderr,
        /Not starting web\.service until the secrets it needs exist/,
      );
      strictEqual(
        fixture.host.services.get("web.service")?.activeState,
        "inactive",
      );
    },
  );

  await t.step("nothing is missing once the secret exists", async () => {
    const options: Omit<FakeHostOptions, "quadletDir"> = {
      secrets: ["api_token", "db_password"],
    };
    await using fixture = await commandFixture(options);
    const web = await fixture.writeSource("web", files);
    const { validate } = await threeWays(fixture, web);
    deepStrictEqual(validate.plan.secrets_missing, []);
    const text = await run(fixture, ["validate", web]);
    strictEqual(text.stdout.includes("Secrets missing"), false);
  });
});

Deno.test("validate, --dry-run and install warn of a secret name leger.run cannot hold, give the command that creates it once, and never suggest `leger secrets set` for it", async () => {
  await using fixture = await commandFixture();
  const web = await fixture.writeSource("web", {
    "web.container": container([
      "Secret=api_token",
      "Secret=db.pass,type=env,target=DB_PASS",
    ]),
  });
  const { validate, dryRun, install } = await threeWays(fixture, web);
  for (const { code, plan } of [validate, dryRun]) {
    strictEqual(code, 0);
    deepStrictEqual(
      plan.warnings.map((w) => [w.code, w.file, w.line]),
      [["ERR_SECRET_NAME_INVALID", "web.container", 4]],
    );
    match(
      plan.warnings[0].message,
      /^Cannot keep secret "db\.pass" in leger\.run: "\." is not allowed/,
    );
    match(
      plan.warnings[0].remedy ?? "",
      /^Rename the secret .* or create it in Podman by hand with `podman secret create db\.pass -` \(type the value, then Ctrl-D\) or `podman secret create db\.pass FILE`: legerd then leaves it alone and reports it unmanaged$/,
    );
  }
  strictEqual(install.code, 0, install.stderr);
  const texts = [
    install.stderr,
    (await run(fixture, ["validate", web])).stdout,
    (await run(fixture, ["deploy", "install", "--source", web, "--dry-run"]))
      .stdout,
  ];
  for (const text of texts) {
    match(
      text,
      /web\.container:4: Cannot keep secret "db\.pass" in leger\.run/,
    );
    match(
      text,
      / {2}leger\.run cannot hold db\.pass \("\." is not allowed\): create it in Podman by hand \(the warning below says how\)\.\n/,
    );
    // Said once: in the warning's fix, not again beside the missing secrets
    // nor (install) in what waits.
    strictEqual(
      text.split("`podman secret create db.pass -`").length,
      2,
      text,
    );
    ok(!/secrets set db\.pass|printf/.test(text), text);
  }
  match(
    install.stderr,
    / {2}leger\.run cannot hold db\.pass \("\." is not allowed\): create it in Podman by hand \(the warning above says how\); legerd leaves it alone/,
  );
});
