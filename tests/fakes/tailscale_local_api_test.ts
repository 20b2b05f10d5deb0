import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { startFakeLocalApi } from "./tailscale_local_api.ts";

/** Sends one raw HTTP/1.1 request over the socket and returns the status line and body. */
async function raw(path: string, request: string): Promise<[string, string]> {
  const connection = await Deno.connect({ transport: "unix", path });
  await connection.write(new TextEncoder().encode(request));
  const text = await new Response(connection.readable).text();
  const [head, body] = text.split("\r\n\r\n");
  return [head.split("\r\n")[0], body];
}

Deno.test("startFakeLocalApi() answers the status, and refuses requests tailscaled refuses", async () => {
  const dir = await Deno.makeTempDir({ prefix: "leger_" });
  try {
    await using api = await startFakeLocalApi(`${dir}/tailscaled.sock`, {
      status: '{"BackendState":"Running"}',
    });
    const cases: [string, string, string][] = [
      [
        "GET http://local-tailscaled.sock/localapi/v0/status HTTP/1.1\r\nHost: local-tailscaled.sock\r\nConnection: close\r\n\r\n",
        "HTTP/1.1 200 OK",
        '{"BackendState":"Running"}',
      ],
      [
        "GET /localapi/v0/status HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        "HTTP/1.1 403 Forbidden",
        "invalid localapi request\n",
      ],
      [
        "GET /localapi/v0/status HTTP/1.1\r\nHost: local-tailscaled.sock\r\nOrigin: https://evil.example\r\nConnection: close\r\n\r\n",
        "HTTP/1.1 403 Forbidden",
        "invalid localapi request\n",
      ],
      [
        "GET /localapi/v0/prefs HTTP/1.1\r\nHost: local-tailscaled.sock\r\nConnection: close\r\n\r\n",
        "HTTP/1.1 404 Not Found",
        "404 page not found\n",
      ],
    ];
    for (const [request, status, body] of cases) {
      const [line, text] = await raw(api.path, request);
      strictEqual(line, status, request);
      strictEqual(text, body, request);
    }
    api.setStatus('{"BackendState":"Stopped"}');
    deepStrictEqual(
      await raw(
        api.path,
        "GET /localapi/v0/status HTTP/1.1\r\nHost: local-tailscaled.sock\r\nConnection: close\r\n\r\n",
      ),
      ["HTTP/1.1 200 OK", '{"BackendState":"Stopped"}'],
    );
    strictEqual(api.requests.length, 5);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
