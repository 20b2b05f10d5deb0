/**
 * Values never leave leger.run's answer and Podman's stdin: not in a log
 * line, a process argument, an answer of the engine, or a file of ours.
 */
import { ok, strictEqual } from "node:assert/strict";
import { loadAuthState } from "../lib/auth/load_auth_state.ts";
import { containerUsing, engineFixture, UUID } from "./_engine_fixture.ts";

async function filesUnder(dir: string): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) files.push(...await filesUnder(path));
    else if (entry.isFile) files.push(path);
  }
  return files;
}

Deno.test("SecretsEngine puts no value in logs, arguments, answers or files", async () => {
  const values = Array.from(
    { length: 4 },
    (_, i) => `leak-check-${i}-${crypto.randomUUID()}`,
  );
  await using f = await engineFixture({
    units: {
      "web.container": containerUsing("api_token"),
      "worker@.container": containerUsing("api_token", "db_pass"),
    },
    backend: { api_token: values[0], db_pass: values[1] },
    running: ["web.service", "worker@a.service"],
    login: "refused",
    waiting: { web: ["worker@b.service"] },
  });
  const answers: unknown[] = [];
  answers.push(await f.engine.sync({ dry_run: true }));
  answers.push(await f.engine.sync({}));
  f.server.putSecret(UUID, "api_token", values[2]);
  answers.push(await f.engine.sync({}));
  f.server.putSecret(UUID, "api_token", values[3]);
  answers.push(await f.engine.rotate({ name: "api_token" }));
  answers.push(await f.engine.sync({ force: true }));
  answers.push(await f.engine.sync({ secrets: ["db_pass"] }));
  answers.push(await f.engine.secrets());
  answers.push(f.engine.health());
  f.server.deleteSecret(UUID, "db_pass");
  answers.push(await f.engine.sync({}));
  answers.push(await f.engine.purge());
  answers.push(f.engine.health());

  // The value did reach Podman, on stdin.
  strictEqual(f.host.secrets.size, 0);
  ok(f.argv.some((a) => a.includes("try-restart")));
  const token = (await loadAuthState(f.authFile))!.token;
  const places: [string, string][] = [
    ["log", f.lines.join("\n")],
    ["arguments", f.argv.map((a) => a.join(" ")).join("\n")],
    ["answers", JSON.stringify(answers)],
  ];
  for (const file of await filesUnder(f.home)) {
    places.push([file, await Deno.readTextFile(file)]);
  }
  ok(places.length > 5, places.map(([where]) => where).join(", "));
  for (const [where, text] of places) {
    for (const value of values) {
      ok(!text.includes(value), `a value is in ${where}`);
    }
    if (!where.endsWith("/auth.json")) {
      ok(!text.includes(token), `the token is in ${where}`);
    }
  }
  // What the log does say: names, versions, services.
  ok(f.lines.includes("Replaced secret api_token (version 1 → 2, changed)"));
});
