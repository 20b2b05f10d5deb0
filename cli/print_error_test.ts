import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { CommandError } from "../lib/adapters/command_error.ts";
import { ERROR_CODES, type ErrorCode, LegerError } from "../lib/errors/mod.ts";
import { printError, toLegerError } from "./print_error.ts";

/** Runs printError() and returns the exit code and the text. */
function print(error: unknown, debug = false): { code: number; text: string } {
  let text = "";
  const code = printError(error, {
    err: (t) => {
      text += t;
    },
    debug,
  });
  return { code, text };
}

/** The line before the code: the remedy. */
function remedyLine(text: string): string {
  const lines = text.trimEnd().split("\n");
  return lines[lines.length - 2];
}

Deno.test("printError() prints a remedy and the code for every code of the catalogue", async (t) => {
  for (const code of Object.keys(ERROR_CODES) as ErrorCode[]) {
    await t.step(code, () => {
      const { code: exit, text } = print(new LegerError(code, "Cannot x"));
      strictEqual(exit, ERROR_CODES[code].exit);
      strictEqual(
        text,
        `Error: Cannot x\n${ERROR_CODES[code].remedy}\n[${code}]\n`,
      );
    });
  }
});

Deno.test("printError() prints the error's own remedy, details, cause and place", () => {
  const error = new LegerError(
    "ERR_PORT_CONFLICT",
    'Cannot publish port "8080"',
    {
      file: "web.container",
      line: 4,
      details: ["taken by: other.container"],
      cause: new Error("bind: address in use"),
      remedy: "Change PublishPort= in web.container",
    },
  );
  strictEqual(
    print(error).text,
    [
      'Error: Cannot publish port "8080"',
      "  at web.container:4",
      "  taken by: other.container",
      "  cause: bind: address in use",
      "Change PublishPort= in web.container",
      "[ERR_PORT_CONFLICT]",
      "",
    ].join("\n"),
  );
});

Deno.test("printError() words an error of the host with a catalogue code and a remedy, never ERR_INTERNAL", async (t) => {
  const cases: [string, unknown, ErrorCode, RegExp][] = [
    [
      "PermissionDenied",
      new Deno.errors.PermissionDenied(
        "Permission denied (os error 13): readdir '/etc/containers/systemd'",
      ),
      "ERR_PERMISSION_DENIED",
      /sudo leger/,
    ],
    [
      "NotFound",
      new Deno.errors.NotFound(
        "No such file or directory (os error 2): stat '/srv/app'",
      ),
      "ERR_PATH_NOT_FOUND",
      /ls -ld PATH/,
    ],
    [
      "NotCapable (network)",
      new Deno.errors.NotCapable(
        'Requires net access to "10.0.0.1:443", run again with the --allow-net flag',
      ),
      "ERR_NETWORK_NOT_ALLOWED",
      /LEGER_API_URL/,
    ],
    [
      "AlreadyExists",
      new Deno.errors.AlreadyExists("File exists (os error 17): open '/x'"),
      "ERR_PATH_EXISTS",
      /Move aside/,
    ],
    [
      "Interrupted",
      new Deno.errors.Interrupted("Interrupted system call (os error 4)"),
      "ERR_IO_FAILED",
      /^Run the command again$/,
    ],
    [
      "BrokenPipe",
      new Deno.errors.BrokenPipe("Broken pipe (os error 32)"),
      "ERR_IO_FAILED",
      /quits early/,
    ],
    [
      "TimedOut",
      new Deno.errors.TimedOut("Connection timed out (os error 110)"),
      "ERR_NETWORK_FAILED",
      /network connection/,
    ],
    [
      "NotADirectory",
      new Deno.errors.NotADirectory("Not a directory (os error 20)"),
      "ERR_PATH_TYPE",
      /Move aside/,
    ],
    [
      "IsADirectory",
      new Deno.errors.IsADirectory(
        "Is a directory (os error 21): readfile '/x'",
      ),
      "ERR_PATH_TYPE",
      /Move aside/,
    ],
    [
      "ConnectionRefused",
      new Deno.errors.ConnectionRefused("Connection refused (os error 111)"),
      "ERR_NETWORK_FAILED",
      /running and reachable/,
    ],
    [
      "ConnectionReset",
      new Deno.errors.ConnectionReset(
        "Connection reset by peer (os error 104)",
      ),
      "ERR_NETWORK_FAILED",
      /running and reachable/,
    ],
    [
      "AddrInUse",
      new Deno.errors.AddrInUse("Address already in use (os error 98)"),
      "ERR_NETWORK_FAILED",
      /ss -ltnpx/,
    ],
    [
      "no space left",
      new Error("No space left on device (os error 28): writefile '/s/a'"),
      "ERR_STATE_UNWRITABLE",
      /df -h \/s/,
    ],
    [
      "read-only file system",
      new Error("Read-only file system (os error 30): mkdir '/s/a'"),
      "ERR_STATE_UNWRITABLE",
      /remount it read-write/,
    ],
  ];
  for (const [name, error, code, remedy] of cases) {
    await t.step(name, () => {
      const { code: exit, text } = print(error);
      strictEqual(exit, 1);
      match(text, /^Error: Cannot /);
      match(remedyLine(text), remedy);
      ok(text.endsWith(`[${code}]\n`), text);
      ok(!text.includes("ERR_INTERNAL"), text);
      ok(!text.includes("run again with the"), text);
    });
  }
});

Deno.test("printError() words a program that failed as ERR_COMMAND_FAILED with the end of its stderr", async (t) => {
  await t.step("any program", () => {
    const error = new CommandError(
      "podman",
      ["volume", "rm", "data"],
      2,
      "one\ntwo\nthree\nfour\nfive\nsix\nError: volume is being used",
    );
    const { code, text } = print(error);
    strictEqual(code, 1);
    strictEqual(
      text,
      [
        'Error: Cannot run "podman volume rm data": it exited with code 2: Error: volume is being used',
        "  two",
        "  three",
        "  four",
        "  five",
        "  six",
        ERROR_CODES.ERR_COMMAND_FAILED.remedy,
        "[ERR_COMMAND_FAILED]",
        "",
      ].join("\n"),
    );
  });
  await t.step("systemctl --user without the user's bus", () => {
    // systemd 249's words, then 262's.
    for (
      const said of [
        "Failed to connect to bus: No medium found",
        "Failed to connect to user scope bus via local transport: No such file or directory",
      ]
    ) {
      const { text } = print(
        new CommandError("systemctl", ["--user", "show", "x.service"], 1, said),
      );
      match(remedyLine(text), /loginctl enable-linger USER/);
    }
  });
  await t.step("git, whose arguments may hold credentials", () => {
    const { text } = print(
      new CommandError(
        "git",
        ["ls-remote", "https://alice:s3cr3t@git.example.com/r.git"],
        128,
        "fatal: https://alice:s3cr3t@git.example.com/r.git not found",
      ),
    );
    ok(!text.includes("s3cr3t"), text);
    ok(text.includes("https://git.example.com/r.git"), text);
  });
});

Deno.test("printError() keeps ERR_INTERNAL for what is a bug, with the remedy to report it", () => {
  const { code, text } = print(
    new TypeError("Cannot read properties of null (reading 'name')"),
  );
  strictEqual(code, 1);
  strictEqual(
    text,
    [
      "Error: leger failed unexpectedly: Cannot read properties of null (reading 'name')",
      "Run the command again with --debug and report the output as a bug",
      "[ERR_INTERNAL]",
      "",
    ].join("\n"),
  );
  match(print(new TypeError("x"), true).text, /\n\nTypeError: x\n {4}at /);
});

Deno.test("toLegerError() gives printError() and --json the same error", () => {
  const legerError = new LegerError("ERR_USAGE", "Cannot parse flag");
  strictEqual(toLegerError(legerError), legerError);
  const system = toLegerError(
    new Deno.errors.PermissionDenied("Permission denied (os error 13)"),
  );
  deepStrictEqual(
    [system.code, system.message],
    ["ERR_PERMISSION_DENIED", "Cannot finish the command: permission denied"],
  );
  strictEqual(toLegerError("thrown text").code, "ERR_INTERNAL");
});
