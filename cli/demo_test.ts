import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { LegerError } from "../lib/errors/mod.ts";
import { legerCommands } from "../tests/_shell_commands.ts";
import { commandFixture } from "../tests/fakes/command_fixture.ts";
import { demo } from "./demo.ts";
import { parseArgs } from "./parse_args.ts";

const EXAMPLE = new URL("../examples/reader", import.meta.url).pathname;

/** The `deno task leger` commands of a text, as the argv leger parses. */
function taskCommands(text: string): string[][] {
  return [...text.matchAll(/deno task leger ([^\n`]*?)(?: {3}|`|\n)/g)].flatMap(
    (
      match,
    ) => legerCommands(`leger ${match[1]}`),
  );
}

Deno.test("demo() installs the example and ends with what to do next, naming it", async () => {
  await using fixture = await commandFixture();
  // The fake host pulls no images from a registry.
  const code = await demo(["--no-pull"], {
    deps: fixture.deps,
    detect: () => Promise.resolve(),
  });
  const { stdout, stderr } = fixture.output;
  strictEqual(code, 0, stderr);
  strictEqual(stdout, "Installed leger-demo-reader\n");
  ok(
    stderr.startsWith(
      'Installing the built-in example as "leger-demo-reader" (in this folder, leger runs as `deno task leger`).\n\n',
    ),
    stderr,
  );
  // No legerd here: the services wait for their secrets, and the next steps
  // say what legerd needs before the commands about the demo.
  const next = stderr.slice(stderr.lastIndexOf("\nNext:\n") + 1);
  match(
    next,
    /^Next:\n {2}systemctl --user enable --now legerd\.service +legerd then brings the missing secrets and starts what waits for them\n/,
  );
  for (
    const line of [
      "  deno task leger secrets list ",
      "  deno task leger status leger-demo-reader ",
      "  deno task leger service logs leger-demo-reader -f ",
      "  deno task leger deploy remove leger-demo-reader ",
    ]
  ) {
    ok(next.includes(line), `no "${line}" in:\n${next}`);
  }
  ok(
    next.endsWith(
      "\nOnce its services run, Miniflux answers at http://127.0.0.1:8480/ (user admin, its password the secret reader_admin_password).\n" +
        "Remove the demo and its data: deno task leger deploy remove leger-demo-reader --remove-volumes --yes\n",
    ),
    next,
  );
  const suggested = taskCommands(next);
  strictEqual(suggested.length, 5, next);
  for (const argv of suggested) {
    const parsed = parseArgs(argv);
    if (parsed.path !== "secrets list") {
      deepStrictEqual(parsed.args, ["leger-demo-reader"], argv.join(" "));
    }
  }
});

Deno.test("demo() plans the install where quadlets cannot run, and says where it would install", async () => {
  await using fixture = await commandFixture();
  const code = await demo([], {
    deps: fixture.deps,
    detect: () =>
      Promise.reject(
        new LegerError(
          "ERR_PODMAN_TOO_OLD",
          "Cannot install quadlets with Podman 4.3.1: Quadlet needs Podman 4.4 or newer",
        ),
      ),
  });
  const { stdout, stderr } = fixture.output;
  strictEqual(code, 0, stderr);
  ok(stdout.startsWith('Deployment "leger-demo-reader"'), stdout);
  ok(
    stderr.startsWith(
      "This host cannot run quadlet services (Cannot install quadlets with Podman 4.3.1: Quadlet needs Podman 4.4 or newer), so the demo plans the install instead:\n\n",
    ),
    stderr,
  );
  ok(
    stderr.endsWith(
      "Dry run: nothing was changed on this host.\n" +
        `To install it: deno task leger deploy install --source ${EXAMPLE}\n` +
        '\nOn a host with Podman ≥ 4.4 and systemd, that command (or `deno task demo`) installs "leger-demo-reader" and starts it.\n',
    ),
    stderr,
  );
  deepStrictEqual(await fixture.quadletFiles(), []);
});
