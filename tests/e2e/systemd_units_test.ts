/**
 * leger's systemd units (`systemd/{user,system}/`) checked by the host's own
 * systemd 262: `systemd-analyze verify`, in each scope, of the unit files
 * exactly as the RPM installs them, with the e2e tests' drop-in that points
 * `ExecStart=` at the test build (see `_test_build.ts`). Without the drop-in
 * verify must refuse them here, since `/usr/bin/legerd` is not installed:
 * that shows verify reads the `ExecStart=` the drop-in replaces.
 *
 * @module
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { ROOT } from "../_leger.ts";
import {
  describe,
  e2eTest,
  type ExecResult,
  hostExec,
  PROJECT_INSIDE,
  scopeOf,
  shellQuote,
  type User,
  USERS,
} from "./_host.ts";
import { testBuildDropIn } from "./_test_build.ts";

const UNITS = [
  "legerd.service",
  "leger-update.service",
  "leger-update.timer",
] as const;

/**
 * Copies the scope's units from `systemd/` into a new folder inside the
 * host (with the test build's drop-ins when `dropIns`), runs
 * `systemd-analyze verify` on the three files as `user`, and removes the
 * folder.
 */
async function verifyInHost(
  user: User,
  dropIns: boolean,
): Promise<ExecResult> {
  const scope = scopeOf(user);
  const writes: string[] = [];
  if (dropIns) {
    for (const unit of UNITS) {
      if (!unit.endsWith(".service")) continue;
      const text = await Deno.readTextFile(`${ROOT}/systemd/${scope}/${unit}`);
      writes.push(
        `mkdir "$dir"/${unit}.d && printf '%s' ${
          shellQuote(testBuildDropIn(text))
        } > "$dir"/${unit}.d/e2e.conf`,
      );
    }
  }
  const analyze = scope === "user"
    ? "systemd-analyze --user"
    : "systemd-analyze";
  return await hostExec(
    [
      `dir=$(mktemp -d)`,
      `cp ${PROJECT_INSIDE}/systemd/${scope}/* "$dir"/`,
      ...writes,
      `SYSTEMD_LOG_COLOR=0 ${analyze} verify ${
        UNITS.map((unit) => `"$dir"/${unit}`).join(" ")
      } 2>&1; code=$?`,
      `rm -rf "$dir"`,
      `exit $code`,
    ].join("\n"),
    { user },
  );
}

/** The lines of verify's output about leger's own units. */
function linesAboutOurUnits(result: ExecResult): string[] {
  return (result.stdout + result.stderr).split("\n").filter((line) =>
    UNITS.some((unit) => line.includes(unit))
  );
}

e2eTest(
  "systemd-analyze verify in the host accepts every unit of systemd/ as installed, running the test build",
  async (t) => {
    for (const user of USERS) {
      await t.step(`${user} (${scopeOf(user)})`, async () => {
        const result = await verifyInHost(user, true);
        deepStrictEqual(linesAboutOurUnits(result), [], describe(result));
        strictEqual(result.code, 0, describe(result));
      });
    }
  },
);

e2eTest(
  "systemd-analyze verify in the host refuses the units without the drop-in: /usr/bin/legerd is not installed there",
  async (t) => {
    for (const user of USERS) {
      await t.step(`${user} (${scopeOf(user)})`, async () => {
        const result = await verifyInHost(user, false);
        ok(result.code !== 0, describe(result));
        ok(
          linesAboutOurUnits(result).some((line) =>
            line.includes("/usr/bin/legerd")
          ),
          describe(result),
        );
      });
    }
  },
);
