import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { findingToError } from "./finding_to_error.ts";
import { LegerError } from "../errors/leger_error.ts";

Deno.test("findingToError() keeps the code, message, file, line and remedy", () => {
  const err = findingToError({
    code: "ERR_PORT_CONFLICT",
    message: 'Cannot publish host port 80/tcp from "web.container"',
    file: "web.container",
    line: 4,
    remedy: "Change PublishPort=",
    severity: "warning",
  });
  strictEqual(err instanceof LegerError, true);
  deepStrictEqual(err.toJSON(), {
    code: "ERR_PORT_CONFLICT",
    message: 'Cannot publish host port 80/tcp from "web.container"',
    file: "web.container",
    line: 4,
    remedy: "Change PublishPort=",
  });
});
