// leger's client (lib/secrets/legerd_client.ts) against legerd's real control
// server (daemon/control_server.ts) on a unix socket: what one writes the
// other reads, errors included.
import { deepStrictEqual, rejects } from "node:assert/strict";
import { startControlServer } from "../daemon/control_server.ts";
import { LegerError } from "../lib/errors/leger_error.ts";
import type { LegerdEngine, SecretStatus } from "../lib/secrets/control_api.ts";
import { LegerdClient } from "../lib/secrets/legerd_client.ts";
import { healthyLegerd, syncResult } from "./fakes/fake_legerd.ts";

const SECRETS: SecretStatus[] = [{
  name: "api_token",
  state: "synced",
  version: 3,
  used_by: ["web.container"],
  synced_at: "2026-11-30T11:58:00.000Z",
}];

Deno.test("LegerdClient and legerd's control server understand each other", async () => {
  const dir = await Deno.makeTempDir({ prefix: "leger_interop_" });
  const path = `${dir}/leger/legerd.sock`;
  const asked: unknown[] = [];
  const engine: LegerdEngine = {
    health: () => healthyLegerd(),
    secrets: () => Promise.resolve(SECRETS),
    sync: (request) => {
      asked.push(request);
      return Promise.resolve(
        syncResult({ dry_run: request.dry_run === true }),
      );
    },
    rotate: (request) => {
      asked.push(request);
      if (request.name === "nope") {
        return Promise.reject(
          new LegerError(
            "ERR_SECRET_NOT_FOUND",
            'Cannot rotate "nope": leger.run has no secret of that name',
            { remedy: "Add it with `leger secrets set nope`" },
          ),
        );
      }
      return Promise.resolve({
        name: request.name,
        version: 4,
        changed: true,
        restarted: ["web.service"],
      });
    },
    purge: () => Promise.resolve({ removed: ["api_token"] }),
    noteNextPoll: () => {},
  };
  const server = await startControlServer(engine, {
    path,
    now: () => new Date("2026-11-30T12:00:00Z"),
  });
  try {
    const client = new LegerdClient(path);
    deepStrictEqual(await client.health(), healthyLegerd());
    deepStrictEqual(await client.secrets(), SECRETS);
    deepStrictEqual(
      await client.sync({ service: "web", dry_run: true }),
      syncResult({ dry_run: true }),
    );
    deepStrictEqual(
      await client.rotate({ name: "api_token", restart: false }),
      {
        name: "api_token",
        version: 4,
        changed: true,
        restarted: ["web.service"],
      },
    );
    deepStrictEqual(await client.purge(), { removed: ["api_token"] });
    deepStrictEqual(asked, [
      { service: "web", dry_run: true },
      { name: "api_token", restart: false },
    ]);
    await rejects(client.rotate({ name: "nope" }), {
      name: "LegerError",
      code: "ERR_SECRET_NOT_FOUND",
      message: 'Cannot rotate "nope": leger.run has no secret of that name',
      remedy: "Add it with `leger secrets set nope`",
    });
  } finally {
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});
