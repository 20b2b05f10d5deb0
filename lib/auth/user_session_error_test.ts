import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { type RuntimeFolder, userSessionError } from "./user_session_error.ts";

const ACTION = "start legerd for the user scope";
const DETAIL =
  "systemctl --user, rootless Podman and legerd's socket need /run/user/1000, the runtime folder systemd makes for each login session of uid 1000 (or for good, with linger)";
const REMEDY =
  "Log in as the user (not with su or sudo -u), or run `loginctl enable-linger $USER` and `export XDG_RUNTIME_DIR=/run/user/$(id -u)`";

/** The error for one value of XDG_RUNTIME_DIR and one folder, and the paths looked at. */
function judge(
  value: string | undefined,
  folder: RuntimeFolder,
  failure?: Error,
) {
  const looked: string[] = [];
  const error = userSessionError({
    env: (name) => name === "XDG_RUNTIME_DIR" ? value : undefined,
    uid: 1000,
    action: ACTION,
    failure,
    stat: (path) => {
      looked.push(path);
      return folder;
    },
  });
  return { error, looked };
}

Deno.test("userSessionError() names XDG_RUNTIME_DIR, its value and why it is no login session", async (t) => {
  const own = { kind: "folder", uid: 1000 } as const;
  const cases: [string, string | undefined, RuntimeFolder, string, string[]][] =
    [
      ["empty", "", own, "empty", []],
      ["relative", "run", own, '"run", not an absolute path', []],
      [
        "a missing folder",
        "/run/user/1000",
        { kind: "missing" },
        '"/run/user/1000", which does not exist',
        ["/run/user/1000"],
      ],
      [
        "a file",
        "/tmp/x",
        { kind: "other" },
        '"/tmp/x", which is not a folder',
        ["/tmp/x"],
      ],
      [
        "a folder out of reach",
        "/root/run",
        { kind: "unreadable" },
        '"/root/run", which uid 1000 may not read',
        ["/root/run"],
      ],
      [
        "another user's folder",
        "/run",
        { kind: "folder", uid: 0 },
        '"/run", a folder of uid 0, not of uid 1000',
        ["/run"],
      ],
      [
        "unset, without /run/user/1000",
        undefined,
        { kind: "missing" },
        "unset and /run/user/1000 does not exist",
        ["/run/user/1000"],
      ],
      [
        "unset, /run/user/1000 another user's",
        undefined,
        { kind: "folder", uid: 0 },
        "unset and /run/user/1000 belongs to uid 0",
        ["/run/user/1000"],
      ],
    ];
  for (const [name, value, folder, why, paths] of cases) {
    await t.step(name, () => {
      const { error, looked } = judge(value, folder);
      deepStrictEqual(
        {
          code: error?.code,
          message: error?.message,
          details: error?.details,
          remedy: error?.remedy,
          exit: error?.exitCode,
        },
        {
          code: "ERR_SYSTEMD_NOT_RUNNING",
          message:
            `Cannot ${ACTION}: XDG_RUNTIME_DIR is ${why}, so this is not a login session of uid 1000`,
          details: [DETAIL],
          remedy: REMEDY,
          exit: 1,
        },
      );
      deepStrictEqual(looked, paths);
    });
  }
});

Deno.test("userSessionError() accepts the user's own folder, set or unset (then /run/user/UID)", () => {
  for (const value of ["/run/user/1000", undefined]) {
    const { error, looked } = judge(value, { kind: "folder", uid: 1000 });
    strictEqual(error, null);
    deepStrictEqual(looked, ["/run/user/1000"]);
  }
  // Where the system has no owners (uid null), the folder is taken as it is.
  strictEqual(
    judge("/run/user/1000", { kind: "folder", uid: null }).error,
    null,
  );
});

Deno.test("userSessionError() with systemctl's failure: an error even for a right folder, the failure its cause", () => {
  const failure = new Error("Failed to connect to user scope bus");
  const own = judge("/run/user/1000", { kind: "folder", uid: 1000 }, failure);
  strictEqual(
    own.error?.message,
    `Cannot ${ACTION}: the systemd user manager of uid 1000 does not answer at XDG_RUNTIME_DIR "/run/user/1000"`,
  );
  strictEqual(own.error?.cause, failure);
  strictEqual(own.error?.remedy, REMEDY);
  strictEqual(
    judge(undefined, { kind: "folder", uid: 1000 }, failure).error?.message,
    `Cannot ${ACTION}: the systemd user manager of uid 1000 does not answer at /run/user/1000 (XDG_RUNTIME_DIR is unset)`,
  );
  const wrong = judge("", { kind: "folder", uid: 1000 }, failure).error;
  strictEqual(
    wrong?.message,
    `Cannot ${ACTION}: XDG_RUNTIME_DIR is empty, so this is not a login session of uid 1000`,
  );
  strictEqual(wrong?.cause, failure);
});

Deno.test("userSessionError() looks at the real folder by default", async () => {
  const dir = await Deno.makeTempDir({ prefix: "leger_session_" });
  try {
    const uid = Deno.uid()!;
    const check = (value: string) =>
      userSessionError({ env: () => value, uid, action: ACTION })?.message ??
        null;
    strictEqual(check(dir), null);
    strictEqual(
      check(`${dir}/gone`),
      `Cannot ${ACTION}: XDG_RUNTIME_DIR is "${dir}/gone", which does not exist, so this is not a login session of uid ${uid}`,
    );
    await Deno.writeTextFile(`${dir}/file`, "");
    strictEqual(
      check(`${dir}/file`),
      `Cannot ${ACTION}: XDG_RUNTIME_DIR is "${dir}/file", which is not a folder, so this is not a login session of uid ${uid}`,
    );
    // A path through a file is no folder either (ENOTDIR).
    strictEqual(
      check(`${dir}/file/run`),
      `Cannot ${ACTION}: XDG_RUNTIME_DIR is "${dir}/file/run", which is not a folder, so this is not a login session of uid ${uid}`,
    );
    const other = userSessionError({
      env: () => dir,
      uid: uid + 1,
      action: ACTION,
    });
    strictEqual(
      other?.message,
      `Cannot ${ACTION}: XDG_RUNTIME_DIR is "${dir}", a folder of uid ${uid}, not of uid ${
        uid + 1
      }, so this is not a login session of uid ${uid + 1}`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
