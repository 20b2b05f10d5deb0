import { deepStrictEqual } from "node:assert/strict";
import { writeDeployments } from "../../lib/state/deployments_file.ts";
import { legerPaths, type PathEnv } from "../../lib/state/paths.ts";
import { installedDeployment } from "../../tests/fakes/installed_deployment.ts";
import { completeValues } from "./complete_values.ts";

async function withHome(
  fn: (
    pathEnv: PathEnv,
    paths: { stateDir: string; workDir: string },
  ) => Promise<void>,
): Promise<void> {
  const home = await Deno.makeTempDir({ prefix: "leger_complete_values_" });
  try {
    const pathEnv: PathEnv = { home, env: () => undefined };
    const paths = legerPaths("user", pathEnv);
    await Deno.mkdir(paths.stateDir, { recursive: true });
    await fn(pathEnv, paths);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

Deno.test("completeValues() reads deployments and their services as leger service takes them", async () => {
  await withHome(async (pathEnv, { stateDir }) => {
    await writeDeployments(stateDir, [
      installedDeployment("reader", [
        "miniflux.service",
        "caddy.service",
        "worker@.service",
        "worker@one.service",
      ]),
      installedDeployment("blog", ["web.service", "caddy.service"]),
      { ...installedDeployment("vols", []), units: ["data.volume"] },
    ]);
    const options = { scopes: ["user"] as const, pathEnv };
    deepStrictEqual(await completeValues(["deployments"], options), [
      "blog",
      "reader",
      "vols",
    ]);
    // vols has no services: `leger service` refuses it.
    deepStrictEqual(
      await completeValues(["deployments-with-services"], options),
      ["blog", "reader"],
    );
    // A template (worker@.service) needs an instance name: not offered.
    deepStrictEqual(await completeValues(["services"], options), [
      "caddy",
      "miniflux",
      "web",
      "worker@one",
    ]);
    deepStrictEqual(
      await completeValues(
        ["services", "deployments-with-services", "shells"],
        options,
      ),
      [
        "caddy",
        "miniflux",
        "web",
        "worker@one",
        "blog",
        "reader",
        "bash",
        "zsh",
        "fish",
      ],
    );
  });
});

Deno.test("completeValues() lists staged deployments and backups by their folders, hidden ones left out", async () => {
  await withHome(async (pathEnv, { workDir }) => {
    for (
      const folder of [
        "staged/web",
        "staged/.web.x1y2",
        "backups/20261130T163000Z-web-ab12",
        "backups/20261129T080000Z-db-0a1b",
        "backups/.tmp-20261130T170000Z-web-cd34",
      ]
    ) {
      await Deno.mkdir(`${workDir}/${folder}`, { recursive: true });
    }
    await Deno.writeTextFile(`${workDir}/backups/notes.txt`, "a file");
    const options = { scopes: ["user"] as const, pathEnv };
    deepStrictEqual(await completeValues(["staged"], options), ["web"]);
    deepStrictEqual(await completeValues(["backups"], options), [
      "20261129T080000Z-db-0a1b",
      "20261130T163000Z-web-ab12",
    ]);
  });
});

Deno.test("completeValues() gives nothing for what it cannot read, and still the rest", async () => {
  await withHome(async (pathEnv, { stateDir, workDir }) => {
    await Deno.writeTextFile(`${stateDir}/deployments.yaml`, "deployments: [");
    await Deno.mkdir(`${workDir}/staged/web`, { recursive: true });
    const options = { scopes: ["user"] as const, pathEnv };
    deepStrictEqual(
      await completeValues(
        ["deployments", "services", "nonsense", "staged", "backups"],
        options,
      ),
      ["web"],
    );
    deepStrictEqual(
      await completeValues(["deployments"], { scopes: [], pathEnv }),
      [],
    );
  });
});

Deno.test("completeValues() reads each scope it is given, values once", async () => {
  await withHome(async (pathEnv, { stateDir }) => {
    await writeDeployments(stateDir, [
      installedDeployment("blog", ["web.service"]),
    ]);
    // The same folders twice stand for two scopes that name one deployment.
    deepStrictEqual(
      await completeValues(["deployments", "scopes"], {
        scopes: ["user", "user"],
        pathEnv,
      }),
      ["blog", "user", "system"],
    );
  });
});
