import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { LegerRunServer } from "./leger_run_server.ts";
import { TESTDATA } from "./_leger.ts";

const UUID = "f44a09fc-90d1-5f2b-bf2c-7380100ec435";

Deno.test("LegerRunServer serves a rendered deployment's files under /static", async () => {
  await using server = await LegerRunServer.start();
  const fixture = `${TESTDATA}/leger-run-rendered/v1`;
  await server.addStaticDir(`${UUID}/v1`, fixture);
  const response = await fetch(`${server.staticUrl}/${UUID}/v1/manifest.json`);
  strictEqual(response.status, 200);
  strictEqual(response.headers.get("content-type"), "application/json");
  deepStrictEqual(
    new Uint8Array(await response.arrayBuffer()),
    await Deno.readFile(`${fixture}/manifest.json`),
  );
  const missing = await fetch(
    `${server.staticUrl}/${UUID}/latest/manifest.json`,
  );
  strictEqual(missing.status, 404);
  await missing.body?.cancel();
});

Deno.test("LegerRunServer answers /health without the envelope", async () => {
  await using server = await LegerRunServer.start({ version: "9.9.9" });
  const body = await (await fetch(`${server.apiUrl}/health`)).json();
  strictEqual(body.status, "healthy");
  strictEqual(body.version, "9.9.9");
  strictEqual("success" in body, false);
});

Deno.test("LegerRunServer fails a route as often as told, with an envelope or a raw body", async () => {
  await using server = await LegerRunServer.start();
  server.fail({
    method: "GET",
    path: /^\/health$/,
    times: 2,
    failure: { status: 502, body: "<html>Bad gateway</html>" },
  });
  const statuses = [];
  for (let i = 0; i < 3; i++) {
    const response = await fetch(`${server.apiUrl}/health`);
    statuses.push(response.status);
    await response.body?.cancel();
  }
  deepStrictEqual(statuses, [502, 502, 200]);
  server.fail({
    path: "/auth/cli",
    failure: {
      status: 503,
      code: "internal_error",
      message: "down",
      docs: "https://d",
    },
  });
  const response = await fetch(`${server.apiUrl}/auth/cli`, {
    method: "POST",
    body: "{}",
  });
  strictEqual(response.status, 503);
  deepStrictEqual(await response.json(), {
    success: false,
    error: { code: "internal_error", message: "down", docs: "https://d" },
  });
});

Deno.test("LegerRunServer issues HS256 JWTs that carry the user and expire", async () => {
  await using server = await LegerRunServer.start({
    now: () => Date.parse("2025-01-01T00:00:00Z"),
  });
  const token = await server.issueToken({ user_uuid: UUID }, { expiresIn: 60 });
  const [header, payload] = token.split(".").slice(0, 2).map((part) =>
    JSON.parse(atob(part.replaceAll("-", "+").replaceAll("_", "/")))
  );
  deepStrictEqual(header, { alg: "HS256", typ: "JWT" });
  strictEqual(payload.sub, UUID);
  strictEqual(payload.exp - payload.iat, 60);
  strictEqual(payload.iat, Date.parse("2025-01-01T00:00:00Z") / 1000);
});
