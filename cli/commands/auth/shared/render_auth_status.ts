import type { AuthStatusReport, ErrorJson } from "./gather_auth_status.ts";
import type { LegerdError } from "../../../../lib/secrets/control_api.ts";
import type { LegerdHealthAnswer } from "../../../../lib/secrets/legerd_client.ts";
import { count } from "../../../count.ts";
import { formatTable } from "../../../table.ts";

/** Options for {@linkcode renderAuthStatus}. */
export interface RenderAuthStatusOptions {
  /** Whether stdout is a terminal: marks and a table header. */
  terminal: boolean;
}

/**
 * Renders `leger auth status` for a person, one section each for Tailscale,
 * leger.run, legerd and the leger.run space. A login that leger.run calls
 * expired while `auth.json`'s date is still ahead shows what leger.run said
 * beside that date. legerd's section says what its health says (leger.run,
 * Podman, a legerd.yaml it could not reload); the releases are listed when
 * leger.run answers, and otherwise the section says why they are not.
 *
 * @example Usage
 * ```ts ignore
 * import { renderAuthStatus } from "./render_auth_status.ts";
 * context.out(renderAuthStatus(report, { terminal: false }));
 * ```
 */
export function renderAuthStatus(
  report: AuthStatusReport,
  options: RenderAuthStatusOptions,
): string {
  const { terminal } = options;
  const ok = terminal ? "✓ " : "";
  const bad = terminal ? "✗ " : "";
  const lines: string[] = [];
  const { tailscale, leger, legerd, space } = report;

  lines.push("Tailscale");
  if (tailscale.identity !== null) {
    const id = tailscale.identity;
    lines.push(
      `  ${ok}Running, logged in as ${id.login_name} on tailnet ${id.tailnet}`,
      `  device: ${id.device_hostname} (${id.device_id})${
        tailscale.version === null ? "" : `, tailscale ${tailscale.version}`
      }${
        tailscale.source === "localapi" ? ", read from tailscaled's socket" : ""
      }`,
    );
  } else {
    lines.push(...problem(bad, tailscale.error));
  }

  lines.push("leger.run");
  const who = `${leger.login_name} (user ${leger.user_uuid})`;
  switch (leger.state) {
    case "valid":
      lines.push(
        `  ${ok}Logged in as ${who}, token valid until ${leger.expires_at}`,
      );
      break;
    case "missing":
      lines.push(
        `  ${bad}Not logged in (no ${leger.auth_file})`,
        "  Run `leger auth login`",
      );
      break;
    case "expired":
      if (leger.error === null) {
        // Expired by auth.json's own date: leger.run was not asked.
        lines.push(
          `  ${bad}The login of ${who} expired at ${leger.expires_at}`,
          "  Run `leger auth login`",
        );
      } else {
        // leger.run said so while auth.json's date is still ahead: say
        // what leger.run said, not a date that has not come.
        lines.push(
          `  ${bad}leger.run refused the login of ${who}: ${
            short(leger.error)
          }`,
          `  auth.json says it is valid until ${leger.expires_at}, but leger.run no longer accepts it`,
          ...remedyLines(leger.error),
        );
      }
      break;
    case "offline":
      lines.push(
        `  ${bad}offline: ${short(leger.error)}`,
        `  stored login: ${who}, expires ${leger.expires_at} (not verified)`,
      );
      break;
    default:
      lines.push(...problem(bad, leger.error));
  }
  lines.push(`  api: ${leger.api_url}`);
  if (leger.matches_tailscale === false && tailscale.identity !== null) {
    lines.push(
      `  ${bad}Tailscale's user is ${tailscale.identity.login_name}, not ${leger.login_name}: run \`leger auth login\` to switch`,
    );
  }

  lines.push("legerd");
  if (legerd.health !== null) {
    lines.push(
      ...renderHealth(legerd.health, { ok, bad, socket: legerd.socket }),
    );
  } else {
    lines.push(...problem(bad, legerd.error));
  }

  lines.push("leger.run space");
  if (space.static_url === null) {
    lines.push("  Unknown until Tailscale or leger.run names the user");
  } else {
    lines.push(`  ${space.static_url}`);
    if (space.releases !== null && space.releases.length > 0) {
      const rows = space.releases.map((
        r,
      ) => [`v${r.version}`, r.name, r.created_at]);
      const table = formatTable(rows, {
        header: ["VERSION", "NAME", "CREATED"],
        terminal,
        indent: 2,
      });
      // Without a terminal the rows are tab-separated; they keep the section's indent.
      lines.push(
        ...table.trimEnd().split("\n").map((row) =>
          terminal ? row : `  ${row}`
        ),
      );
    } else if (space.releases !== null) {
      lines.push("  No releases yet: create one in the web UI");
    } else if (space.error !== null) {
      lines.push(...problem(bad, space.error));
    } else if (leger.state === "offline") {
      lines.push("  Releases: not shown, leger.run could not be reached");
    } else if (leger.state === "unverified") {
      lines.push(
        "  Releases: not shown, leger.run could not confirm the login",
      );
    } else {
      lines.push("  Releases: shown once logged in");
    }
  }
  return lines.join("\n") + "\n";
}

function problem(mark: string, error: ErrorJson | null): string[] {
  if (error === null) return [];
  return [`  ${mark}${short(error)}`, ...remedyLines(error)];
}

function remedyLines(error: ErrorJson): string[] {
  return (error.remedy ?? "").split("\n").filter((l) => l !== "").map((l) =>
    `  ${l}`
  );
}

/** The error's message without its "Cannot …:" head, which the section title says already. */
function short(error: ErrorJson | null): string {
  return (error?.message ?? "").replace(/^Cannot [^:]+: /, "");
}

/** legerd's health in a few lines: how it is, its last sync and next poll, leger.run, Podman. */
function renderHealth(
  health: LegerdHealthAnswer,
  marks: { ok: string; bad: string; socket: string },
): string[] {
  const { ok, bad, socket } = marks;
  const status = health.status === "ok"
    ? `${ok}Running`
    : health.status === "starting"
    ? `${ok}Starting (no sync has finished yet)`
    : `${bad}Degraded: Podman keeps the last good values`;
  const run = health.leger_run;
  const lines = [
    `  ${status}: legerd ${health.version} (pid ${health.pid}), ${health.scope} scope, socket ${socket}`,
    `  last successful sync: ${
      health.last_successful_sync_at ?? "none yet"
    }; next poll: ${health.next_poll_at ?? "none planned"} (every ${
      duration(health.poll_interval_ms)
    }, restart ${health.restart})`,
  ];
  lines.push(
    run.reachable === null
      ? `  leger.run: not asked yet (${run.api_url})`
      : run.reachable
      ? `  leger.run: reachable (${run.api_url})`
      : `  leger.run: ${bad}unreachable (${run.api_url})`,
  );
  if (run.auth !== "ok") {
    // The fix is said once: by the last error, when it gives it.
    const fixed = (run.last_error?.fix ?? "").includes("`leger auth login`");
    lines.push(
      `  ${bad}${
        run.auth === "missing"
          ? "legerd has no leger.run login"
          : "legerd's leger.run login expired and logging in again failed"
      }${fixed ? "" : ": run `leger auth login`"}`,
    );
  }
  lines.push(...lastError("leger.run", run.last_error, bad));
  const podman = health.podman;
  lines.push(
    podman.reachable === false
      ? `  Podman: ${bad}failing`
      : `  Podman: ${
        podman.secrets === null
          ? "not read yet"
          : count(podman.secrets, "secret")
      }`,
    ...lastError("Podman", podman.last_error, bad),
  );
  // Absent from a legerd older than this leger.
  const config = health.config;
  if (config !== undefined && config.error !== null) {
    lines.push(
      `  ${bad}legerd.yaml (${config.file}) could not be reloaded, so legerd keeps the settings it had: ${config.error.message} [${config.error.code}]`,
      ...(config.error.fix === undefined
        ? []
        : [`    fix: ${config.error.fix}`]),
    );
  }
  return lines;
}

function lastError(
  what: string,
  error: LegerdError | null,
  bad: string,
): string[] {
  if (error === null) return [];
  return [
    `  ${bad}last ${what} error (${error.at}): ${error.message} [${error.code}]`,
    ...(error.fix === undefined ? [] : [`    fix: ${error.fix}`]),
  ];
}

/** Milliseconds as legerd.yaml writes a duration: `30s`, `5m`, `1h`. */
function duration(ms: number): string {
  for (
    const [unit, size] of [["h", 3_600_000], ["m", 60_000], [
      "s",
      1000,
    ]] as const
  ) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
