import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { healthyLegerd } from "../../../../tests/fakes/fake_legerd.ts";
import type { LegerdHealth } from "../../../../lib/secrets/control_api.ts";
import type { LegerdHealthAnswer } from "../../../../lib/secrets/legerd_client.ts";
import { renderAuthStatus } from "./render_auth_status.ts";
import type { AuthStatusReport } from "./gather_auth_status.ts";

const UUID = "f44a09fc-90d1-5f2b-bf2c-7380100ec435";
const SOCKET = "/run/user/1000/leger/legerd.sock";

const REPORT: AuthStatusReport = {
  tailscale: {
    installed: true,
    source: "localapi",
    backend_state: "Running",
    version: "1.78.1",
    identity: {
      user_id: "9007199254740993",
      login_name: "alice@github",
      device_id: "100.101.102.103",
      device_hostname: "workstation",
      tailnet: "alice@github",
    },
    user_uuid: UUID,
    error: null,
  },
  leger: {
    state: "valid",
    api_url: "https://api.leger.run",
    auth_file: "/home/a/.local/share/leger/auth.json",
    user_uuid: UUID,
    login_name: "alice@github",
    tailnet: "alice@github",
    device_hostname: "workstation",
    expires_at: "2026-10-16T12:00:00.000Z",
    matches_tailscale: true,
    error: null,
  },
  legerd: {
    running: false,
    scope: "user",
    socket: SOCKET,
    health: null,
    error: {
      code: "ERR_LEGERD_NOT_RUNNING",
      message:
        `Cannot read legerd's health: legerd is not running (no control socket at ${SOCKET})`,
      remedy: "Start it with `systemctl --user enable --now legerd.service`",
    },
  },
  space: {
    user_uuid: UUID,
    static_url: `https://static.leger.run/${UUID}/`,
    releases: [{
      id: "rel_2",
      user_uuid: UUID,
      name: "production",
      version: 12,
      created_at: "2025-10-16T12:00:00Z",
      updated_at: "2025-10-16T12:00:00Z",
    }, {
      id: "rel_1",
      user_uuid: UUID,
      name: "staging",
      version: 3,
      created_at: "2025-10-01T08:00:00Z",
      updated_at: "2025-10-01T08:00:00Z",
    }],
    error: null,
  },
};

Deno.test("renderAuthStatus() marks and aligns on a terminal, and stays plain without one", () => {
  const cases: [boolean, string[]][] = [
    [true, [
      "Tailscale",
      "  ✓ Running, logged in as alice@github on tailnet alice@github",
      "  device: workstation (100.101.102.103), tailscale 1.78.1, read from tailscaled's socket",
      "leger.run",
      `  ✓ Logged in as alice@github (user ${UUID}), token valid until 2026-10-16T12:00:00.000Z`,
      "  api: https://api.leger.run",
      "legerd",
      `  ✗ legerd is not running (no control socket at ${SOCKET})`,
      "  Start it with `systemctl --user enable --now legerd.service`",
      "leger.run space",
      `  https://static.leger.run/${UUID}/`,
      "  VERSION  NAME        CREATED",
      "  v12      production  2025-10-16T12:00:00Z",
      "  v3       staging     2025-10-01T08:00:00Z",
      "",
    ]],
    [false, [
      "Tailscale",
      "  Running, logged in as alice@github on tailnet alice@github",
      "  device: workstation (100.101.102.103), tailscale 1.78.1, read from tailscaled's socket",
      "leger.run",
      `  Logged in as alice@github (user ${UUID}), token valid until 2026-10-16T12:00:00.000Z`,
      "  api: https://api.leger.run",
      "legerd",
      `  legerd is not running (no control socket at ${SOCKET})`,
      "  Start it with `systemctl --user enable --now legerd.service`",
      "leger.run space",
      `  https://static.leger.run/${UUID}/`,
      "  v12\tproduction\t2025-10-16T12:00:00Z",
      "  v3\tstaging\t2025-10-01T08:00:00Z",
      "",
    ]],
  ];
  for (const [terminal, lines] of cases) {
    strictEqual(renderAuthStatus(REPORT, { terminal }), lines.join("\n"));
  }
});

Deno.test("renderAuthStatus() says when Tailscale's user is not the one logged in", () => {
  const report = {
    ...REPORT,
    tailscale: {
      ...REPORT.tailscale,
      identity: { ...REPORT.tailscale.identity!, login_name: "bob@github" },
    },
    leger: { ...REPORT.leger, matches_tailscale: false },
  };
  strictEqual(
    renderAuthStatus(report, { terminal: false }).includes(
      "  Tailscale's user is bob@github, not alice@github: run `leger auth login` to switch\n",
    ),
    true,
  );
});

Deno.test("renderAuthStatus() shows each problem with its fix", () => {
  const report: AuthStatusReport = {
    ...REPORT,
    tailscale: {
      ...REPORT.tailscale,
      identity: null,
      error: {
        code: "ERR_TAILSCALE_NOT_INSTALLED",
        message: "Cannot read the Tailscale status: Tailscale is not installed",
        remedy: "Install it",
      },
    },
    leger: { ...REPORT.leger, state: "missing" },
    space: { ...REPORT.space, releases: null },
  };
  const text = renderAuthStatus(report, { terminal: false });
  strictEqual(
    text.startsWith(
      "Tailscale\n  Tailscale is not installed\n  Install it\nleger.run\n",
    ),
    true,
  );
  strictEqual(
    text.includes(
      "  Not logged in (no /home/a/.local/share/leger/auth.json)\n  Run `leger auth login`\n",
    ),
    true,
  );
  strictEqual(text.endsWith("  Releases: shown once logged in\n"), true);
});

Deno.test("renderAuthStatus() says what leger.run said of an expired login, or the date auth.json gave", () => {
  const cases: {
    name: string;
    error: AuthStatusReport["leger"]["error"];
    lines: string[];
  }[] = [
    {
      name: "expired by auth.json's date (leger.run not asked)",
      error: null,
      lines: [
        `  The login of alice@github (user ${UUID}) expired at 2026-10-16T12:00:00.000Z`,
        "  Run `leger auth login`",
      ],
    },
    {
      name: "leger.run says expired while auth.json's date is ahead",
      error: {
        code: "ERR_LEGER_NOT_AUTHENTICATED",
        message:
          "Cannot check the leger.run login: JWT validation failed: Token expired",
        remedy: "Run `leger auth login`",
      },
      lines: [
        `  leger.run refused the login of alice@github (user ${UUID}): JWT validation failed: Token expired`,
        "  auth.json says it is valid until 2026-10-16T12:00:00.000Z, but leger.run no longer accepts it",
        "  Run `leger auth login`",
      ],
    },
  ];
  for (const c of cases) {
    const report: AuthStatusReport = {
      ...REPORT,
      leger: { ...REPORT.leger, state: "expired", error: c.error },
      space: { ...REPORT.space, releases: null },
    };
    const text = renderAuthStatus(report, { terminal: false });
    strictEqual(
      text.includes(
        `leger.run\n${c.lines.join("\n")}\n  api: https://api.leger.run\n`,
      ),
      true,
      `${c.name}:\n${text}`,
    );
    strictEqual(
      text.includes("expired at") && c.error !== null,
      false,
      `${c.name}: names a date that has not come`,
    );
  }
});

Deno.test("renderAuthStatus() shows legerd's health: how it is, its syncs, leger.run and Podman", async (t) => {
  const running = (health: Partial<LegerdHealth>): AuthStatusReport => ({
    ...REPORT,
    legerd: {
      running: true,
      scope: "user",
      socket: SOCKET,
      health: healthyLegerd(health),
      error: null,
    },
  });
  const section = (report: AuthStatusReport, terminal = false) => {
    const text = renderAuthStatus(report, { terminal });
    return text.slice(
      text.indexOf("legerd\n") + "legerd\n".length,
      text.indexOf("leger.run space\n"),
    ).split("\n").slice(0, -1);
  };
  await t.step("healthy", () => {
    deepStrictEqual(section(running({}), true), [
      `  ✓ Running: legerd 0.1.0 (pid 4242), user scope, socket ${SOCKET}`,
      "  last successful sync: 2026-11-30T11:58:00.000Z; next poll: 2026-11-30T12:03:00.000Z (every 5m, restart on-rotation)",
      "  leger.run: reachable (https://api.leger.run)",
      "  Podman: 2 secrets",
    ]);
  });
  await t.step("degraded: leger.run down, the login expired", () => {
    deepStrictEqual(
      section(running({
        status: "degraded",
        poll_interval_ms: 30_000,
        last_successful_sync_at: null,
        leger_run: {
          api_url: "https://api.leger.run",
          reachable: false,
          auth: "expired",
          last_error: {
            code: "ERR_API_UNREACHABLE",
            message: "Cannot fetch the secrets: connection refused",
            fix: "Check the network",
            at: "2026-11-30T11:59:00.000Z",
          },
        },
      })),
      [
        `  Degraded: Podman keeps the last good values: legerd 0.1.0 (pid 4242), user scope, socket ${SOCKET}`,
        "  last successful sync: none yet; next poll: 2026-11-30T12:03:00.000Z (every 30s, restart on-rotation)",
        "  leger.run: unreachable (https://api.leger.run)",
        "  legerd's leger.run login expired and logging in again failed: run `leger auth login`",
        "  last leger.run error (2026-11-30T11:59:00.000Z): Cannot fetch the secrets: connection refused [ERR_API_UNREACHABLE]",
        "    fix: Check the network",
        "  Podman: 2 secrets",
      ],
    );
  });
  await t.step("no login: the fix said once, by the last error", () => {
    deepStrictEqual(
      section(running({
        status: "degraded",
        leger_run: {
          api_url: "https://api.leger.run",
          reachable: null,
          auth: "missing",
          last_error: {
            code: "ERR_LEGER_NOT_AUTHENTICATED",
            message:
              "Cannot fetch the leger.run secrets: there is no leger.run login (no /home/a/.local/share/leger/auth.json)",
            fix:
              "Run `leger auth login` as the user legerd runs as (root for the system scope)",
            at: "2026-11-30T11:59:00.000Z",
          },
        },
      })).slice(2, 6),
      [
        "  leger.run: not asked yet (https://api.leger.run)",
        "  legerd has no leger.run login",
        "  last leger.run error (2026-11-30T11:59:00.000Z): Cannot fetch the leger.run secrets: there is no leger.run login (no /home/a/.local/share/leger/auth.json) [ERR_LEGER_NOT_AUTHENTICATED]",
        "    fix: Run `leger auth login` as the user legerd runs as (root for the system scope)",
      ],
    );
  });
  await t.step("starting, Podman failing", () => {
    deepStrictEqual(
      section(running({
        status: "starting",
        next_poll_at: null,
        leger_run: {
          api_url: "https://api.leger.run",
          reachable: null,
          auth: "ok",
          last_error: null,
        },
        podman: {
          reachable: false,
          secrets: null,
          last_error: {
            code: "ERR_COMMAND_NOT_FOUND",
            message: 'Cannot run "podman": it is not installed',
            at: "2026-11-30T11:59:00.000Z",
          },
        },
      })),
      [
        `  Starting (no sync has finished yet): legerd 0.1.0 (pid 4242), user scope, socket ${SOCKET}`,
        "  last successful sync: 2026-11-30T11:58:00.000Z; next poll: none planned (every 5m, restart on-rotation)",
        "  leger.run: not asked yet (https://api.leger.run)",
        "  Podman: failing",
        '  last Podman error (2026-11-30T11:59:00.000Z): Cannot run "podman": it is not installed [ERR_COMMAND_NOT_FOUND]',
      ],
    );
  });
});

Deno.test("renderAuthStatus() says why the releases are not shown", async (t) => {
  const cases: {
    state: AuthStatusReport["leger"]["state"];
    line: string;
  }[] = [
    {
      state: "offline",
      line: "  Releases: not shown, leger.run could not be reached",
    },
    {
      state: "unverified",
      line: "  Releases: not shown, leger.run could not confirm the login",
    },
    { state: "missing", line: "  Releases: shown once logged in" },
    { state: "expired", line: "  Releases: shown once logged in" },
  ];
  for (const c of cases) {
    await t.step(c.state, () => {
      const text = renderAuthStatus({
        ...REPORT,
        leger: {
          ...REPORT.leger,
          state: c.state,
          error: c.state === "offline"
            ? {
              code: "ERR_API_UNREACHABLE",
              message: "Cannot check the login: connection refused",
              remedy: "Check the network",
            }
            : null,
        },
        space: { ...REPORT.space, releases: null },
      }, { terminal: false });
      strictEqual(text.endsWith(`${c.line}\n`), true, text);
    });
  }
});

Deno.test("renderAuthStatus() shows what legerd's health says: one secret, a legerd.yaml it could not reload", async (t) => {
  const section = (health: LegerdHealthAnswer) => {
    const text = renderAuthStatus({
      ...REPORT,
      legerd: {
        running: true,
        scope: "user",
        socket: SOCKET,
        health,
        error: null,
      },
    }, { terminal: true });
    return text.slice(
      text.indexOf("  Podman:"),
      text.indexOf("leger.run space\n"),
    );
  };
  await t.step("one secret", () => {
    strictEqual(
      section(
        healthyLegerd({
          podman: { reachable: true, secrets: 1, last_error: null },
        }),
      ),
      "  Podman: 1 secret\n",
    );
  });
  await t.step("legerd.yaml not reloaded", () => {
    strictEqual(
      section(healthyLegerd({
        config: {
          file: "/home/a/.config/leger/legerd.yaml",
          error: {
            code: "ERR_CONFIG_INVALID",
            message: 'poll_interval "5 minutes" is not a duration',
            fix:
              "Write it as 30s, 5m or 1h, then `systemctl --user reload legerd.service`",
            at: "2026-11-30T12:00:00.000Z",
          },
        },
      })),
      [
        "  Podman: 2 secrets",
        '  ✗ legerd.yaml (/home/a/.config/leger/legerd.yaml) could not be reloaded, so legerd keeps the settings it had: poll_interval "5 minutes" is not a duration [ERR_CONFIG_INVALID]',
        "    fix: Write it as 30s, 5m or 1h, then `systemctl --user reload legerd.service`",
        "",
      ].join("\n"),
    );
  });
  await t.step("an older legerd, which does not say", () => {
    const { config: _, ...older } = healthyLegerd();
    strictEqual(section(older), "  Podman: 2 secrets\n");
  });
});
