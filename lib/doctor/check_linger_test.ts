import { deepStrictEqual } from "node:assert/strict";
import { checkLinger } from "./check_linger.ts";

Deno.test("checkLinger() fails without linger, with the command that turns it on", () => {
  const off = checkLinger({ user: "alice", lingering: false });
  deepStrictEqual([off.status, off.title, off.fix], [
    "fail",
    "Linger is off for alice",
    "sudo loginctl enable-linger alice",
  ]);
  const on = checkLinger({ user: "alice", lingering: true });
  deepStrictEqual([on.status, on.fix], ["pass", null]);
});
