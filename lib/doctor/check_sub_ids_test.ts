import { deepStrictEqual, match, strictEqual } from "node:assert/strict";
import { checkSubIds, type SubIdFacts } from "./check_sub_ids.ts";

const FULL = "alice:100000:65536\n";
const FACTS: SubIdFacts = {
  user: "alice",
  uid: 1000,
  subuid: FULL,
  subgid: FULL,
  podmanUidMap: [
    { containerId: 0, hostId: 1000, size: 1 },
    { containerId: 1, hostId: 100000, size: 65536 },
  ],
};

Deno.test("checkSubIds() passes with 65536 ids of each, named by user or by uid", () => {
  strictEqual(checkSubIds(FACTS).status, "pass");
  const byUid = checkSubIds({
    ...FACTS,
    subuid: "# comment\n1000:100000:30000\n1000:200000:35536\n",
  });
  deepStrictEqual([byUid.status, byUid.title], [
    "pass",
    "alice has 65536 subordinate uids and 65536 gids",
  ]);
});

Deno.test("checkSubIds() fails without a range, with a usermod range no one else has", () => {
  const check = checkSubIds({
    ...FACTS,
    user: "bob",
    uid: 1001,
    subuid: "alice:100000:65536\ncarol:165536:65536\n",
    subgid: "alice:100000:65536\n",
    podmanUidMap: [{ containerId: 0, hostId: 1001, size: 1 }],
  });
  strictEqual(check.status, "fail");
  match(check.detail, /^\/etc\/subuid and \/etc\/subgid give bob no range/);
  strictEqual(
    check.fix,
    "sudo usermod --add-subuids 231072-296607 --add-subgids 231072-296607 bob\n" +
      MIGRATE,
  );
  // No file at all: from 100000, as useradd does.
  const none = checkSubIds({
    ...FACTS,
    subuid: null,
    subgid: null,
    podmanUidMap: null,
  });
  match(
    none.fix!,
    /--add-subuids 100000-165535 --add-subgids 100000-165535 alice/,
  );
});

Deno.test("checkSubIds() asks only for what is missing, and warns of too few", () => {
  const gidsOnly = checkSubIds({ ...FACTS, subgid: "" });
  strictEqual(gidsOnly.status, "fail");
  match(gidsOnly.detail, /^\/etc\/subgid gives alice no range/);
  match(gidsOnly.fix!, /^sudo usermod --add-subgids 165536-231071 alice\n/);
  const few = checkSubIds({ ...FACTS, subuid: "alice:100000:1000\n" });
  strictEqual(few.status, "warn");
  match(few.title, /1000 subordinate uids/);
});

Deno.test("checkSubIds() warns when Podman does not use the ranges yet, and trusts Podman's map without files", () => {
  const stale = checkSubIds({
    ...FACTS,
    podmanUidMap: [{ containerId: 0, hostId: 1000, size: 1 }],
  });
  strictEqual(stale.status, "warn");
  strictEqual(stale.fix, MIGRATE);
  const nss = checkSubIds({ ...FACTS, subuid: null, subgid: null });
  strictEqual(nss.status, "pass");
  match(nss.detail, /NSS/);
});

const MIGRATE =
  `running=$(podman ps --format '{{index .Labels "PODMAN_SYSTEMD_UNIT"}}' | sort -u)   # the services running now\n` +
  "podman system migrate   # so that Podman uses them: it stops every running container\n" +
  '[ -z "$running" ] || systemctl --user start $running   # starts those services again';

Deno.test("checkSubIds()'s migrate fix, run in a shell, starts again the services it stops", async () => {
  const dir = await Deno.makeTempDir();
  const log = `${dir}/log`;
  // Fakes of podman and systemctl that record what they are asked.
  await Deno.writeTextFile(
    `${dir}/podman`,
    `#!/bin/sh\necho "podman $*" >> ${log}\n[ "$1" = ps ] && printf 'web.service\\nweb.service\\n\\ndb.service\\n'\nexit 0\n`,
  );
  await Deno.writeTextFile(
    `${dir}/systemctl`,
    `#!/bin/sh\necho "systemctl $*" >> ${log}\n`,
  );
  await Deno.chmod(`${dir}/podman`, 0o755);
  await Deno.chmod(`${dir}/systemctl`, 0o755);
  const { code } = await new Deno.Command("sh", {
    args: ["-c", MIGRATE],
    env: { PATH: `${dir}:/usr/bin:/bin` },
  }).output();
  strictEqual(code, 0);
  const lines = (await Deno.readTextFile(log)).trim().split("\n");
  strictEqual(lines[1], "podman system migrate");
  strictEqual(lines[2], "systemctl --user start db.service web.service");
  await Deno.remove(dir, { recursive: true });
});
