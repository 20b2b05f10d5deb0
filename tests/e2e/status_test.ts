// `leger status` and the health column of `leger deploy list` on the real
// Podman 5.8 + systemd 262 host, in both scopes (issue 13): an HTTP check
// that passes (busybox httpd on a published 127.0.0.1 port, declared in the
// unit's [X-Leger] section, and another in .leger.yaml), Podman's own check
// of a HealthCmd= that fails, a URL outside leger's allow-list, a stopped
// service, and exit codes that gate a script.
import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import {
  cleanup,
  describe,
  e2eTest,
  type ExecResult,
  hostExec,
  installDeployment,
  leger,
  parseJsonOutput,
  scopeOf,
  systemctl,
  type User,
  USERS,
  waitInside,
  writeSource,
} from "./_host.ts";

const PORTS = {
  root: { web: 18611, yaml: 18612, solo: 18613 },
  leger: { web: 18621, yaml: 18622, solo: 18623 },
};

const HTTPD =
  `Exec=/bin/busybox sh -c "trap 'exit 0' TERM; /bin/busybox httpd -f -p 8080 -h /www & wait"`;
const SLEEP =
  `Exec=/bin/busybox sh -c "trap 'exit 0' TERM; while :; do /bin/busybox sleep 1; done"`;

function container(lines: string[]): string {
  return ["[Container]", "Image=localhost/bb:latest", ...lines, ""].join("\n");
}

// deno-lint-ignore no-explicit-any
type Json = any;

async function statusJson(
  args: string[],
  user: User,
): Promise<{ result: ExecResult; doc: Json }> {
  const result = await leger(["status", ...args, "--json"], { user });
  return { result, doc: parseJsonOutput<Json>(result, "leger status --json") };
}

function byService(doc: Json): Record<string, Json> {
  return Object.fromEntries(
    doc.deployments.flatMap((d: Json) =>
      d.services.map((s: Json) => [s.service, s])
    ),
  );
}

e2eTest(
  "leger status and deploy list show each service's health, and status exits 1 unless all are active and healthy (issue 13)",
  async (t) => {
    for (const user of USERS) {
      await t.step(`${user} (${scopeOf(user)} scope)`, async (u) => {
        const name = `e2e-status-${user}`;
        const solo = `e2e-statusb-${user}`;
        const ports = PORTS[user];
        await cleanup(name, user);
        await cleanup(solo, user);
        try {
          const source = await writeSource(name, {
            ".leger.yaml": [
              `name: ${name}`,
              'version: "1"',
              "health:",
              `  ${name}-yaml: http://127.0.0.1:${ports.yaml}/index.html`,
              "",
            ].join("\n"),
            [`${name}-web.container`]: container([
              HTTPD,
              `PublishPort=127.0.0.1:${ports.web}:8080`,
              "",
              "[X-Leger]",
              `HealthURL=http://127.0.0.1:${ports.web}/`,
            ]),
            // A drop-in's HealthURL= wins over the unit's.
            [`${name}-web.container.d/10-health.conf`]:
              `[X-Leger]\nHealthURL=http://127.0.0.1:${ports.web}/index.html\n`,
            [`${name}-yaml.container`]: container([
              HTTPD,
              `PublishPort=127.0.0.1:${ports.yaml}:8080`,
            ]),
            [`${name}-sick.container`]: container([
              SLEEP,
              'HealthCmd=["/bin/busybox", "false"]',
              "HealthInterval=2s",
              "HealthRetries=1",
            ]),
            [`${name}-far.container`]: container([
              SLEEP,
              "",
              "[X-Leger]",
              "HealthURL=http://app.internal:8080/health",
            ]),
          });
          const install = await installDeployment(name, source, { user });
          strictEqual(install.code, 0, describe(install));
          // A URL that is not loopback is only a warning for validation.
          match(
            install.stderr,
            /health checks reach only 127\.0\.0\.1, localhost, \[::1\]/,
          );

          await u.step(
            "Podman's generator keeps [X-Leger] in the service, and systemd ignores it",
            async () => {
              const cat = await hostExec(
                `${systemctl(user)} cat ${name}-web.service`,
                { user },
              );
              strictEqual(cat.code, 0, describe(cat));
              match(
                cat.stdout,
                new RegExp(
                  `\\[X-Leger\\]\\nHealthURL=http://127\\.0\\.0\\.1:${ports.web}/\\nHealthURL=http://127\\.0\\.0\\.1:${ports.web}/index\\.html\\n`,
                ),
              );
            },
          );

          // Podman's first check of sick runs as it starts; its timer is
          // asynchronous: wait (bounded) until Podman reports it.
          const settled = await waitInside(
            `podman ps --format '{{.Names}} {{.Status}}' | grep -q '^systemd-${name}-sick .*(unhealthy)$'`,
            { user, attempts: 30, intervalSeconds: 0.5 },
          );
          strictEqual(settled.code, 0, describe(settled));

          await u.step("--json: every check, and exit 1", async () => {
            const { result, doc } = await statusJson([name], user);
            strictEqual(result.code, 1, describe(result));
            strictEqual(doc.ok, false);
            strictEqual(doc.scope, scopeOf(user));
            const s = byService(doc);
            const health = (unit: string) => {
              const { state, check, url } = s[`${name}-${unit}.service`].health;
              return [state, check, url];
            };
            deepStrictEqual(health("web"), [
              "healthy",
              "http",
              `http://127.0.0.1:${ports.web}/index.html`,
            ]);
            deepStrictEqual(health("yaml"), [
              "healthy",
              "http",
              `http://127.0.0.1:${ports.yaml}/index.html`,
            ]);
            deepStrictEqual(health("sick"), ["unhealthy", "podman", null]);
            deepStrictEqual(health("far"), [
              "refused",
              "http",
              "http://app.internal:8080/health",
            ]);
            const web = s[`${name}-web.service`];
            deepStrictEqual(
              [
                web.active_state,
                web.sub_state,
                web.image,
                web.ports,
                web.container,
              ],
              [
                "active",
                "running",
                "localhost/bb:latest",
                [`127.0.0.1:${ports.web}->8080/tcp`],
                `systemd-${name}-web`,
              ],
            );
            ok(
              Date.now() - Date.parse(web.since) < 10 * 60_000,
              `since ${web.since} is when it started`,
            );
            match(
              s[`${name}-far.service`].health.detail,
              /^not checked: health checks reach only 127\.0\.0\.1, localhost, \[::1\], not "app\.internal"$/,
            );
            strictEqual(doc.legerd.running, false);
          });

          await u.step("text: the table, and why under it", async () => {
            const result = await leger(["status", name], { user });
            strictEqual(result.code, 1, describe(result));
            match(
              result.stdout,
              new RegExp(
                `^${name}\\t${name}-web\\.service\\tactive/running\\t\\S+\\tlocalhost/bb:latest\\t127\\.0\\.0\\.1:${ports.web}->8080/tcp\\thealthy$`,
                "m",
              ),
            );
            match(
              result.stderr,
              new RegExp(
                `^ {2}${name}-sick\\.service is unhealthy: Podman's health check of systemd-${name}-sick: unhealthy$`,
                "m",
              ),
            );
            match(
              result.stderr,
              new RegExp(
                `^ {2}${name}-far\\.service is refused \\(http://app\\.internal:8080/health\\): .*\\n {4}Publish the port on 127\\.0\\.0\\.1`,
                "m",
              ),
            );
            match(
              result.stderr,
              /^legerd {6}not running: start it with `systemctl (--user )?enable --now legerd\.service`$/m,
            );
          });

          await u.step(
            "deploy list: the HEALTH column and health in --json",
            async () => {
              const list = await leger(["deploy", "list", "--json"], { user });
              strictEqual(list.code, 0, describe(list));
              const [d] = JSON.parse(list.stdout).filter((d: Json) =>
                d.deployment === name
              );
              deepStrictEqual(
                d.services.map((s: Json) => [s.service, s.health.state]).sort(),
                [
                  [`${name}-far.service`, "refused"],
                  [`${name}-sick.service`, "unhealthy"],
                  [`${name}-web.service`, "healthy"],
                  [`${name}-yaml.service`, "healthy"],
                ],
              );
              const rows = await leger(["deploy", "list"], { user });
              match(
                rows.stdout,
                new RegExp(
                  `^${name}\\t${name}-sick\\.service\\tactive/running\\tunhealthy\\t`,
                  "m",
                ),
              );
              match(
                rows.stderr,
                new RegExp(
                  `Note: ${name}-sick\\.service of "${name}" is unhealthy`,
                ),
              );
            },
          );

          await u.step("a healthy deployment exits 0; stopped, 1", async () => {
            const soloSource = await writeSource(solo, {
              [`${solo}-web.container`]: container([
                HTTPD,
                `PublishPort=127.0.0.1:${ports.solo}:8080`,
                "",
                "[X-Leger]",
                `HealthURL=http://127.0.0.1:${ports.solo}/index.html`,
              ]),
            });
            const installed = await installDeployment(solo, soloSource, {
              user,
            });
            strictEqual(installed.code, 0, describe(installed));
            // httpd listens a moment after systemd calls the service active.
            const answering = await waitInside(
              `curl -fsS --max-time 3 http://127.0.0.1:${ports.solo}/index.html >/dev/null`,
              { user, attempts: 20 },
            );
            strictEqual(answering.code, 0, describe(answering));
            const healthy = await leger(["status", solo], { user });
            strictEqual(healthy.code, 0, describe(healthy));
            const stop = await hostExec(
              `${systemctl(user)} stop ${solo}-web.service`,
              { user },
            );
            strictEqual(stop.code, 0, describe(stop));
            const { result, doc } = await statusJson([solo], user);
            strictEqual(result.code, 1, describe(result));
            const [web] = doc.deployments[0].services;
            deepStrictEqual(
              [web.active_state, web.health.state, web.container],
              ["inactive", "unknown", null],
            );
            const text = await leger(["status", solo], { user });
            match(
              text.stderr,
              new RegExp(
                `^ {2}${solo}-web\\.service is inactive \\(dead\\): see why with \`leger service logs ${solo}-web\`$`,
                "m",
              ),
            );
          });

          await u.step(
            "an unknown deployment names the installed ones",
            async () => {
              const result = await leger(["status", "nosuch"], { user });
              strictEqual(result.code, 1, describe(result));
              match(
                result.stderr,
                /Cannot find the installed deployment "nosuch"/,
              );
              match(result.stderr, new RegExp(`${name}`));
              match(result.stderr, /\[ERR_DEPLOYMENT_NOT_FOUND\]/);
            },
          );
        } finally {
          await cleanup(solo, user);
          await cleanup(name, user);
        }
      });
    }
  },
);
