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
  const [chown, chmod, df, readOnly] = check.fix!.split("\n");
  strictEqual(chown, "sudo chown -R alice: /a   # it belongs to another user");
  strictEqual(chmod, "sudo chmod u+rwx /a   # its owner may not write to it");
  strictEqual(df, "df -h /b   # free space on that disk");
  match(readOnly, /^findmnt -T \/c {3}# \/c is on a read-only file system/);
});

Deno.test("checkFolders() gives each cause of a refused write its own fix", () => {
  const denied = (dir: string) =>
    unwritable(dir, new Deno.errors.PermissionDenied("denied (os error 13)"));
  const cases: {
    name: string;
    uid: number;
    probe: {
      dir: string;
      probed?: string;
      stat: { uid: number | null; mode: number | null } | null;
    };
    fix: string;
  }[] = [
    {
      name: "mode 555, the user's own: chmod, no sudo, no chown",
      uid: 1000,
      probe: { dir: "/h/.local/share/leger", stat: { uid: 1000, mode: 0o555 } },
      fix:
        "chmod u+rwx /h/.local/share/leger   # its owner may not write to it",
    },
    {
      name: "another user's, writable by its owner: chown only",
      uid: 1000,
      probe: { dir: "/h/.local/share/leger", stat: { uid: 0, mode: 0o755 } },
      fix: "sudo chown -R alice: /h/.local/share/leger   # it belongs to uid 0",
    },
    {
      name: "another user's and mode 500: chown, then chmod",
      uid: 1000,
      probe: { dir: "/h/x y", stat: { uid: 0, mode: 0o500 } },
      fix: "sudo chown -R alice: '/h/x y'   # it belongs to uid 0\n" +
        "sudo chmod u+rwx '/h/x y'   # its owner may not write to it",
    },
    {
      name: "a folder not made yet: the folder above, not recursively",
      uid: 1000,
      probe: {
        dir: "/h/.local/share/leger",
        probed: "/h/.local/share",
        stat: { uid: 0, mode: 0o755 },
      },
      fix: "sudo chown alice: /h/.local/share   # it belongs to uid 0",
    },
    {
      name: "root, whom modes do not stop: what else refuses",
      uid: 0,
      probe: { dir: "/var/lib/leger", stat: { uid: 0, mode: 0o555 } },
      fix:
        "lsattr -d /var/lib/leger; ls -Zd /var/lib/leger   # owner and mode allow it: an immutable attribute (sudo chattr -i /var/lib/leger) or SELinux refuses the write",
    },
  ];
  for (const c of cases) {
    const check = checkFolders({
      owner: "alice",
      uid: c.uid,
      folders: [{ ...c.probe, error: denied(c.probe.probed ?? c.probe.dir) }],
    });
    strictEqual(check.fix, c.fix, c.name);
  }
  const readOnly = checkFolders({
    owner: "alice",
    uid: 1000,
    folders: [{
      dir: "/c",
      error: unwritable("/c", new Error("Read-only file system (os error 30)")),
      stat: { uid: 1000, mode: 0o755 },
    }],
  });
  strictEqual(
    readOnly.fix,
    "findmnt -T /c   # /c is on a read-only file system: remount it read-write, or keep leger's folders on another disk",
  );
});
