/**
 * The loopback leger.run, run inside the e2e host for legerd's tests:
 * `deno run -A serve_leger_run.ts PORT OUT_DIR`.
 *
 * It serves on `127.0.0.1:PORT` (the host has only loopback) and writes, for
 * `root` and `leger`, a login as `auth.json` would hold it
 * (`OUT_DIR/<user>.auth.json`), so that a test can put it in place after
 * each cleanup; both users share one leger.run account. Then it writes
 * `OUT_DIR/ready`. SIGUSR1 takes the service down (connections refused),
 * SIGUSR2 brings it back on the same port with its state; SIGTERM ends it.
 * Tests change secrets through the real API (`POST /secrets/{name}` with
 * the token), as the web UI would.
 *
 * @module
 */
import { LegerRunServer } from "../leger_run_server.ts";

const [port, outDir] = Deno.args;
if (port === undefined || outDir === undefined) {
  throw new TypeError("Usage: serve_leger_run.ts PORT OUT_DIR");
}
const server = await LegerRunServer.start({ port: Number(port) });
const userUuid = crypto.randomUUID();
server.accounts.set(userUuid, {
  user_uuid: userUuid,
  user_id: "1001",
  login_name: "e2e@example.com",
  display_name: null,
  tailnet: "example.com",
  created_at: new Date().toISOString(),
});
const token = await server.issueToken({
  user_uuid: userUuid,
  user_id: "1001",
  login_name: "e2e@example.com",
  tailnet: "example.com",
});
await Deno.mkdir(outDir, { recursive: true, mode: 0o755 });
for (const user of ["root", "leger"]) {
  const auth = {
    token,
    token_type: "Bearer",
    expires_at: new Date(Date.now() + 365 * 86400_000).toISOString(),
    user_uuid: userUuid,
    login_name: "e2e@example.com",
    tailnet: "example.com",
    device_hostname: "leger-e2e",
    api_url: server.apiUrl,
  };
  await Deno.writeTextFile(
    `${outDir}/${user}.auth.json`,
    JSON.stringify(auth, null, 2) + "\n",
    { mode: 0o644 },
  );
}
await Deno.writeTextFile(
  `${outDir}/config.yaml`,
  `api_url: ${server.apiUrl}\nstatic_url: ${server.staticUrl}\nweb_url: ${server.webUrl}\n`,
);
Deno.addSignalListener("SIGUSR1", () => void server.goDown());
Deno.addSignalListener("SIGUSR2", () => void server.comeBack());
Deno.addSignalListener("SIGTERM", async () => {
  await server.close();
  Deno.exit(0);
});
await Deno.writeTextFile(`${outDir}/ready`, `${Deno.pid}\n`);
setInterval(() => {}, 1 << 30);
