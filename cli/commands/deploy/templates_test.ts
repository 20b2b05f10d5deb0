/**
 * Template units (issue 9, item 7) through install, list and service, over
 * the fake host, which fails like Podman 5.8 (`podman quadlet list` exits 125
 * once a template is installed).
 */
import { deepStrictEqual, match, strictEqual } from "node:assert/strict";
import { commandFixture } from "../../../tests/fakes/command_fixture.ts";
import { runProgram } from "../../program.ts";

const WORKER = [
  "[Container]",
  "Image=localhost/bb:latest",
  "PublishPort=127.0.0.1:%i:8080",
  "",
  "[Install]",
  "WantedBy=default.target",
  "DefaultInstance=one",
  "",
].join("\n");

/** worker@.container (DefaultInstance=one), and worker@two.container linked to it. */
async function writeWorkers(
  fixture: Awaited<ReturnType<typeof commandFixture>>,
): Promise<string> {
  const source = await fixture.writeSource("workers", {
    "worker@.container": WORKER,
  });
  await Deno.symlink("worker@.container", `${source}/worker@two.container`);
  return source;
}

Deno.test("deploy install starts the instances of a template, and list and service work with them", async (t) => {
  await using fixture = await commandFixture();
  const source = await writeWorkers(fixture);

  await t.step("the plan says which services start", async () => {
    fixture.clearOutput();
    strictEqual(
      await runProgram(
        ["deploy", "install", "--source", source, "--dry-run", "--json"],
        fixture.deps,
      ),
      0,
      fixture.output.stderr,
    );
    const plan = JSON.parse(fixture.output.stdout);
    deepStrictEqual(
      plan.services.map((s: Record<string, unknown>) => [
        s.unit,
        s.service,
        s.start,
        s.started_services,
      ]),
      [
        ["worker@.container", "worker@.service", "started", [
          "worker@one.service",
        ]],
        ["worker@two.container", "worker@two.service", "started", [
          "worker@two.service",
        ]],
      ],
    );
  });

  await t.step("install starts worker@one and worker@two", async () => {
    fixture.clearOutput();
    strictEqual(
      await runProgram(
        ["deploy", "install", "--source", source, "--yes"],
        fixture.deps,
      ),
      0,
      fixture.output.stderr,
    );
    deepStrictEqual(await fixture.quadletFiles(), [
      "worker@.container",
      "worker@two.container",
    ]);
    strictEqual(
      fixture.host.calls.includes(
        "systemctl --user start -- worker@one.service worker@two.service",
      ),
      true,
      fixture.host.calls.join("\n"),
    );
    for (const service of ["worker@one.service", "worker@two.service"]) {
      deepStrictEqual(fixture.host.services.get(service), {
        activeState: "active",
        subState: "running",
      }, service);
    }
    match(
      await Deno.readTextFile(`${fixture.stateDir}/deployments.yaml`),
      /services:\n\s+- worker@one\.service\n\s+- worker@two\.service\n/,
    );
  });

  await t.step(
    "deploy list --json lists both instances without podman (podman quadlet list would exit 125)",
    async () => {
      fixture.clearOutput();
      const before = fixture.host.calls.length;
      strictEqual(
        await runProgram(["deploy", "list", "--json"], fixture.deps),
        0,
        fixture.output.stderr,
      );
      deepStrictEqual(
        fixture.host.calls.slice(before).filter((c) => c.startsWith("podman ")),
        [],
      );
      const [listed] = JSON.parse(fixture.output.stdout);
      strictEqual(listed.deployment, "workers");
      deepStrictEqual(
        listed.services.map((s: Record<string, string>) => [
          s.unit,
          s.service,
          s.active_state,
          s.sub_state,
          s.status,
        ]),
        [
          [
            "worker@.container",
            "worker@one.service",
            "active",
            "running",
            "active/running",
          ],
          [
            "worker@two.container",
            "worker@two.service",
            "active",
            "running",
            "active/running",
          ],
        ],
      );
      strictEqual(fixture.output.stderr, "");
    },
  );

  await t.step("deploy list prints both as rows", async () => {
    fixture.clearOutput();
    fixture.host.services.set("worker@two.service", {
      activeState: "failed",
      subState: "failed",
    });
    strictEqual(await runProgram(["deploy", "list"], fixture.deps), 0);
    deepStrictEqual(
      fixture.output.stdout.trim().split("\n").map((line) =>
        line.split("\t").slice(0, 3)
      ),
      [
        ["workers", "worker@one.service", "active/running"],
        ["workers", "worker@two.service", "failed/failed"],
      ],
    );
  });

  const cases = [
    {
      argv: ["service", "stop", "worker@one"],
      service: "worker@one.service",
      stdout: "worker@one.service: inactive (dead)\n",
      state: "inactive",
    },
    {
      argv: ["service", "start", "worker@one.service"],
      service: "worker@one.service",
      stdout: "worker@one.service: active (running)\n",
      state: "active",
    },
    {
      argv: ["service", "restart", "worker@two.container"],
      service: "worker@two.service",
      stdout: "worker@two.service: active (running)\n",
      state: "active",
    },
    {
      // Any instance of an installed template: systemd makes it on demand.
      argv: ["service", "start", "worker@three"],
      service: "worker@three.service",
      stdout: "worker@three.service: active (running)\n",
      state: "active",
    },
  ];
  for (const c of cases) {
    await t.step(c.argv.join(" "), async () => {
      fixture.clearOutput();
      strictEqual(
        await runProgram(c.argv, fixture.deps),
        0,
        fixture.output.stderr,
      );
      strictEqual(fixture.output.stdout, c.stdout);
      strictEqual(
        fixture.host.services.get(c.service)?.activeState,
        c.state,
      );
    });
  }

  await t.step(
    "service logs worker@one reads that instance's journal",
    async () => {
      const streamed: string[] = [];
      fixture.deps.streamJournal = (_scope, unit) => {
        streamed.push(unit);
        return Promise.resolve(0);
      };
      strictEqual(
        await runProgram(["service", "logs", "worker@one"], fixture.deps),
        0,
      );
      deepStrictEqual(streamed, ["worker@one.service"]);
    },
  );

  await t.step(
    "a name that is no instance of an installed template is not found",
    async () => {
      fixture.clearOutput();
      strictEqual(
        await runProgram(["service", "start", "other@one"], fixture.deps),
        1,
      );
      match(
        fixture.output.stderr,
        /services: worker@one\.service, worker@two\.service, worker@NAME\.service\n[\s\S]*Did you mean `worker@one`\?[\s\S]*ERR_SERVICE_NOT_FOUND/,
      );
    },
  );
});

Deno.test("deploy install says a template without instance is not started", async () => {
  await using fixture = await commandFixture();
  const source = await fixture.writeSource("lonely", {
    "lonely@.container": "[Container]\nImage=localhost/bb:latest\n",
    "web.container": "[Container]\nImage=localhost/bb:latest\n",
  });
  strictEqual(
    await runProgram(
      ["deploy", "install", "--source", source, "--yes"],
      fixture.deps,
    ),
    0,
    fixture.output.stderr,
  );
  match(
    fixture.output.stderr,
    /Not started \(1\):\n {2}lonely@\.container: template, no instance: not started\n {4}fix: set DefaultInstance= in its \[Install\] section, or add an instance file such as lonely@one\.container\n/,
  );
  strictEqual(
    fixture.host.calls.includes("systemctl --user start -- web.service"),
    true,
    fixture.host.calls.join("\n"),
  );
  strictEqual(
    fixture.host.calls.some((call) =>
      call.startsWith("systemctl") && call.includes("lonely@")
    ),
    false,
  );
  fixture.clearOutput();
  strictEqual(
    await runProgram(["deploy", "list", "--json"], fixture.deps),
    0,
    fixture.output.stderr,
  );
  deepStrictEqual(
    JSON.parse(fixture.output.stdout)[0].services.map((
      s: Record<string, string>,
    ) => s.service),
    ["web.service"],
  );
});
