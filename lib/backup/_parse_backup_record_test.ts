import { deepStrictEqual, throws } from "node:assert/strict";
import { parseBackupRecord } from "./_parse_backup_record.ts";

const DIR = "/b/backups/20261130T120000Z-web-ab12";
const SHA = "a".repeat(64);

const GOOD = {
  format: 1,
  id: "20261130T120000Z-web-ab12",
  deployment: "web",
  scope: "user",
  created_at: "2026-11-30T12:00:00.000Z",
  type: "manual",
  size_bytes: 20,
  source: { type: "git", location: "https://example.com/r.git", commit: "abc" },
  installed_at: "2026-11-30T11:00:00.000Z",
  files: [{ path: "web.container.d/10.conf", sha256: SHA, bytes: 10 }],
  volumes: [{
    name: "systemd-web-data",
    file: "volumes/systemd-web-data.tar",
    sha256: SHA,
    bytes: 10,
  }],
  live: false,
  stopped_services: ["web.service"],
  normalisations: [{ file: "web.container", line: 2, before: "a", after: "b" }],
  manifest_sha256: null,
};

Deno.test("parseBackupRecord() reads what createBackup() writes", () => {
  const { format: _, ...record } = GOOD;
  deepStrictEqual(parseBackupRecord(JSON.stringify(GOOD), DIR), record);
});

Deno.test("parseBackupRecord() refuses a record it cannot trust, naming the field", async (t) => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    [
      "another format",
      { format: 2 },
      /format is 2: this leger reads backups of format 1/,
    ],
    [
      "another folder's",
      { id: "20261130T120000Z-web-ffff" },
      /id is "20261130T120000Z-web-ffff", not the folder's name/,
    ],
    ["a file outside", {
      files: [{ path: "../../.bashrc", sha256: SHA, bytes: 1 }],
    }, /files\[0\]\.path must be a path inside the backup/],
    ["an absolute archive", {
      volumes: [{ ...GOOD.volumes[0], file: "/etc/shadow" }],
    }, /volumes\[0\]\.file must be a path inside the backup/],
    ["a volume name that is an option", {
      volumes: [{ ...GOOD.volumes[0], name: "--help" }],
    }, /volumes\[0\]\.name is not a Podman volume name/],
    [
      "a short checksum",
      { files: [{ path: "a", sha256: "abc", bytes: 1 }] },
      /files\[0\]\.sha256 must be 64 lower-case hex digits/,
    ],
    [
      "a negative size",
      { size_bytes: -1 },
      /size_bytes must be a whole number of bytes/,
    ],
    ["an unknown type", { type: "weekly" }, /type must be "manual" or "auto"/],
    ["a bad date", { created_at: "yesterday" }, /created_at must be a date/],
    ["no source", { source: null }, /source must be a mapping/],
  ];
  for (const [name, change, message] of cases) {
    await t.step(name, () => {
      throws(
        () => parseBackupRecord(JSON.stringify({ ...GOOD, ...change }), DIR),
        {
          name: "LegerError",
          code: "ERR_BACKUP_CORRUPT",
          message,
        },
      );
    });
  }
  await t.step("not JSON", () => {
    throws(() => parseBackupRecord("{", DIR), {
      code: "ERR_BACKUP_CORRUPT",
      message: new RegExp(
        `^Cannot read ${DIR}/backup\\.json: the document is not JSON`,
      ),
    });
  });
});
