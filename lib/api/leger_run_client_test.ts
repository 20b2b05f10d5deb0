import { deepStrictEqual, rejects, strictEqual } from "node:assert/strict";
import { LegerRunClient } from "./leger_run_client.ts";
import { LegerRunServer } from "../../tests/leger_run_server.ts";
import type { AuthCliRequest } from "./types.ts";

const UUID = "f44a09fc-90d1-5f2b-bf2c-7380100ec435";
const REQUEST: AuthCliRequest = {
  tailscale: {
    user_id: "9007199254740993",
    login_name: "alice@github",
    device_id: "100.101.102.103",
    device_hostname: "workstation",
    tailnet: "alice@github",
  },
  cli_version: "0.1.0",
};

async function loggedIn(server: LegerRunServer): Promise<LegerRunClient> {
  const { token } = await new LegerRunClient(server.apiUrl).authCli(REQUEST);
  return new LegerRunClient(server.apiUrl, { token });
}

Deno.test("LegerRunClient.health() reads the unwrapped health document", async () => {
  await using server = await LegerRunServer.start({ version: "1.2.3" });
  const health = await new LegerRunClient(server.apiUrl).health();
  strictEqual(health.status, "healthy");
  strictEqual(health.version, "1.2.3");
});

Deno.test("LegerRunClient.authCli() posts the contract's body and reads the token", async () => {
  await using server = await LegerRunServer.start();
  const answer = await new LegerRunClient(server.apiUrl).authCli(REQUEST);
  strictEqual(answer.user_uuid, UUID);
  strictEqual(answer.token_type, "Bearer");
  strictEqual(answer.expires_in, 31536000);
  strictEqual(answer.token.split(".").length, 3);
  deepStrictEqual(answer.user, {
    tailscale_email: "alice@github",
    display_name: null,
  });
  const [request] = server.requests;
  strictEqual(request.method, "POST");
  strictEqual(request.path, "/auth/cli");
  strictEqual(request.contentType, "application/json");
  strictEqual(request.authorization, null);
  deepStrictEqual(request.body, REQUEST);
});

Deno.test("LegerRunClient.authCli() throws ERR_ACCOUNT_NOT_LINKED naming the web UI", async () => {
  await using server = await LegerRunServer.start({ linkedUserIds: ["1"] });
  const client = new LegerRunClient(server.apiUrl, {
    webUrl: "https://app.leger.run",
  });
  await rejects(client.authCli(REQUEST), {
    code: "ERR_ACCOUNT_NOT_LINKED",
    message:
      "Cannot log in to leger.run: No leger.run account is linked to this Tailscale identity",
    remedy:
      /Sign in to the web UI at https:\/\/app\.leger\.run to link your Tailscale account/,
  });
});

Deno.test("LegerRunClient.authCli() throws the server's tailscale_verification_failed", async () => {
  await using server = await LegerRunServer.start();
  const request = {
    ...REQUEST,
    tailscale: { ...REQUEST.tailscale, tailnet: "" },
  };
  await rejects(new LegerRunClient(server.apiUrl).authCli(request), {
    code: "ERR_API_ERROR",
    message:
      "Cannot log in to leger.run: Missing required Tailscale identity fields: tailnet",
  });
});

Deno.test("LegerRunClient.validate() accepts a token the server issued", async () => {
  await using server = await LegerRunServer.start();
  const client = await loggedIn(server);
  const answer = await client.validate();
  strictEqual(answer.user.user_uuid, UUID);
  strictEqual(answer.user.tailnet, "alice@github");
  strictEqual(
    server.requests.at(-1)?.authorization?.startsWith("Bearer ey"),
    true,
  );
});

Deno.test("LegerRunClient.validate() throws ERR_LEGER_NOT_AUTHENTICATED for a bad token", async () => {
  await using server = await LegerRunServer.start();
  const valid = await server.issueToken({ user_uuid: UUID });
  const [head, body] = valid.split(".");
  const cases: [string, string | undefined, string][] = [
    ["missing", undefined, "Missing Authorization header"],
    ["not a JWT", "abc", "JWT validation failed: Invalid JWT format"],
    [
      "bad signature",
      `${head}.${body}.AAAA`,
      "JWT validation failed: Invalid signature",
    ],
    [
      "expired",
      await server.issueToken({ user_uuid: UUID }, { expiresIn: -1 }),
      "JWT validation failed: Token expired",
    ],
  ];
  for (const [name, token, message] of cases) {
    await rejects(new LegerRunClient(server.apiUrl, { token }).validate(), {
      code: "ERR_LEGER_NOT_AUTHENTICATED",
      message: `Cannot check the leger.run login: ${message}`,
      remedy: "Run `leger auth login`",
      status: 401,
    }, name);
  }
});

Deno.test("LegerRunClient.listReleases() lists the user's releases newest first, or one by name", async () => {
  await using server = await LegerRunServer.start();
  const client = await loggedIn(server);
  server.addRelease(UUID, { name: "staging" });
  server.addRelease(UUID, { name: "production" });
  server.addRelease("someone-else", { name: "theirs" });
  deepStrictEqual(
    (await client.listReleases()).map((r) => [r.name, r.version]),
    [
      ["production", 2],
      ["staging", 1],
    ],
  );
  deepStrictEqual(
    (await client.listReleases({ name: "staging" })).map((r) => r.version),
    [1],
  );
  strictEqual(server.requests.at(-1)?.query, "?name=staging");
  deepStrictEqual(await client.listReleases({ name: "nope" }), []);
});

Deno.test("LegerRunClient.getRelease() and getDeployment() read one release and its deployment", async () => {
  await using server = await LegerRunServer.start();
  const client = await loggedIn(server);
  const release = server.addRelease(UUID, { name: "production" });
  strictEqual((await client.getRelease(release.id)).name, "production");
  const { deployment, hasConfiguration } = await client.getDeployment(
    release.id,
  );
  strictEqual(hasConfiguration, true);
  strictEqual(deployment?.status, "deployed");
  strictEqual(
    deployment?.manifest_url,
    `${server.staticUrl}/${UUID}/v1/manifest.json`,
  );
  await rejects(client.getRelease("rel_404"), {
    code: "ERR_API_ERROR",
    status: 404,
  });
});

Deno.test("LegerRunClient maps an auth failure answered with 500 to ERR_LEGER_NOT_AUTHENTICATED", async () => {
  await using server = await LegerRunServer.start();
  const token = await server.issueToken({ user_uuid: UUID }, {
    expiresIn: -10,
  });
  await rejects(new LegerRunClient(server.apiUrl, { token }).listReleases(), {
    code: "ERR_LEGER_NOT_AUTHENTICATED",
    status: 500,
  });
});

Deno.test("LegerRunClient stores, lists, reads and deletes secrets, versioned", async () => {
  await using server = await LegerRunServer.start();
  const client = await loggedIn(server);
  strictEqual(
    (await client.setSecret("openai_api_key", "sk-1", { label: "OpenAI" }))
      .version,
    1,
  );
  strictEqual((await client.setSecret("openai_api_key", "sk-2")).version, 2);
  const [metadata] = await client.listSecrets();
  strictEqual(metadata.name, "openai_api_key");
  strictEqual(metadata.label, "OpenAI");
  strictEqual("value" in metadata, false);
  deepStrictEqual(
    (await client.listSecretValues()).map((s) => [s.name, s.value, s.version]),
    [
      ["openai_api_key", "sk-2", 2],
    ],
  );
  strictEqual((await client.getSecret("openai_api_key")).value, "sk-2");
  await client.deleteSecret("openai_api_key");
  await rejects(client.getSecret("openai_api_key"), {
    code: "ERR_API_ERROR",
    message:
      'Cannot fetch secret "openai_api_key": Secret not found: openai_api_key',
  });
  await rejects(client.setSecret("bad name!", "x"), {
    code: "ERR_API_ERROR",
    status: 400,
  });
  await rejects(client.setSecret("big", "x".repeat(10 * 1024 + 1)), {
    code: "ERR_API_ERROR",
    message: /1 byte to 10 KiB/,
  });
});

Deno.test("LegerRunClient shows a failure the server was told to answer", async () => {
  await using server = await LegerRunServer.start();
  const client = await loggedIn(server);
  server.fail({
    path: "/releases",
    times: 1,
    failure: {
      status: 503,
      code: "internal_error",
      message: "D1 unavailable",
      action: "Retry later",
    },
  });
  await rejects(client.listReleases(), {
    code: "ERR_API_ERROR",
    message: "Cannot list the leger.run releases: D1 unavailable",
    remedy: /^Retry later\n/,
  });
  deepStrictEqual(await client.listReleases(), []);
});

Deno.test("LegerRunClient throws ERR_API_ERROR for an answer of the wrong shape", async () => {
  await using server = await LegerRunServer.start();
  server.fail({
    path: "/auth/cli",
    failure: { status: 200, body: '{"success":true,"data":{"token":""}}' },
  });
  await rejects(new LegerRunClient(server.apiUrl).authCli(REQUEST), {
    code: "ERR_API_ERROR",
    message:
      /answered a document leger does not understand: data\.token is not a non-empty string$/,
  });
});

Deno.test("LegerRunClient serves the same routes under /api, as app.leger.run does", async () => {
  await using server = await LegerRunServer.start();
  const answer = await new LegerRunClient(`${server.origin}/api`).authCli(
    REQUEST,
  );
  strictEqual(answer.user_uuid, UUID);
  strictEqual(server.requests[0].path, "/api/auth/cli");
});

Deno.test("LegerRunClient throws ERR_API_UNREACHABLE on a closed port", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  await rejects(new LegerRunClient(`http://127.0.0.1:${port}`).health(), {
    code: "ERR_API_UNREACHABLE",
    message:
      `Cannot check leger.run's health: cannot reach leger.run at http://127.0.0.1:${port} (connection refused)`,
  });
});
