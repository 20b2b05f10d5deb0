// validate, deploy install --dry-run and deploy install agree on what the
// host itself refuses: ports a rootless unit cannot bind, a symbolic link in
// the quadlet folder on the way to a file, a folder named like a unit, and a
// PublishPort= that systemd expands into a value Podman rejects.
import { deepStrictEqual, match, strictEqual } from "node:assert/strict";
import {
  type CommandFixture,
  commandFixture,
} from "../../../tests/fakes/command_fixture.ts";
import type { DeploymentPlan } from "../../../lib/deploy/plan_types.ts";
import { runProgram } from "../../program.ts";

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

/** validate and --dry-run as JSON, then the install with `install` flags. */
async function threeWays(
  fixture: CommandFixture,
  source: string,
  install: string[] = ["--yes"],
): Promise<{ plans: { code: number; plan: DeploymentPlan }[]; install: Run }> {
  const plans = [];
  for (
    const argv of [
      ["validate", source, "--json"],
      ["deploy", "install", "--source", source, "--dry-run", "--json"],
    ]
  ) {
    const result = await run(fixture, argv);
    plans.push({ code: result.code, plan: JSON.parse(result.stdout) });
  }
  return {
    plans,
    install: await run(fixture, [
      "deploy",
      "install",
      "--source",
      source,
      ...install,
    ]),
  };
}

function container(lines: string[]): string {
  return ["[Container]", "Image=localhost/bb:latest", ...lines, ""].join("\n");
}

function errors(plan: DeploymentPlan) {
  return plan.errors.map((e) => [e.code, e.file, e.line]);
}

Deno.test("a rootless unit publishing a port below the host's unprivileged port start is a plan error", async (t) => {
  const cases: { name: string; lines: string[]; limit?: number }[] = [
    { name: "port 80", lines: ["PublishPort=80:80"] },
    {
      name: "a port written as ${P}",
      lines: [
        "PublishPort=127.0.0.1:${P}:80",
        "[Service]",
        "Environment=P=443",
      ],
    },
    { name: "a raised limit", lines: ["PublishPort=2000:80"], limit: 3000 },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      const limit = c.limit ?? 1024;
      await using fixture = await commandFixture({
        unprivilegedPortStart: limit,
      });
      const web = await fixture.writeSource("web", {
        "web.container": container(c.lines),
      });
      const { plans, install } = await threeWays(fixture, web, [
        "--yes",
        "--force",
      ]);
      for (const { code, plan } of plans) {
        strictEqual(code, 1);
        deepStrictEqual(errors(plan), [[
          "ERR_PORT_PRIVILEGED",
          "web.container",
          3,
        ]]);
        match(
          plan.errors[0].message,
          new RegExp(`this host lets a user bind only ports from ${limit} `),
        );
        match(
          plan.errors[0].remedy!,
          /sysctl net\.ipv4\.ip_unprivileged_port_start=/,
        );
      }
      strictEqual(install.code, 1);
      match(install.stderr, /\[ERR_PORT_PRIVILEGED\]/);
      deepStrictEqual(await fixture.quadletFiles(), []);
    });
  }

  await t.step(
    "the port at the limit, or a host without the file, passes",
    async () => {
      for (
        const [limit, port] of [[80, 80], [null, 80], [1024, 1024]] as const
      ) {
        await using fixture = await commandFixture({
          unprivilegedPortStart: limit,
        });
        const web = await fixture.writeSource("web", {
          "web.container": container([`PublishPort=127.0.0.1:${port}:80`]),
        });
        const result = await run(fixture, ["validate", web, "--json"]);
        const plan: DeploymentPlan = JSON.parse(result.stdout);
        deepStrictEqual(errors(plan), [], `${limit} ${port}`);
      }
    },
  );

  await t.step(
    "the limit is read once, with cat through the runner (Deno reads /proc only with --allow-all)",
    async () => {
      await using fixture = await commandFixture();
      const web = await fixture.writeSource("web", {
        "web.container": container(["PublishPort=127.0.0.1:80:80"]),
      });
      await run(fixture, ["validate", web, "--json"]);
      deepStrictEqual(
        fixture.host.calls.filter((c) => c.includes("unprivileged")),
        ["cat /proc/sys/net/ipv4/ip_unprivileged_port_start"],
      );
    },
  );
});

Deno.test("a symbolic link in the quadlet folder on the way to a file is a conflict --force does not pass", async (t) => {
  for (const existing of [true, false]) {
    await t.step(existing ? "to a folder" : "dangling", async () => {
      await using fixture = await commandFixture();
      const target = existing
        ? await Deno.makeTempDir({ prefix: "leger_elsewhere_" })
        : `${fixture.home}/nowhere`;
      try {
        await Deno.symlink(target, `${fixture.quadletDir}/site`);
        const shop = await fixture.writeSource("shop", {
          "shop.container": container(["Volume=./site:/srv:ro"]),
          "site/index.html": "<h1>shop</h1>\n",
        });
        const { plans, install } = await threeWays(fixture, shop, [
          "--yes",
          "--force",
        ]);
        for (const { code, plan } of plans) {
          strictEqual(code, 1);
          deepStrictEqual(errors(plan), [[
            "ERR_NAME_CONFLICT",
            "site/index.html",
            undefined,
          ]]);
          match(
            plan.errors[0].message,
            new RegExp(
              `"site" in the quadlet folder is a symbolic link to ${target}`,
            ),
          );
          match(plan.errors[0].remedy!, /remove the link /);
        }
        strictEqual(install.code, 1);
        match(install.stderr, /\[ERR_NAME_CONFLICT\]/);
        if (existing) {
          // Nothing was written through the link.
          deepStrictEqual(
            await Array.fromAsync(Deno.readDir(target)),
            [],
          );
        }
      } finally {
        if (existing) await Deno.remove(target, { recursive: true });
      }
    });
  }
});

Deno.test("validate refuses a folder named like a unit", async () => {
  await using fixture = await commandFixture();
  const web = await fixture.writeSource("web", {
    "web.container": container(["Volume=./db.container:/init:ro"]),
    "db.container/init.sql": "select 1;\n",
  });
  const { plans, install } = await threeWays(fixture, web);
  for (const { code, plan } of plans) {
    strictEqual(code, 1);
    deepStrictEqual(errors(plan), [[
      "ERR_UNIT_NAME_INVALID",
      "db.container",
      undefined,
    ]]);
    match(plan.errors[0].message, /Cannot use "db\.container" as a folder/);
    match(plan.errors[0].remedy!, /Rename the folder db\.container/);
  }
  strictEqual(install.code, 1);
  match(install.stderr, /\[ERR_UNIT_NAME_INVALID\]/);
});

Deno.test("validate refuses a PublishPort= systemd expands into a value Podman rejects", async (t) => {
  const ports: [string, RegExp][] = [
    ["127.0.0.1:${P}x:80", /"127\.0\.0\.1:18150x:80"/],
    ["${P}${Q}:80", /"181501:80"/],
    ["${P:80", /"\$\{P:80"/],
    ["$$:80", /"\$:80"/],
  ];
  for (const [port, value] of ports) {
    await t.step(port, async () => {
      await using fixture = await commandFixture();
      const web = await fixture.writeSource("web", {
        "web.container": container([
          `PublishPort=${port}`,
          "[Service]",
          "Environment=P=18150 Q=1",
        ]),
      });
      const { plans, install } = await threeWays(fixture, web);
      for (const { code, plan } of plans) {
        strictEqual(code, 1);
        deepStrictEqual(errors(plan), [[
          "ERR_UNIT_INVALID_VALUE",
          "web.container",
          3,
        ]]);
        match(plan.errors[0].message, value);
      }
      strictEqual(install.code, 1);
      match(install.stderr, /\[ERR_UNIT_INVALID_VALUE\]/);
    });
  }
});
