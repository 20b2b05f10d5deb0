/**
 * Whole-process start-up of `leger --version` and `leger --help`, run with the
 * shipped permission flags, against `podman --version` as the baseline.
 * Targets: --version and --help ≤ 1.2× podman's time.
 *
 * `leger deploy install --yes --help` shows the price of help that main.ts
 * cannot answer without the parser (a flag before `--help`): `node:util`'s
 * first use, ~5 ms. It has no target; it must only never install.
 *
 * @module
 */
import { permissionFlags, ROOT } from "./_leger.ts";

const LEGER = [
  "run",
  "--quiet",
  ...permissionFlags("leger"),
  `${ROOT}/cli/main.ts`,
];

function podmanPath(): string | null {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    try {
      Deno.statSync(`${dir}/podman`);
      return `${dir}/podman`;
    } catch {
      // not in this folder; keep looking
    }
  }
  return null;
}

async function spawn(bin: string, args: string[]): Promise<void> {
  const { code } = await new Deno.Command(bin, {
    args,
    stdout: "null",
    stderr: "null",
  }).output();
  if (code !== 0) throw new Error(`${bin} ${args.join(" ")} exited ${code}`);
}

const podman = podmanPath();

Deno.bench({
  name: "podman --version",
  group: "version",
  baseline: true,
  ignore: podman === null,
  fn: () => spawn(podman!, ["--version"]),
});
Deno.bench({
  name: "leger --version",
  group: "version",
  fn: () => spawn(Deno.execPath(), [...LEGER, "--version"]),
});
Deno.bench({
  name: "podman --version (baseline for help)",
  group: "help",
  baseline: true,
  ignore: podman === null,
  fn: () => spawn(podman!, ["--version"]),
});
Deno.bench({
  name: "leger --help",
  group: "help",
  fn: () => spawn(Deno.execPath(), [...LEGER, "--help"]),
});
Deno.bench({
  name: "podman --version (baseline for help after a flag)",
  group: "help after a flag",
  baseline: true,
  ignore: podman === null,
  fn: () => spawn(podman!, ["--version"]),
});
Deno.bench({
  name: "leger deploy install --yes --help",
  group: "help after a flag",
  fn: () =>
    spawn(Deno.execPath(), [...LEGER, "deploy", "install", "--yes", "--help"]),
});
