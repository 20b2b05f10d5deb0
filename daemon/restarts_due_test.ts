import { deepStrictEqual, rejects, strictEqual } from "node:assert/strict";
import { RESTARTS_DUE_FILE, RestartsDue } from "./restarts_due.ts";

async function folder(): Promise<string & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "leger_restarts_" });
  return Object.assign(dir, {
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  }) as string & AsyncDisposable;
}

Deno.test("RestartsDue records services in a 0600 file before a write, and a new one reads them back", async () => {
  await using dir = await folder();
  const path = `${dir}/state/${RESTARTS_DUE_FILE}`;
  const due = new RestartsDue(path);
  deepStrictEqual(await due.load(), []);
  strictEqual(await due.add(["web.service", "api.service"]), true);
  deepStrictEqual(JSON.parse(await Deno.readTextFile(path)), {
    services: ["api.service", "web.service"],
  });
  strictEqual((await Deno.stat(path)).mode! & 0o777, 0o600);
  strictEqual(await due.add(["web.service"]), false, "nothing new: no write");

  // legerd killed here: the next one finds them.
  const next = new RestartsDue(path);
  deepStrictEqual(await next.load(), ["api.service", "web.service"]);
  strictEqual(await next.clear(), true);
  await rejects(Deno.stat(path), Deno.errors.NotFound);
  deepStrictEqual(next.services(), []);
  strictEqual(await next.clear(), false, "no file: nothing to remove");
});

Deno.test("RestartsDue reads the file once: later loads come from memory", async () => {
  await using dir = await folder();
  const path = `${dir}/${RESTARTS_DUE_FILE}`;
  const due = new RestartsDue(path);
  await due.load();
  await Deno.writeTextFile(path, '{"services":["web.service"]}\n');
  deepStrictEqual(await due.load(), [], "not read again");
});

Deno.test("RestartsDue counts a file it cannot use as none due, says so, and removes it on clear", async () => {
  await using dir = await folder();
  const path = `${dir}/${RESTARTS_DUE_FILE}`;
  for (const text of ['{"services":["web.service"', '{"services":[1]}', "[]"]) {
    await Deno.writeTextFile(path, text);
    const lines: string[] = [];
    const due = new RestartsDue(path, { log: (line) => lines.push(line) });
    deepStrictEqual(await due.load(), [], text);
    deepStrictEqual(lines, [
      `Ignoring ${path}: it holds no list of services to restart`,
    ]);
    strictEqual(await due.clear(), true);
    await rejects(Deno.stat(path), Deno.errors.NotFound);
  }
});
