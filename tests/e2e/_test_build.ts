/**
 * The "test build" of leger's two programs inside the e2e host: this
 * checkout's `cli/main.ts` and `daemon/main.ts` run by `deno run` with
 * exactly the permission flags `deno task compile` bakes into `dist/leger`
 * and `dist/legerd` (deno.json's `leger` and `legerd` tasks, read by
 * `tools/permission_flags.ts`). The e2e tests install leger's units from
 * `systemd/` verbatim, as the RPM does, plus a drop-in that points their
 * `ExecStart=` at the test build instead of `/usr/bin/leger` and
 * `/usr/bin/legerd`.
 *
 * @module
 */
import { permissionFlags } from "../../tools/permission_flags.ts";
import { INSIDE, PROJECT_INSIDE } from "./_host.ts";

/** leger's two programs, by the name of the binary the RPM installs. */
export type Program = "leger" | "legerd";

const ENTRY: Record<Program, string> = {
  leger: "cli/main.ts",
  legerd: "daemon/main.ts",
};

/**
 * The command line that runs `program` from the test build inside the host,
 * as an `ExecStart=` value (unquoted words: none of them has a space).
 *
 * @param program `leger` or `legerd`.
 * @param args The rest of the command line, as the unit gives it.
 */
export function testBuildCommand(program: Program, args = ""): string {
  return [
    `${INSIDE}/deno`,
    "run",
    "--quiet",
    ...permissionFlags(program),
    `${PROJECT_INSIDE}/${ENTRY[program]}`,
    ...(args === "" ? [] : [args]),
  ].join(" ");
}

/**
 * The drop-in (`UNIT.d/e2e.conf`) that makes a unit of `systemd/` run the
 * test build: `ExecStart=` cleared, then the test build's command with the
 * arguments the unit gives `/usr/bin/PROGRAM`.
 *
 * @param unitText The unit's text, as in `systemd/`.
 * @returns The drop-in's text.
 * @throws {Error} When the unit has no `ExecStart=/usr/bin/leger…` line.
 */
export function testBuildDropIn(unitText: string): string {
  const match = /^ExecStart=\/usr\/bin\/(legerd?)(?: (.*))?$/m.exec(unitText);
  if (match === null) {
    throw new Error("the unit has no ExecStart=/usr/bin/leger or legerd line");
  }
  const program = match[1] as Program;
  return [
    "[Service]",
    "ExecStart=",
    `ExecStart=${testBuildCommand(program, match[2] ?? "")}`,
    `Environment=DENO_DIR=${INSIDE}/deno-dir NO_COLOR=1`,
    "",
  ].join("\n");
}
