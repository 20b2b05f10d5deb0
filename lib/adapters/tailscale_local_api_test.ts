import { deepStrictEqual, rejects, strictEqual } from "node:assert/strict";
import { localApiGet } from "./tailscale_local_api.ts";
import { startFakeLocalApi } from "../../tests/fakes/tailscale_local_api.ts";

Deno.test("localApiGet() sends the request tailscaled accepts and returns its answer", async () => {
  const dir = await Deno.makeTempDir({ prefix: "leger_" });
  try {
    await using api = await startFakeLocalApi(`${dir}/tailscaled.sock`, {
      status: '{"BackendState":"Running"}',
    });
    deepStrictEqual(await localApiGet(api.path, "/localapi/v0/status"), {
      status: 200,
      body: '{"BackendState":"Running"}',
    });
    deepStrictEqual(api.requests, [{
      method: "GET",
      path: "/localapi/v0/status",
      host: "local-tailscaled.sock",
    }]);
    strictEqual((await localApiGet(api.path, "/localapi/v0/nope")).status, 404);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("localApiGet() throws TypeError when nothing listens on the socket", async () => {
  const dir = await Deno.makeTempDir({ prefix: "leger_" });
  try {
    await rejects(
      localApiGet(`${dir}/missing.sock`, "/localapi/v0/status"),
      TypeError,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
