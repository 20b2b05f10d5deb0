import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { invalidValue } from "./_invalid_value.ts";

Deno.test("invalidValue() points at the entry and keeps the cause", () => {
  const cause = new SyntaxError('Cannot parse port "1:2:3:4": expected …');
  const err = invalidValue({
    key: "PublishPort",
    value: "1:2:3:4",
    line: 7,
    file: "web.container.d/a.conf",
  }, cause);
  assertEquals(
    [err.code, err.message, err.file, err.line, err.remedy, err.cause],
    [
      "ERR_UNIT_INVALID_VALUE",
      'Cannot use "PublishPort=1:2:3:4": Cannot parse port "1:2:3:4": expected …',
      "web.container.d/a.conf",
      7,
      "Correct PublishPort= at web.container.d/a.conf:7",
      cause,
    ],
  );
});
