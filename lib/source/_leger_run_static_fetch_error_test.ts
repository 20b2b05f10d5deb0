import { strictEqual } from "node:assert/strict";
import { StaticFetchError } from "./_leger_run_static_fetch_error.ts";

Deno.test("StaticFetchError.notFound is true only when the server said 404 or 410", async (t) => {
  const cases: [number | undefined, boolean][] = [
    [404, true],
    [410, true],
    [403, false],
    [500, false],
    [undefined, false],
  ];
  for (const [status, notFound] of cases) {
    await t.step(String(status), () => {
      const error = new StaticFetchError({
        url: "https://static.leger.run/u/v1/x",
        failure: status === undefined ? "network" : "status",
        reason: "failed",
        status,
        attempts: 1,
      });
      strictEqual(error.notFound, notFound);
      strictEqual(error.message, "https://static.leger.run/u/v1/x failed");
    });
  }
});
