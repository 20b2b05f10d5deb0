import { match, strictEqual } from "node:assert/strict";
import type { RunOptions, RunResult } from "../adapters/run.ts";
import { discoverManifest } from "../manifest/discover_manifest.ts";
import { loadUnits } from "../quadlet/load_units.ts";
import { deployContext } from "./context.ts";
import { validateUnits } from "./validate_units.ts";

Deno.test("validateUnits() skips Podman's generator with a warning when it does not finish in time", async () => {
  // A generator that never ends until leger stops it.
  const hanging = (
    _bin: string,
    _args: readonly string[],
    options: RunOptions = {},
  ): Promise<RunResult> =>
    new Promise((_, reject) =>
      options.signal?.addEventListener(
        "abort",
        () => reject(options.signal!.reason),
        { once: true },
      )
    );
  const context = {
    ...deployContext({
      scope: "user",
      home: "/nonexistent",
      cwd: "/",
      env: () => undefined,
      runner: hanging,
    }),
    findGenerator: () => Promise.resolve("/usr/libexec/podman/quadlet"),
  };
  const bytes = new TextEncoder().encode("[Container]\nImage=localhost/a:1\n");
  const files = [{ path: "web.container", bytes, sha256: "" }];
  const findings = await validateUnits(
    {
      name: "web",
      source: { type: "leger.run", location: "https://static.leger.run/u/v1/" },
      files,
      manifest: discoverManifest(["web.container"]),
    },
    loadUnits(files).units,
    context,
    { installedUnits: new Set(), loadFindings: [], generatorTimeoutMs: 20 },
  );
  strictEqual(findings.length, 1);
  strictEqual(findings[0].severity, "warning");
  strictEqual(findings[0].code, "ERR_QUADLET_GENERATOR");
  match(findings[0].message, /did not finish within 0.02 s/);
});
