import { strictEqual } from "node:assert/strict";
import { renderAuthStatus } from "./render_auth_status.ts";
import type { AuthStatusReport } from "./gather_auth_status.ts";

const UUID = "f44a09fc-90d1-5f2b-bf2c-7380100ec435";

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
  legerd: { running: false, socket: "/run/user/1000/legerd.sock" },
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
      "  ✗ Not running (no control socket at /run/user/1000/legerd.sock)",
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
      "  Not running (no control socket at /run/user/1000/legerd.sock)",
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
