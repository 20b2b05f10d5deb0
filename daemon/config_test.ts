import {
  deepStrictEqual,
  match,
  rejects,
  strictEqual,
  throws,
} from "node:assert/strict";
import { LegerError } from "../lib/errors/mod.ts";
import {
  DEFAULT_LEGERD_CONFIG,
  type LegerdConfig,
  legerdConfigPath,
  loadLegerdConfig,
  parseLegerdConfig,
} from "./config.ts";

const FILE = "/home/ada/.config/leger/legerd.yaml";

Deno.test("parseLegerdConfig() reads the fields and fills in the defaults", async (t) => {
  const cases: {
    name: string;
    text: string;
    uid?: number;
    want: LegerdConfig;
  }[] = [
    { name: "empty file", text: "", want: { ...DEFAULT_LEGERD_CONFIG } },
    {
      name: "only comments",
      text: "# nothing\n\n  # set\n",
      want: { ...DEFAULT_LEGERD_CONFIG },
    },
    {
      name: "an explicit null document",
      text: "~\n",
      want: { ...DEFAULT_LEGERD_CONFIG },
    },
    {
      name: "poll_interval in seconds",
      text: "poll_interval: 90s\n",
      want: { pollIntervalMs: 90_000, restart: "on-rotation" },
    },
    {
      name: "poll_interval in minutes",
      text: "poll_interval: 5m\n",
      want: { pollIntervalMs: 300_000, restart: "on-rotation" },
    },
    {
      name: "poll_interval in hours and minutes, quoted",
      text: 'poll_interval: "1h30m"\n',
      want: { pollIntervalMs: 5_400_000, restart: "on-rotation" },
    },
    {
      name: "the shortest interval",
      text: "poll_interval: 10s\n",
      want: { pollIntervalMs: 10_000, restart: "on-rotation" },
    },
    {
      name: "the longest interval",
      text: "poll_interval: 24h\n",
      want: { pollIntervalMs: 86_400_000, restart: "on-rotation" },
    },
    {
      name: "restart never",
      text: "restart: never\n",
      want: { pollIntervalMs: 300_000, restart: "never" },
    },
    {
      name: "scope user for a user",
      text: "scope: user\n",
      want: { pollIntervalMs: 300_000, restart: "on-rotation", scope: "user" },
    },
    {
      name: "scope system for root",
      text: "scope: system\nrestart: on-rotation\npoll_interval: 1m\n",
      uid: 0,
      want: { pollIntervalMs: 60_000, restart: "on-rotation", scope: "system" },
    },
  ];
  for (const { name, text, uid = 1000, want } of cases) {
    await t.step(name, () => {
      deepStrictEqual(parseLegerdConfig(text, { file: FILE, uid }), want);
    });
  }
});

Deno.test("parseLegerdConfig() refuses bad input with ERR_CONFIG_INVALID naming the file, field, line and fix", async (t) => {
  const cases: {
    name: string;
    text: string;
    uid?: number;
    line?: number;
    message: RegExp;
    remedy: RegExp;
  }[] = [
    {
      name: "YAML that does not parse",
      text: "restart: never\npoll_interval: [\n",
      line: 3,
      message: /^Cannot parse .*legerd\.yaml as YAML at line 3: /,
      remedy: /Correct the YAML at line 3/,
    },
    {
      name: "a list instead of fields",
      text: "- poll_interval: 5m\n",
      message: /expected fields such as "poll_interval: 5m", found a list/,
      remedy: /poll_interval, restart, scope/,
    },
    {
      name: "a bare word",
      text: "5m\n",
      message: /found the string "5m"/,
      remedy: /One field per line|one field per line/i,
    },
    {
      name: "an unknown field, close to a known one",
      text: "restart: never\npol_interval: 30s\n",
      line: 2,
      message:
        /unknown field "pol_interval" at line 2 \(did you mean "poll_interval"\?\); legerd\.yaml knows poll_interval, restart, scope/,
      remedy: /Rename "pol_interval" to "poll_interval"/,
    },
    {
      name: "an unknown field, close to none",
      text: "log_level: debug\n",
      line: 1,
      message:
        /unknown field "log_level" at line 1; legerd\.yaml knows poll_interval, restart, scope/,
      remedy: /Remove the line, or use one of poll_interval, restart, scope/,
    },
    {
      name: "a number without a unit",
      text: "poll_interval: 300\n",
      line: 1,
      message:
        /poll_interval at line 1 is 300: expected a duration such as 30s, 5m or 1h \(a unit is needed: 300s\?\)/,
      remedy: /between 10s and 24h, such as "poll_interval: 5m"/,
    },
    {
      name: "a unit legerd does not read",
      text: "poll_interval: 5min\n",
      line: 1,
      message:
        /poll_interval at line 1 is "5min": expected a duration such as 30s, 5m, 1h or 1h30m/,
      remedy: /units: s, m, h/,
    },
    {
      name: "a fraction",
      text: "poll_interval: 1.5h\n",
      message: /poll_interval at line 1 is "1.5h"/,
      remedy: /between 10s and 24h/,
    },
    {
      name: "an empty value",
      text: "poll_interval:\n",
      message: /poll_interval at line 1 is empty/,
      remedy: /poll_interval: 5m/,
    },
    {
      name: "too short",
      text: "poll_interval: 5s\n",
      message:
        /poll_interval at line 1 is "5s": it must be between 10s and 24h/,
      remedy: /between 10s and 24h/,
    },
    {
      name: "too long",
      text: "poll_interval: 25h\n",
      message: /is "25h": it must be between 10s and 24h/,
      remedy: /between 10s and 24h/,
    },
    {
      name: "a misspelt restart policy",
      text: "\n\nrestart: on-rotaton\n",
      line: 3,
      message:
        /restart at line 3 is "on-rotaton": expected "on-rotation" or "never" \(did you mean "on-rotation"\?\)/,
      remedy: /Write "restart: on-rotation"/,
    },
    {
      name: "a boolean restart policy",
      text: "restart: false\n",
      message: /restart at line 1 is false: expected "on-rotation" or "never"$/,
      remedy:
        /Write "restart: on-rotation", or remove the line for the default/,
    },
    {
      name: "an unknown scope",
      text: "scope: users\n",
      message:
        /scope at line 1 is "users": expected "user" or "system" \(did you mean "user"\?\)/,
      remedy: /Write "scope: user"/,
    },
    {
      name: "the system scope for a user",
      text: "scope: system\n",
      uid: 1000,
      message:
        /scope at line 1 is "system" but legerd runs as uid 1000; the system scope is root's/,
      remedy: /sudo systemctl enable --now legerd/,
    },
    {
      name: "the user scope for root",
      text: "# legerd\nscope: user\n",
      uid: 0,
      line: 2,
      message: /scope at line 2 is "user" but legerd runs as root/,
      remedy: /scope: system.*systemctl --user enable --now legerd/,
    },
  ];
  for (const { name, text, uid = 1000, line, message, remedy } of cases) {
    await t.step(name, () => {
      let caught: unknown;
      try {
        parseLegerdConfig(text, { file: FILE, uid });
      } catch (error) {
        caught = error;
      }
      if (!(caught instanceof LegerError)) {
        throw caught ?? new Error("nothing thrown");
      }
      strictEqual(caught.code, "ERR_CONFIG_INVALID");
      strictEqual(caught.file, FILE);
      match(caught.message, message);
      match(caught.remedy, remedy);
      if (line !== undefined) strictEqual(caught.line, line);
    });
  }
});

Deno.test("legerdConfigPath() follows XDG_CONFIG_HOME for a user, /etc for the system", () => {
  const env = (values: Record<string, string>) => (name: string) =>
    values[name];
  strictEqual(
    legerdConfigPath("user", {
      home: "/home/ada",
      env: env({ XDG_CONFIG_HOME: "/cfg" }),
    }),
    "/cfg/leger/legerd.yaml",
  );
  strictEqual(
    legerdConfigPath("user", {
      home: "/home/ada",
      env: env({ XDG_CONFIG_HOME: "rel" }),
    }),
    "/home/ada/.config/leger/legerd.yaml",
  );
  strictEqual(
    legerdConfigPath("system", {
      home: "/root",
      env: env({ XDG_CONFIG_HOME: "/cfg" }),
    }),
    "/etc/leger/legerd.yaml",
  );
});

Deno.test("loadLegerdConfig() gives the defaults for a missing file, unless --config named it", async () => {
  const missing = () =>
    Promise.reject(new Deno.errors.NotFound("No such file"));
  deepStrictEqual(
    await loadLegerdConfig(FILE, { uid: 1000, readTextFile: missing }),
    { ...DEFAULT_LEGERD_CONFIG },
  );
  await rejects(
    loadLegerdConfig("/tmp/typo.yaml", {
      uid: 1000,
      required: true,
      readTextFile: missing,
    }),
    {
      code: "ERR_CONFIG_INVALID",
      message:
        /Cannot read legerd's config \/tmp\/typo\.yaml: there is no such file/,
    },
  );
  await rejects(
    loadLegerdConfig(FILE, {
      uid: 1000,
      readTextFile: () =>
        Promise.reject(new Deno.errors.PermissionDenied("Permission denied")),
    }),
    { code: "ERR_PERMISSION_DENIED" },
  );
  throws(
    () => parseLegerdConfig("restart: nope\n", { file: FILE, uid: 1 }),
    LegerError,
  );
});

Deno.test("loadLegerdConfig() reads a real file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "leger_" });
  try {
    await Deno.writeTextFile(`${dir}/legerd.yaml`, "poll_interval: 45s\n");
    deepStrictEqual(
      await loadLegerdConfig(`${dir}/legerd.yaml`, {
        uid: 1000,
        required: true,
      }),
      {
        pollIntervalMs: 45_000,
        restart: "on-rotation",
      },
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
