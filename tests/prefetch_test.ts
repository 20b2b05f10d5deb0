// `leger status` starts `podman ps` from main.ts, before the parser loads
// (cli/prefetch.ts), and the status command uses that one run: Podman is
// run once, not twice. Run as the shipped binary would, with a `podman` on
// PATH that counts its runs (and `systemctl`, `tailscale` answering as a
// host without services or Tailscale).
import { strictEqual } from "node:assert/strict";
import { runLeger } from "./_leger.ts";

Deno.test("leger status runs podman ps once, started ahead by main.ts", async (t) => {
  await using dir = await temporaryFolder();
  const bin = `${dir.path}/bin`;
  await Deno.mkdir(bin);
  const log = `${dir.path}/podman.log`;
  await Deno.writeTextFile(
    `${bin}/podman`,
    `#!/bin/sh\necho "$*" >> ${log}\necho '[]'\n`,
    { mode: 0o755 },
  );
  await Deno.writeTextFile(`${bin}/systemctl`, "#!/bin/sh\nexit 0\n", {
    mode: 0o755,
  });
  // Podman lists the invoking user's containers: root's are the system scope's.
  const defaultScope = Deno.uid() === 0 ? "system" : "user";
  const env = {
    PATH: `${bin}:/usr/bin:/bin`,
    HOME: dir.path,
    XDG_RUNTIME_DIR: `${dir.path}/run`,
  };

  for (
    const [args, runs] of [
      [["status", "--json"], ["ps --all --format json"]],
      // Not started ahead: the status command runs it itself.
      [["status", "--scope", defaultScope, "--json"], [
        "ps --all --format json",
      ]],
      [["status", "--help"], []],
    ] as const
  ) {
    await t.step(args.join(" "), async () => {
      await Deno.remove(log).catch(() => {});
      const result = await runLeger(args, { env });
      strictEqual(result.code, 0, result.stderr);
      const logged = await Deno.readTextFile(log).catch(() => "");
      strictEqual(logged, runs.map((line) => `${line}\n`).join(""));
    });
  }
});

async function temporaryFolder() {
  const path = await Deno.makeTempDir({ prefix: "leger-prefetch-" });
  return {
    path,
    [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }),
  };
}
