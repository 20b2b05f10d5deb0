import { deepStrictEqual, throws } from "node:assert/strict";
import { resolveLegerRunUrls } from "./resolve_leger_run_urls.ts";

function envOf(
  values: Record<string, string>,
): (name: string) => string | undefined {
  return (name) => values[name];
}

Deno.test("resolveLegerRunUrls() uses the contract's defaults when nothing is set", () => {
  const cases: Record<string, string>[] = [{}, {
    LEGER_API_URL: "",
    LEGER_STATIC_URL: "",
    LEGER_WEB_URL: "",
  }];
  for (const values of cases) {
    deepStrictEqual(resolveLegerRunUrls(envOf(values)), {
      api: "https://api.leger.run",
      static: "https://static.leger.run",
      web: "https://app.leger.run",
    });
  }
});

Deno.test("resolveLegerRunUrls() takes each override from its variable", () => {
  deepStrictEqual(
    resolveLegerRunUrls(envOf({
      LEGER_API_URL: "http://127.0.0.1:8787/",
      LEGER_STATIC_URL: "http://127.0.0.1:8787/static",
      LEGER_WEB_URL: "http://localhost:3000",
    })),
    {
      api: "http://127.0.0.1:8787",
      static: "http://127.0.0.1:8787/static",
      web: "http://localhost:3000",
    },
  );
});

Deno.test("resolveLegerRunUrls() refuses a host leger may not reach, naming the variable", () => {
  for (
    const variable of ["LEGER_API_URL", "LEGER_STATIC_URL", "LEGER_WEB_URL"]
  ) {
    throws(
      () => resolveLegerRunUrls(envOf({ [variable]: "https://example.com" })),
      {
        code: "ERR_NETWORK_NOT_ALLOWED",
        message: new RegExp(`^Cannot use ${variable} "https://example.com"`),
      },
    );
  }
});
