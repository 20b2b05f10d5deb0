import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { backendStateError } from "./backend_state_error.ts";
import {
  parseTailscaleStatus,
  type TailscaleStatus,
} from "./parse_tailscale_status.ts";

const FAKES = new URL("../../tests/fakes/tailscale/", import.meta.url);

function recorded(name: string): TailscaleStatus {
  return parseTailscaleStatus(
    Deno.readTextFileSync(new URL(`${name}.json`, FAKES)),
  );
}

Deno.test("backendStateError() maps each backend state to its error and fix", () => {
  const cases: [
    file: string,
    code: string | null,
    message: RegExp,
    remedy: RegExp,
  ][] = [
    ["running", null, /^$/, /^$/],
    [
      "needs_login",
      "ERR_TAILSCALE_NOT_AUTHENTICATED",
      /^Cannot log in to leger\.run: Tailscale is logged out on this machine \(state "NeedsLogin"\)$/,
      /^Run `sudo tailscale up`, then `leger auth login` again$/,
    ],
    [
      "needs_machine_auth",
      "ERR_TAILSCALE_NOT_AUTHENTICATED",
      /not yet authorized by the tailnet admin \(state "NeedsMachineAuth"\)$/,
      /approve it at https:\/\/login\.tailscale\.com\/admin\/machines, then run `leger auth login` again/,
    ],
    [
      "stopped",
      "ERR_TAILSCALE_NOT_RUNNING",
      /Tailscale is stopped \(state "Stopped"\)$/,
      /^Run `sudo tailscale up`/,
    ],
    [
      "starting",
      "ERR_TAILSCALE_NOT_RUNNING",
      /Tailscale is still starting \(state "Starting"\)$/,
      /`tailscale status`/,
    ],
    [
      "no_state",
      "ERR_TAILSCALE_NOT_RUNNING",
      /tailscaled is not ready \(state "NoState"\)$/,
      /^Run `sudo systemctl start tailscaled`/,
    ],
  ];
  for (const [file, code, message, remedy] of cases) {
    const error = backendStateError(recorded(file), {
      action: "log in to leger.run",
    });
    if (code === null) {
      strictEqual(error, null, file);
      continue;
    }
    strictEqual(error?.code, code, file);
    strictEqual(message.test(error.message), true, `${file}: ${error.message}`);
    strictEqual(
      remedy.test(error.remedy ?? ""),
      true,
      `${file}: ${error.remedy}`,
    );
    strictEqual(error.exitCode, 4, file);
  }
});

Deno.test("backendStateError() shows the login URL when tailscaled offers one", () => {
  deepStrictEqual(backendStateError(recorded("needs_login"))?.details, [
    "Log in at: https://login.tailscale.com/a/5e3b9c1d2a7f4",
  ]);
});

Deno.test("backendStateError() treats an unknown state as not running", () => {
  const error = backendStateError({
    ...recorded("running"),
    backendState: "Frobbing",
  });
  strictEqual(error?.code, "ERR_TAILSCALE_NOT_RUNNING");
  strictEqual(
    error?.message,
    'Cannot read the Tailscale identity: tailscaled is not ready (state "Frobbing")',
  );
});
