// parseJournalEntry over journal entries recorded on the e2e host, and
// streamJournalEntries with a script standing in for journalctl: these start
// a real process, as the adapter does.
//
// testdata/journalctl_json_system.out and journalctl_json_user.out are the
// real output of `journalctl [--user] --unit|--user-unit xp-a.service
// --unit|--user-unit xp-b.service -n 9 -o json` on the e2e host (Podman 5.8,
// systemd 262), as root and as the rootless user, for two busybox quadlets:
// xp-a prints a line a second, xp-b prints `b-\377-bin` (not UTF-8: journal
// JSON writes that MESSAGE as an array of bytes) and a line on stderr. The
// long fields that say nothing to leger (_CMDLINE, cursors, machine and boot
// ids, CODE_*…) were left out with jq; the others are as journalctl printed
// them.
import {
  deepStrictEqual,
  match,
  rejects,
  strictEqual,
  throws,
} from "node:assert/strict";
import type { LegerError } from "../errors/leger_error.ts";
import {
  parseJournalEntry,
  readsSystemJournal,
  streamJournal,
  streamJournalEntries,
} from "./journal.ts";
import type { JournalEntry } from "./journal.ts";

const TESTDATA = new URL("./testdata/", import.meta.url);
const SERVICES = ["xp-a.service", "xp-b.service"];

async function recorded(scope: "system" | "user"): Promise<string[]> {
  const text = await Deno.readTextFile(
    new URL(`journalctl_json_${scope}.out`, TESTDATA),
  );
  return text.split("\n").filter((line) => line !== "");
}

for (const scope of ["system", "user"] as const) {
  Deno.test(`parseJournalEntry finds the service of every entry of the ${scope} scope`, async () => {
    const entries = (await recorded(scope)).map((line) =>
      parseJournalEntry(line, SERVICES)
    );
    strictEqual(entries.length, 9);
    for (const entry of entries) {
      strictEqual(SERVICES.includes(entry.service ?? ""), true, entry.line);
      strictEqual(entry.message.endsWith("\n"), false);
      strictEqual(typeof entry.realtimeMicros, "number");
    }
    // journalctl gives them in the order of time.
    const times = entries.map((e) => e.realtimeMicros!);
    deepStrictEqual(times, [...times].sort((a, b) => a - b));
  });
}

Deno.test("parseJournalEntry reads systemd's lines about a unit (UNIT, USER_UNIT), not its own unit", async () => {
  const system = (await recorded("system")).map((line) =>
    parseJournalEntry(line, SERVICES)
  ).find((e) => e.message === "Started xp-b.service.");
  // Logged by PID 1: _SYSTEMD_UNIT is init.scope, UNIT the service.
  strictEqual(system?.service, "xp-b.service");
  const user = (await recorded("user")).map((line) =>
    parseJournalEntry(line, SERVICES)
  ).find((e) => e.message === "Started xp-a.service.");
  // Logged by the user's manager: _SYSTEMD_UNIT is user@1000.service,
  // _SYSTEMD_USER_UNIT init.scope, USER_UNIT the service.
  strictEqual(user?.service, "xp-a.service");
  strictEqual(JSON.parse(user!.line)._SYSTEMD_UNIT, "user@1000.service");
});

Deno.test("parseJournalEntry decodes a message journald kept as bytes (not UTF-8)", async () => {
  const entry = (await recorded("system")).map((line) =>
    parseJournalEntry(line, SERVICES)
  ).find((e) => Array.isArray(JSON.parse(e.line).MESSAGE));
  // printf 'b-\377-bin\n' in the container: 0xff is no UTF-8.
  strictEqual(entry?.message, "b-\uFFFD-bin");
  strictEqual(entry?.service, "xp-b.service");
});

Deno.test("parseJournalEntry: a unit not asked for, no message, a repeated field", () => {
  const other = parseJournalEntry(
    '{"_SYSTEMD_UNIT":"init.scope","UNIT":"other.service","MESSAGE":null}',
    SERVICES,
  );
  strictEqual(other.service, null);
  strictEqual(other.message, "");
  strictEqual(other.realtimeMicros, null);
  strictEqual(other.priority, null);
  const repeated = parseJournalEntry(
    '{"UNIT":["init.scope","xp-a.service"],"MESSAGE":["one","two"]}',
    SERVICES,
  );
  strictEqual(repeated.service, "xp-a.service");
  strictEqual(repeated.message, "one\ntwo");
  throws(() => parseJournalEntry("[1,2]", SERVICES), SyntaxError);
  throws(() => parseJournalEntry("not json", SERVICES), SyntaxError);
});

/**
 * A journalctl that prints its arguments as one entry per argument, and with
 * `--follow` waits until it is stopped; `bad` prints a line that is no JSON.
 */
async function fakeJournalctl(dir: string, bad = false): Promise<string> {
  const path = `${dir}/journalctl`;
  await Deno.writeTextFile(
    path,
    [
      "#!/bin/sh",
      bad ? "echo 'not json'" : "",
      'for a in "$@"; do printf \'{"MESSAGE":"%s","_SYSTEMD_UNIT":"xp-a.service"}\\n\' "$a"; done',
      'case " $* " in *" --follow "*) exec sleep 600 ;; esac',
      "",
    ].join("\n"),
    { mode: 0o755 },
  );
  return path;
}

Deno.test("streamJournalEntries runs one journalctl for all units of the scope, and hands over each entry", async () => {
  await using dir = await tempDir();
  const command = await fakeJournalctl(dir.path);
  for (
    const [scope, flags] of [
      ["system", ["--unit", "xp-a.service", "--unit", "xp-b.service"]],
      [
        "user",
        [
          "--user",
          "--user-unit",
          "xp-a.service",
          "--user-unit",
          "xp-b.service",
        ],
      ],
    ] as const
  ) {
    const entries: JournalEntry[] = [];
    const code = await streamJournalEntries(scope, SERVICES, {
      lines: 7,
      since: "1h ago",
      follow: false,
      onEntry: (entry) => entries.push(entry),
      command,
    });
    strictEqual(code, 0);
    deepStrictEqual(entries.map((e) => e.message), [
      ...flags,
      "--lines",
      "7",
      "--since",
      "1h ago",
      "--output",
      "json",
      "--all",
      "--no-pager",
    ]);
    strictEqual(entries[0].service, "xp-a.service");
  }
});

Deno.test("streamJournalEntries with follow reads until the signal aborts, then stops journalctl and returns 0", async () => {
  await using dir = await tempDir();
  const command = await fakeJournalctl(dir.path);
  const controller = new AbortController();
  const messages: string[] = [];
  const code = await streamJournalEntries("user", ["xp-a.service"], {
    lines: 1,
    follow: true,
    // The last argument is printed before journalctl waits: abort then.
    onEntry: (entry) => {
      messages.push(entry.message);
      if (entry.message === "--no-pager") controller.abort();
    },
    signal: controller.signal,
    command,
  });
  strictEqual(code, 0);
  strictEqual(messages.includes("--follow"), true);
});

Deno.test("streamJournalEntries stops journalctl and throws when a line is no entry, or when onEntry throws", async () => {
  await using dir = await tempDir();
  const bad = await fakeJournalctl(dir.path, true);
  await rejects(
    streamJournalEntries("system", SERVICES, {
      lines: 1,
      follow: true,
      onEntry: () => {},
      command: bad,
    }),
    SyntaxError,
  );
  const good = await fakeJournalctl(dir.path);
  await rejects(
    streamJournalEntries("system", SERVICES, {
      lines: 1,
      follow: true,
      onEntry: () => {
        throw new Deno.errors.BrokenPipe("reader gone");
      },
      command: good,
    }),
    Deno.errors.BrokenPipe,
  );
});

Deno.test("streamJournalEntries returns 1 when journalctl fails, and says a missing journalctl plainly", async () => {
  await using dir = await tempDir();
  const failing = `${dir.path}/failing`;
  await Deno.writeTextFile(failing, "#!/bin/sh\nexit 1\n", { mode: 0o755 });
  strictEqual(
    await streamJournalEntries("system", SERVICES, {
      lines: 1,
      follow: false,
      onEntry: () => {},
      command: failing,
    }),
    1,
  );
  await rejects(
    streamJournalEntries("system", SERVICES, {
      lines: 1,
      follow: false,
      onEntry: () => {},
      command: `${dir.path}/nosuch`,
    }),
    { code: "ERR_COMMAND_NOT_FOUND" },
  );
});

Deno.test("a --since journalctl cannot read is ERR_USAGE naming --since and the forms it reads, for one service and for several", async () => {
  await using dir = await tempDir();
  // journalctl's own refusal (systemd 262), on stderr, exit 1.
  const refusing = `${dir.path}/refusing`;
  await Deno.writeTextFile(
    refusing,
    "#!/bin/sh\necho 'Failed to parse timestamp: garbage' >&2\nexit 1\n",
    { mode: 0o755 },
  );
  const expected = (error: unknown) => {
    const e = error as LegerError;
    strictEqual(e.code, "ERR_USAGE");
    strictEqual(
      e.message,
      'Cannot use --since "garbage": journalctl cannot read it as a time',
    );
    match(e.remedy, /`1h ago`/);
    match(e.remedy, /`yesterday`/);
    deepStrictEqual(e.details, [
      "journalctl: Failed to parse timestamp: garbage",
    ]);
    return true;
  };
  await rejects(
    streamJournal("user", "web.service", {
      lines: 1,
      since: "garbage",
      follow: true,
      command: refusing,
    }),
    expected,
  );
  await rejects(
    streamJournalEntries("user", SERVICES, {
      lines: 1,
      since: "garbage",
      follow: false,
      onEntry: () => {},
      command: refusing,
    }),
    expected,
  );
  // Another failure stays journalctl's: its message passed on, exit 1.
  const failing = `${dir.path}/failing`;
  await Deno.writeTextFile(failing, "#!/bin/sh\nexit 1\n", { mode: 0o755 });
  strictEqual(
    await streamJournal("user", "web.service", {
      lines: 1,
      since: "1h ago",
      follow: false,
      command: failing,
    }),
    1,
  );
});

Deno.test("readsSystemJournal() says whether the system journal's files open, as journalctl decides", async () => {
  const calls: string[] = [];
  const opening = (outcome: "ok" | "denied" | "missing") => (path: string) => {
    calls.push(path);
    if (outcome === "ok") return Promise.resolve();
    return Promise.reject(
      outcome === "denied"
        ? new Deno.errors.PermissionDenied(path)
        : new Deno.errors.NotFound(path),
    );
  };
  const files = [
    "/var/log/journal/id/system.journal",
    "/run/log/journal/id/system.journal",
  ];
  strictEqual(
    await readsSystemJournal({ files, open: opening("denied") }),
    false,
  );
  strictEqual(await readsSystemJournal({ files, open: opening("ok") }), true);
  calls.length = 0;
  // No file at all: journalctl says what it finds.
  strictEqual(
    await readsSystemJournal({ files, open: opening("missing") }),
    true,
  );
  deepStrictEqual(calls, files);
});

async function tempDir(): Promise<{ path: string } & AsyncDisposable> {
  const path = await Deno.makeTempDir({ prefix: "leger_journal_" });
  return {
    path,
    [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }),
  };
}
