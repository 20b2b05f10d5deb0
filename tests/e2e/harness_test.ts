import { deepStrictEqual, match, strictEqual } from "node:assert/strict";
import denoJson from "../../deno.json" with { type: "json" };
import { webDeployment, webNames } from "./_deployments.ts";
import {
  cleanup,
  e2eTest,
  leger,
  scopeOf,
  USERS,
  writeSource,
} from "./_host.ts";

e2eTest(
  "leger() runs the project's leger inside the host offline, as both users",
  async (t) => {
    for (const user of USERS) {
      await t.step(user, async () => {
        const result = await leger(["--version"], { user });
        deepStrictEqual(result, {
          code: 0,
          stdout: `leger ${denoJson.version}\n`,
          stderr: "",
        });
      });
    }
  },
);

e2eTest(
  "leger validate and deploy install --dry-run run Podman's generator inside the host",
  async (t) => {
    for (const [i, user] of USERS.entries()) {
      await t.step(user, async () => {
        const name = `e2e-harness-${user}`;
        await cleanup(name, user);
        try {
          const source = await writeSource(
            name,
            webDeployment({ name, port: 18300 + i }),
          );
          const validate = await leger(["validate", source, "--json"], {
            user,
          });
          strictEqual(validate.code, 0, validate.stderr);
          const report = JSON.parse(validate.stdout);
          strictEqual(report.valid, true, validate.stdout);
          deepStrictEqual(report.conflicts, [], validate.stdout);

          const plan = await leger(
            ["deploy", "install", "--source", source, "--dry-run", "--json"],
            { user },
          );
          strictEqual(plan.code, 0, plan.stderr);
          const document = JSON.parse(plan.stdout);
          strictEqual(document.deployment, name);
          strictEqual(document.scope, scopeOf(user));
          const names = webNames(name);
          const web = document.services.find((s: { unit: string }) =>
            s.unit === names.container
          );
          strictEqual(web?.service, names.service, plan.stdout);
          deepStrictEqual(web.ports, [{
            host_ip: "127.0.0.1",
            host_port: String(18300 + i),
            container_port: "8080",
            protocol: "tcp",
          }]);
        } finally {
          await cleanup(name, user);
        }
      });
    }
  },
);

e2eTest(
  "leger validate reports an invalid unit as Podman's generator does inside the host",
  async (t) => {
    for (const user of USERS) {
      await t.step(user, async () => {
        const name = `e2e-invalid-${user}`;
        await cleanup(name, user);
        try {
          const source = await writeSource(name, {
            [`${name}.container`]: "[Container]\nExec=/bin/true\n",
          });
          const validate = await leger(["validate", source], { user });
          strictEqual(validate.code, 1, validate.stderr);
          match(
            validate.stdout,
            /neither Image= nor Rootfs= is set .*\[ERR_UNIT_MISSING_KEY\]/,
          );
        } finally {
          await cleanup(name, user);
        }
      });
    }
  },
);
