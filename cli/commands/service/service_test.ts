import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import {
  type JournalEntry,
  parseJournalEntry,
} from "../../../lib/adapters/journal.ts";
import type { RunOptions } from "../../../lib/adapters/run.ts";
import {
  type CommandFixture,
  commandFixture,
  installDeployment,
} from "../../../tests/fakes/command_fixture.ts";
import { runProgram } from "../../program.ts";

const CONTAINER = "[Container]\nImage=localhost/bb:latest\n";

/**
 * The deployment `xp` of two services, `xp-a` and `xp-b` (the units of the
 * journal entries recorded in lib/adapters/testdata/), and `other`, whose
 * service `xp.service` has the deployment's name.
 */
async function installXp(fixture: CommandFixture): Promise<void> {
  await installDeployment(fixture, "xp", {
    "xp-a.container": CONTAINER,
    "xp-b.container": CONTAINER,
  });
  await installDeployment(fixture, "other", { "xp.container": CONTAINER });
  fixture.clearOutput();
}

/** The calls made while `fn` runs. */
async function callsDuring(
  fixture: CommandFixture,
  fn: () => Promise<unknown>,
): Promise<string[]> {
  const before = fixture.host.calls.length;
  await fn();
  return fixture.host.calls.slice(before);
}

Deno.test("service start|stop|restart change a service and print its new state", async (t) => {
  await using fixture = await commandFixture();
  await installDeployment(fixture, "web");
  const cases = [
    {
      // The deployment `web` is only `web.service`: the service, as before.
      argv: ["service", "stop", "web"],
      code: 0,
      stdout: "web.service: inactive (dead)\n",
      state: "inactive",
    },
    {
      argv: ["service", "start", "web.container"],
      code: 0,
      stdout: "web.service: active (running)\n",
      state: "active",
    },
    {
      argv: ["service", "restart", "web.service"],
      code: 0,
      stdout: "web.service: active (running)\n",
      state: "active",
    },
  ];
  for (const c of cases) {
    await t.step(c.argv.join(" "), async () => {
      fixture.clearOutput();
      strictEqual(
        await runProgram(c.argv, fixture.deps),
        c.code,
        fixture.output.stderr,
      );
      strictEqual(fixture.output.stdout, c.stdout);
      strictEqual(fixture.output.stderr, "");
      strictEqual(
        fixture.host.services.get("web.service")?.activeState,
        c.state,
      );
    });
  }
  await t.step(
    "an unknown service lists the known ones and changes nothing",
    async () => {
      fixture.clearOutput();
      const before = fixture.host.calls.length;
      strictEqual(
        await runProgram(["service", "stop", "nosuch"], fixture.deps),
        1,
      );
      match(
        fixture.output.stderr,
        /deployments: web\n[\s\S]*services: web\.service\n[\s\S]*ERR_SERVICE_NOT_FOUND/,
      );
      strictEqual(fixture.host.calls.length, before);
    },
  );
  await t.step("service logs -n takes a whole number", async () => {
    fixture.clearOutput();
    strictEqual(
      await runProgram(["service", "logs", "web", "-n", "x"], fixture.deps),
      2,
    );
    match(fixture.output.stderr, /expected a whole number/);
  });
  await t.step("service logs streams the service's journal", async () => {
    fixture.clearOutput();
    let asked: unknown[] = [];
    fixture.deps.streamJournal = (scope, unit, options) => {
      asked = [scope, unit, { ...options, signal: undefined }];
      return Promise.resolve(0);
    };
    strictEqual(
      await runProgram(["service", "logs", "web", "-n5", "-f"], fixture.deps),
      0,
    );
    deepStrictEqual(asked, ["user", "web.service", {
      lines: 5,
      since: undefined,
      follow: true,
      json: false,
      signal: undefined,
    }]);
    // Nothing listens for signals once it is done.
    strictEqual(fixture.signals.size, 0);
  });
  await t.step(
    "service logs -f of a service ends with 0 on Ctrl-C",
    async () => {
      fixture.deps.streamJournal = (_scope, _unit, options) =>
        new Promise((resolve) => {
          options.signal!.addEventListener("abort", () => resolve(0));
          fixture.signals.get("SIGINT")!();
        });
      strictEqual(
        await runProgram(["service", "logs", "web", "-f"], fixture.deps),
        0,
      );
      strictEqual(fixture.signals.size, 0);
    },
  );
});

Deno.test("service start|stop|restart DEPLOYMENT act on all its services with one systemctl call", async (t) => {
  await using fixture = await commandFixture();
  await installXp(fixture);
  const services = ["xp-a.service", "xp-b.service"];
  const cases = [
    { verb: "stop", state: "inactive", sub: "dead" },
    { verb: "start", state: "active", sub: "running" },
    { verb: "restart", state: "active", sub: "running" },
  ];
  for (const c of cases) {
    await t.step(`service ${c.verb} xp`, async () => {
      fixture.clearOutput();
      const enteredBefore = services.map((s) =>
        fixture.host.activeEnter.get(s)
      );
      let code = -1;
      const calls = await callsDuring(fixture, async () => {
        code = await runProgram(["service", c.verb, "xp"], fixture.deps);
      });
      strictEqual(code, 0, fixture.output.stderr);
      // One job for all (systemd orders them), one read of their states;
      // after a start, four more while they are watched staying up.
      const show = ["systemctl", "--user", "show"];
      deepStrictEqual(calls.map((call) => call.split(" ").slice(0, 3)), [
        ["systemctl", "--user", c.verb],
        show,
        ...(c.verb === "stop" ? [] : [show, show, show, show]),
      ]);
      strictEqual(
        calls[0],
        `systemctl --user ${c.verb} -- xp-a.service xp-b.service`,
      );
      strictEqual(
        fixture.output.stdout,
        services.map((s) => `${s}: ${c.state} (${c.sub})\n`).join(""),
      );
      // "xp" is also the short name of other's xp.service: say which is meant.
      strictEqual(
        fixture.output.stderr,
        'Note: "xp" names the deployment xp (xp-a.service, xp-b.service); name the service alone as xp.service\n',
      );
      for (const service of services) {
        strictEqual(fixture.host.services.get(service)?.activeState, c.state);
      }
      strictEqual(
        fixture.host.services.get("xp.service")?.activeState,
        "active",
      );
      if (c.verb === "restart") {
        services.forEach((s, i) =>
          strictEqual(
            fixture.host.activeEnter.get(s)! > enteredBefore[i]!,
            true,
            `${s} was restarted`,
          )
        );
      }
    });
  }

  await t.step(
    "--json prints the deployment and each service's state",
    async () => {
      fixture.clearOutput();
      strictEqual(
        await runProgram(["service", "stop", "xp", "--json"], fixture.deps),
        0,
      );
      deepStrictEqual(JSON.parse(fixture.output.stdout), {
        deployment: "xp",
        scope: "user",
        services: [
          {
            service: "xp-a.service",
            active_state: "inactive",
            sub_state: "dead",
            health: null,
          },
          {
            service: "xp-b.service",
            active_state: "inactive",
            sub_state: "dead",
            health: null,
          },
        ],
      });
    },
  );

  await t.step(
    "the service of the deployment's name by its full name",
    async () => {
      fixture.clearOutput();
      strictEqual(
        await runProgram(["service", "stop", "xp.service"], fixture.deps),
        0,
      );
      strictEqual(fixture.output.stdout, "xp.service: inactive (dead)\n");
      strictEqual(fixture.output.stderr, "");
    },
  );

  await t.step(
    "a misspelt name lists the deployments and services and suggests the closest",
    async () => {
      for (
        const [word, near] of [
          ["xq", "xp"],
          ["xp-c", "xp-a"],
          [
            "xp-a.servic",
            "xp-a",
          ],
          ["xp-b.contaner", "xp-b"],
          ["xq.service", "xp"],
          [
            "xp-b.service.x",
            undefined,
          ],
        ]
      ) {
        fixture.clearOutput();
        const calls = await callsDuring(fixture, async () => {
          strictEqual(
            await runProgram(["service", "restart", word!], fixture.deps),
            1,
          );
        });
        deepStrictEqual(calls, []);
        const [first, ...rest] = fixture.output.stderr.split("\n");
        match(
          first,
          new RegExp(
            `Cannot find a service or deployment "${
              word!.replaceAll(".", "\\.")
            }" in the user scope`,
          ),
        );
        const text = rest.join("\n");
        match(text, /deployments: other, xp\n/);
        match(text, /services: xp\.service, xp-a\.service, xp-b\.service\n/);
        match(
          text,
          near === undefined
            ? /Name one of them, such as `other` or `xp`/
            : new RegExp(`Did you mean \`${near}\`\\?`),
        );
        match(text, /\[ERR_SERVICE_NOT_FOUND\]/);
      }
    },
  );
});

Deno.test("service restart waits for services still activating, with a bound", async (t) => {
  await using fixture = await commandFixture();
  await installXp(fixture);
  const host = fixture.host;
  const runner = host.runner;
  // After the restart job, xp-b is activating (an automatic restart pending).
  fixture.deps.runner = async (bin, args, options?: RunOptions) => {
    const result = await runner(bin, args, options);
    if (args.includes("restart")) {
      host.services.set("xp-b.service", {
        activeState: "activating",
        subState: "auto-restart",
      });
    }
    return result;
  };

  await t.step("until it is active", async () => {
    let pauses = 0;
    fixture.deps.settlePause = () => {
      if (++pauses === 3) {
        host.services.set("xp-b.service", {
          activeState: "active",
          subState: "running",
        });
      }
      return Promise.resolve();
    };
    let code = -1;
    const calls = await callsDuring(fixture, async () => {
      code = await runProgram(["service", "restart", "xp"], fixture.deps);
    });
    strictEqual(code, 0, fixture.output.stderr);
    strictEqual(
      fixture.output.stdout,
      "xp-a.service: active (running)\nxp-b.service: active (running)\n",
    );
    // The first read is of both; the later ones only of xp-b; then four
    // of both, watching that they stay up.
    const shows = calls.filter((c) => c.includes(" show "));
    strictEqual(shows.length, 8);
    match(shows[0], / -- xp-a\.service xp-b\.service$/);
    for (const show of shows.slice(1, 4)) match(show, / -- xp-b\.service$/);
    for (const show of shows.slice(4)) {
      match(show, / -- xp-a\.service xp-b\.service$/);
    }
  });

  await t.step("and no longer than the bound: then it fails", async () => {
    fixture.clearOutput();
    let pauses = 0;
    fixture.deps.settlePause = () => {
      pauses++;
      return Promise.resolve();
    };
    strictEqual(
      await runProgram(["service", "restart", "xp"], fixture.deps),
      1,
    );
    strictEqual(pauses, 60);
    strictEqual(
      fixture.output.stdout,
      "xp-a.service: active (running)\nxp-b.service: activating (auto-restart)\n",
    );
  });
});

Deno.test("service start DEPLOYMENT says which service failed and why, after the states", async () => {
  await using fixture = await commandFixture({
    failing: ["xp-b.service"],
    journals: {
      "xp-b.service": [
        'Error: no secret with name or id "api_token": no such secret',
      ],
    },
  });
  await installDeployment(fixture, "xp", {
    "xp-a.container": CONTAINER,
    "xp-b.container": `${CONTAINER}Secret=api_token,type=env,target=TOKEN\n`,
  });
  await runProgram(["service", "stop", "xp"], fixture.deps);
  fixture.clearOutput();
  strictEqual(await runProgram(["service", "start", "xp"], fixture.deps), 1);
  strictEqual(
    fixture.output.stdout,
    "xp-a.service: active (running)\nxp-b.service: failed (exit-code)\n",
  );
  match(fixture.output.stderr, /Cannot start "xp-b\.service"/);
  match(
    fixture.output.stderr,
    /Add it to leger\.run with `leger secrets set api_token`/,
  );
  match(fixture.output.stderr, /run `leger service start xp` again/);
  match(fixture.output.stderr, /\[ERR_SECRET_MISSING\]/);
});

Deno.test("service start names a missing secret as the cause, with the fix", async () => {
  await using fixture = await commandFixture({
    failing: ["api.service"],
    journals: {
      "api.service": [
        'Error: no secret with name or id "api_token": no such secret',
      ],
    },
  });
  // The secret is missing: the install leaves the service stopped.
  await installDeployment(fixture, "api", {
    "api.container":
      "[Container]\nImage=localhost/bb:latest\nSecret=api_token,type=env,target=TOKEN\n",
  });
  fixture.clearOutput();
  strictEqual(await runProgram(["service", "start", "api"], fixture.deps), 1);
  match(
    fixture.output.stderr,
    /Add it to leger\.run with `leger secrets set api_token`/,
  );
  match(fixture.output.stderr, /\[ERR_SECRET_MISSING\]/);
});

/** The entries recorded on the e2e host for xp-a and xp-b, in a scope. */
async function recordedEntries(
  scope: "system" | "user",
): Promise<JournalEntry[]> {
  const text = await Deno.readTextFile(
    new URL(
      `../../../lib/adapters/testdata/journalctl_json_${scope}.out`,
      import.meta.url,
    ),
  );
  return text.split("\n").filter((l) => l !== "").map((line) =>
    parseJournalEntry(line, ["xp-a.service", "xp-b.service"])
  );
}

Deno.test("service logs DEPLOYMENT interleaves its services, each line prefixed by its service", async (t) => {
  await using fixture = await commandFixture();
  await installXp(fixture);
  const entries = await recordedEntries("user");
  let asked: unknown[] = [];
  fixture.deps.streamJournalEntries = (scope, units, options) => {
    asked = [scope, units, {
      ...options,
      onEntry: undefined,
      signal: undefined,
    }];
    entries.forEach(options.onEntry);
    return Promise.resolve(0);
  };

  await t.step(
    "as text, in journalctl's order (the order of time)",
    async () => {
      fixture.clearOutput();
      strictEqual(
        await runProgram(
          ["service", "logs", "xp", "-n", "9", "--since", "1h ago"],
          fixture.deps,
        ),
        0,
        fixture.output.stderr,
      );
      deepStrictEqual(asked, ["user", ["xp-a.service", "xp-b.service"], {
        lines: 9,
        since: "1h ago",
        follow: false,
        onEntry: undefined,
        signal: undefined,
      }]);
      const lines = fixture.output.stdout.split("\n").slice(0, -1);
      strictEqual(lines.length, 9);
      deepStrictEqual(lines.map((l) => l.slice(0, 7)), [
        "xp-b | ",
        "xp-a | ",
        "xp-a | ",
        "xp-a | ",
        "xp-a | ",
        "xp-a | ",
        "xp-a | ",
        "xp-a | ",
        "xp-a | ",
      ]);
      strictEqual(lines[0], "xp-b | b-err");
      strictEqual(lines[3], "xp-a | Started xp-a.service.");
      strictEqual(lines[8], "xp-a | a-line-2");
    },
  );

  await t.step(
    "a message of several lines, and bytes that are not UTF-8",
    async () => {
      const system = await recordedEntries("system");
      fixture.deps.streamJournalEntries = (_scope, _units, options) => {
        options.onEntry(system.find((e) => e.message.startsWith("b-\uFFFD"))!);
        options.onEntry({ ...entries[0], message: "one\ntwo" });
        options.onEntry({ ...entries[0], service: null, message: "who?" });
        return Promise.resolve(0);
      };
      fixture.clearOutput();
      strictEqual(await runProgram(["service", "logs", "xp"], fixture.deps), 0);
      strictEqual(
        fixture.output.stdout,
        "xp-b | b-\uFFFD-bin\nxp-b | one\nxp-b | two\n-    | who?\n",
      );
    },
  );

  await t.step(
    "the prefix is padded to the longest name, coloured on a terminal",
    async () => {
      await installDeployment(fixture, "mix", {
        "mix-web.container": CONTAINER,
        "mix-database.container": CONTAINER,
      });
      fixture.deps.streamJournalEntries = (_scope, units, options) => {
        for (const unit of units) {
          options.onEntry({ ...entries[0], service: unit, message: "hi" });
        }
        return Promise.resolve(0);
      };
      fixture.clearOutput();
      strictEqual(
        await runProgram(["service", "logs", "mix"], fixture.deps),
        0,
      );
      strictEqual(
        fixture.output.stdout,
        "mix-database | hi\nmix-web      | hi\n",
      );
      fixture.deps.context = { ...fixture.deps.context, color: true };
      fixture.clearOutput();
      strictEqual(
        await runProgram(["service", "logs", "mix"], fixture.deps),
        0,
      );
      strictEqual(
        fixture.output.stdout,
        "\x1b[36mmix-database |\x1b[0m hi\n\x1b[33mmix-web      |\x1b[0m hi\n",
      );
      fixture.deps.context = { ...fixture.deps.context, color: false };
    },
  );

  await t.step("--json prints each entry as journalctl gave it", async () => {
    fixture.deps.streamJournalEntries = (_scope, _units, options) => {
      entries.forEach(options.onEntry);
      return Promise.resolve(0);
    };
    fixture.clearOutput();
    strictEqual(
      await runProgram(["service", "logs", "xp", "--json"], fixture.deps),
      0,
    );
    strictEqual(
      fixture.output.stdout,
      entries.map((e) => `${e.line}\n`).join(""),
    );
  });

  await t.step("-f reads until a signal, then ends with 0", async () => {
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
      let following = false;
      fixture.deps.streamJournalEntries = (_scope, _units, options) =>
        new Promise((resolve) => {
          following = options.follow;
          options.onEntry(entries[0]);
          options.signal!.addEventListener("abort", () => resolve(0));
          fixture.signals.get(signal)!();
        });
      fixture.clearOutput();
      strictEqual(
        await runProgram(["service", "logs", "xp", "-f"], fixture.deps),
        0,
      );
      strictEqual(following, true);
      strictEqual(fixture.output.stdout, "xp-b | b-err\n");
      strictEqual(fixture.signals.size, 0);
    }
  });

  await t.step("a reader that goes away ends it quietly", async () => {
    fixture.deps.streamJournalEntries = (_scope, _units, options) => {
      options.onEntry(entries[0]);
      return Promise.resolve(0);
    };
    const out = fixture.deps.context.out;
    fixture.deps.context = {
      ...fixture.deps.context,
      out: () => {
        throw new Deno.errors.BrokenPipe("Broken pipe (os error 32)");
      },
    };
    fixture.clearOutput();
    try {
      strictEqual(await runProgram(["service", "logs", "xp"], fixture.deps), 0);
      strictEqual(fixture.output.stderr.includes("ERR_"), false);
    } finally {
      fixture.deps.context = { ...fixture.deps.context, out };
    }
  });

  await t.step(
    "journalctl failing: its exit, and with --json an error naming the units",
    async () => {
      fixture.deps.streamJournalEntries = () => Promise.resolve(1);
      fixture.clearOutput();
      strictEqual(await runProgram(["service", "logs", "xp"], fixture.deps), 1);
      fixture.clearOutput();
      strictEqual(
        await runProgram(["service", "logs", "xp", "--json"], fixture.deps),
        1,
      );
      const { error } = JSON.parse(fixture.output.stdout);
      strictEqual(error.code, "ERR_COMMAND_FAILED");
      match(
        error.message,
        /the deployment "xp" \(xp-a\.service, xp-b\.service\)/,
      );
      match(
        error.remedy,
        /journalctl --user --user-unit xp-a\.service --user-unit xp-b\.service/,
      );
    },
  );
});

Deno.test("service restart waits until a service's health check passes, and fails with ERR_SERVICE_UNHEALTHY when it does not", async (t) => {
  await using fixture = await commandFixture();
  // A real HTTP server on loopback answers web's check: 503, then 200.
  let healthy = false;
  let requests = 0;
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => {
      requests++;
      return new Response(null, { status: healthy ? 200 : 503 });
    },
  );
  await installDeployment(fixture, "hc", {
    "web.container":
      `${CONTAINER}[X-Leger]\nHealthURL=http://127.0.0.1:${server.addr.port}/health\n`,
    "job.container": `${CONTAINER}HealthCmd=true\n`,
    "plain.container": CONTAINER,
  });
  fixture.host.containerHealth.set("job.service", "healthy");
  fixture.deps.fetch = globalThis.fetch;

  await t.step("until the HTTP check passes", async () => {
    fixture.clearOutput();
    let pauses = 0;
    // Four pauses watching that they stay up, then the health checks.
    fixture.deps.settlePause = () => {
      if (++pauses === 5) healthy = true;
      return Promise.resolve();
    };
    strictEqual(
      await runProgram(["service", "restart", "hc"], fixture.deps),
      0,
      fixture.output.stderr,
    );
    strictEqual(pauses, 5);
    ok(requests >= 2, `${requests} requests`);
    // Success says so, in the state line of each service with a check.
    strictEqual(
      fixture.output.stdout,
      "job.service: active (running), healthy\nplain.service: active (running)\nweb.service: active (running), healthy\n",
    );
  });

  await t.step("Podman's unhealthy check fails the restart", async () => {
    fixture.clearOutput();
    fixture.host.containerHealth.set("job.service", "unhealthy");
    fixture.deps.settlePause = () => Promise.resolve();
    strictEqual(
      await runProgram(["service", "restart", "job", "--json"], fixture.deps),
      1,
    );
    const document = JSON.parse(fixture.output.stdout);
    strictEqual(document.error.code, "ERR_SERVICE_UNHEALTHY");
    match(document.error.message, /job\.service/);
    match(fixture.output.stderr, /leger service logs job/);
  });

  await t.step("a service without a check is not waited for", async () => {
    fixture.clearOutput();
    const before = requests;
    strictEqual(
      await runProgram(["service", "restart", "plain"], fixture.deps),
      0,
      fixture.output.stderr,
    );
    strictEqual(requests, before);
  });
});

Deno.test("service start|restart fail with ERR_SERVICE_START_FAILED when a service dies right after starting (issue 13 finding 1)", async (t) => {
  for (const [verb, word] of [["restart", "xp-a"], ["start", "xp"]]) {
    await t.step(`service ${verb} ${word}`, async () => {
      await using fixture = await commandFixture({
        journals: { "xp-a.service": ["busybox false: exited 1"] },
      });
      await installXp(fixture);
      if (verb === "start") {
        await runProgram(["service", "stop", "xp"], fixture.deps);
      }
      fixture.clearOutput();
      // Active when systemctl returns, failed at the first look after.
      fixture.deps.settlePause = () => {
        fixture.host.services.set("xp-a.service", {
          activeState: "failed",
          subState: "failed",
        });
        return Promise.resolve();
      };
      strictEqual(
        await runProgram(["service", verb, word], fixture.deps),
        1,
      );
      match(fixture.output.stdout, /^xp-a\.service: failed \(exit-code\)$/m);
      match(
        fixture.output.stderr,
        /Cannot start "xp-a\.service": it is failed/,
      );
      match(fixture.output.stderr, /busybox false: exited 1/);
      match(fixture.output.stderr, /\[ERR_SERVICE_START_FAILED\]/);
    });
  }
});

Deno.test("service start's state line says start-limit-hit, as its error does", async () => {
  await using fixture = await commandFixture();
  await installXp(fixture);
  fixture.deps.settlePause = () => {
    fixture.host.services.set("xp-a.service", {
      activeState: "failed",
      subState: "failed",
      result: "start-limit-hit",
    });
    return Promise.resolve();
  };
  strictEqual(
    await runProgram(["service", "start", "xp-a"], fixture.deps),
    1,
  );
  strictEqual(
    fixture.output.stdout,
    "xp-a.service: failed (start-limit-hit)\n",
  );
  match(fixture.output.stderr, /\(failed, start-limit-hit\)/);
});

Deno.test("service restart's state line says refused of a check it did not run, unhealthy of one that failed", async () => {
  await using fixture = await commandFixture();
  await installDeployment(fixture, "hz", {
    "ext.container":
      `${CONTAINER}[X-Leger]\nHealthURL=http://example.com/health\n`,
    "hcbad.container": `${CONTAINER}HealthCmd=false\n`,
  });
  fixture.host.containerHealth.set("hcbad.service", "unhealthy");
  let clock = fixture.deps.now().getTime();
  fixture.deps.now = () => new Date(clock);
  fixture.deps.settlePause = () => {
    clock += 20_000;
    return Promise.resolve();
  };
  fixture.clearOutput();
  strictEqual(
    await runProgram(["service", "restart", "hz"], fixture.deps),
    1,
  );
  match(fixture.output.stdout, /^ext\.service: active \(running\), refused$/m);
  match(
    fixture.output.stdout,
    /^hcbad\.service: active \(running\), unhealthy$/m,
  );
});

Deno.test("service restart DEPLOYMENT names every service whose check fails, and a refused check at once (issue 13 findings 12, 26)", async () => {
  await using fixture = await commandFixture();
  let requests = 0;
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => {
      requests++;
      return new Response(null, { status: 404 });
    },
  );
  await installDeployment(fixture, "hz", {
    "api.container":
      `${CONTAINER}[X-Leger]\nHealthURL=http://127.0.0.1:${server.addr.port}/health\n`,
    "hcbad.container": `${CONTAINER}HealthCmd=false\n`,
    "ext.container":
      `${CONTAINER}[X-Leger]\nHealthURL=http://example.com/health\n`,
    "ok.container": `${CONTAINER}HealthCmd=true\n`,
  });
  fixture.host.containerHealth.set("hcbad.service", "unhealthy");
  fixture.host.containerHealth.set("ok.service", "healthy");
  fixture.deps.fetch = globalThis.fetch;
  fixture.deps.context = { ...fixture.deps.context, stderrIsTerminal: true };
  fixture.clearOutput();
  // When ext's refusal is said, api's check is still being waited for.
  let pauses = 0;
  let saidWhileWaiting = false;
  // Each pause of the health wait is 20 s of the fixture's clock.
  let clock = fixture.deps.now().getTime();
  fixture.deps.now = () => new Date(clock);
  fixture.deps.settlePause = () => {
    pauses++;
    clock += 20_000;
    if (/ext\.service.*still waiting/.test(fixture.output.stderr)) {
      saidWhileWaiting = true;
    }
    return Promise.resolve();
  };
  strictEqual(
    await runProgram(["service", "restart", "hz", "--json"], fixture.deps),
    1,
  );
  ok(saidWhileWaiting, fixture.output.stderr);
  ok(requests >= 2, `${requests} requests`);
  const { error } = JSON.parse(fixture.output.stdout);
  strictEqual(error.code, "ERR_SERVICE_UNHEALTHY");
  strictEqual(
    error.message,
    "Cannot confirm that 3 services are healthy: api.service, ext.service, hcbad.service",
  );
  for (const service of ["api", "ext", "hcbad"]) {
    ok(
      error.details.some((d: string) => d.startsWith(`${service}.service: `)),
      JSON.stringify(error.details),
    );
  }
  ok(!error.details.some((d: string) => d.startsWith("ok.service")));
  // On a terminal, each wait is announced.
  match(
    fixture.output.stderr,
    new RegExp(
      `Waiting for api\\.service's health check \\(http://127\\.0\\.0\\.1:${server.addr.port}/health\\)…`,
    ),
  );
  match(fixture.output.stderr, /Waiting for ok\.service's health check/);
  ok(pauses > 4);
});

Deno.test("service restart without a terminal does not announce the wait", async () => {
  await using fixture = await commandFixture();
  await installDeployment(fixture, "hj", {
    "job.container": `${CONTAINER}HealthCmd=true\n`,
  });
  fixture.host.containerHealth.set("job.service", "healthy");
  fixture.deps.settlePause = () => Promise.resolve();
  fixture.clearOutput();
  strictEqual(await runProgram(["service", "restart", "job"], fixture.deps), 0);
  strictEqual(
    fixture.output.stdout,
    "job.service: active (running), healthy\n",
  );
  strictEqual(fixture.output.stderr, "");
});

Deno.test("service restart never shows a health URL's password, waiting or failing", async () => {
  await using fixture = await commandFixture();
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => new Response(null, { status: 500 }),
  );
  await installDeployment(fixture, "pw", {
    "web.container":
      `${CONTAINER}[X-Leger]\nHealthURL=http://admin:hunter2SECRET@127.0.0.1:${server.addr.port}/h\n`,
  });
  fixture.deps.fetch = globalThis.fetch;
  fixture.deps.context = { ...fixture.deps.context, stderrIsTerminal: true };
  let clock = fixture.deps.now().getTime();
  fixture.deps.now = () => new Date(clock);
  fixture.deps.settlePause = () => {
    clock += 20_000;
    return Promise.resolve();
  };
  fixture.clearOutput();
  strictEqual(
    await runProgram(["service", "restart", "web", "--json"], fixture.deps),
    1,
  );
  match(fixture.output.stderr, /Waiting for web\.service's health check/);
  strictEqual(
    JSON.parse(fixture.output.stdout).error.code,
    "ERR_SERVICE_UNHEALTHY",
  );
  ok(
    !`${fixture.output.stdout}${fixture.output.stderr}`.includes(
      "hunter2SECRET",
    ),
    fixture.output.stderr,
  );
});

Deno.test("service logs|start|stop|restart of a deployment without services says it has none, and what to do", async (t) => {
  await using fixture = await commandFixture();
  await installDeployment(fixture, "vonly", {
    "vonly-data.volume": "[Volume]\n",
  });
  for (const verb of ["logs", "start", "stop", "restart"]) {
    await t.step(verb, async () => {
      fixture.clearOutput();
      const calls = await callsDuring(fixture, async () => {
        strictEqual(
          await runProgram(["service", verb, "vonly"], fixture.deps),
          1,
        );
      });
      // Nothing is run against systemd or the journal.
      deepStrictEqual(calls, []);
      const { stderr } = fixture.output;
      match(
        stderr,
        /^Error: vonly is installed but has no services \(only volumes\/networks: vonly-data\.volume\)/m,
      );
      match(
        stderr,
        /act on that service instead[\s\S]*or add a \.container to vonly's source and `leger deploy update vonly`/,
      );
      match(stderr, /\[ERR_SERVICE_NOT_FOUND\]/);
    });
  }
});
