import { match, strictEqual } from "node:assert/strict";
import { unwritable } from "../state/check_writable.ts";
import { checkFolders } from "./check_folders.ts";

Deno.test("checkFolders() fails naming each folder leger cannot write, with its fix", () => {
  const ok = checkFolders({
    owner: "alice",
    folders: [{ dir: "/home/alice/.config/containers/systemd", error: null }],
  });
  strictEqual(ok.status, "pass");
  const check = checkFolders({
    owner: "alice",
    folders: [
      {
        dir: "/a",
        error: unwritable(
          "/a",
          new Deno.errors.PermissionDenied("Permission denied (os error 13)"),
        ),
      },
      {
        dir: "/b",
        error: unwritable(
          "/b",
          new Error("No space left on device (os error 28)"),
        ),
      },
      {
        dir: "/c",
        error: unwritable(
          "/c",
          new Error("Read-only file system (os error 30)"),
        ),
      },
      { dir: "/d", error: null },
    ],
  });
  strictEqual(check.status, "fail");
  strictEqual(check.title, "leger cannot write to 3 of its folders");
  match(
    check.detail,
    /^\/a: permission is denied\n\/b: the disk is full\n\/c: it is on a read-only file system\n/,
  );
  const [chown, df, readOnly] = check.fix!.split("\n");
  strictEqual(chown, "sudo chown -R alice: /a");
  strictEqual(df, "df -h /b   # free space on that disk");
  match(readOnly, /^# Make \/c writable/);
});
