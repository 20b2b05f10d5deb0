import type { IdMapping } from "../adapters/podman_info.ts";
import type { DoctorCheck } from "./types.ts";

/** What {@linkcode checkSubIds} judges. */
export interface SubIdFacts {
  /** The rootless user's name. */
  user: string;
  /** The user's id (`/etc/subuid` may name the user by id). */
  uid: number;
  /** The text of `/etc/subuid`, or `null` when there is none. */
  subuid: string | null;
  /** The text of `/etc/subgid`, or `null` when there is none. */
  subgid: string | null;
  /**
   * The uid map Podman runs rootless containers with (`podman info`), or
   * `null` when Podman could not say.
   */
  podmanUidMap: IdMapping[] | null;
}

/** How many ids a rootless user needs: images use ids up to 65534 (`nobody`). */
export const SUB_IDS_NEEDED = 65536;

/** Where `useradd` starts subordinate ids (login.defs(5) `SUB_UID_MIN`). */
const SUB_ID_MIN = 100000;

interface Range {
  owner: string;
  start: number;
  count: number;
}

/**
 * Checks the subordinate uid and gid ranges of a rootless user
 * (`/etc/subuid`, `/etc/subgid`; subuid(5)): rootless Podman maps a
 * container's users onto them, and without 65,536 of each, images whose
 * files belong to users other than root fail to pull or run. When the files
 * give the ranges but Podman's namespace lacks them, Podman has to be told
 * (`podman system migrate`).
 *
 * @param facts The files, the user and Podman's map.
 * @returns `pass`; `warn` for fewer than 65,536 ids or a namespace that
 * does not use them yet; `fail` without a range, with the `usermod` command
 * that adds one where no other user's range is.
 *
 * @example Usage
 * ```ts
 * import { checkSubIds } from "./check_sub_ids.ts";
 * import { match, strictEqual } from "node:assert/strict";
 *
 * const check = checkSubIds({
 *   user: "bob", uid: 1001,
 *   subuid: "alice:100000:65536\n", subgid: "alice:100000:65536\n",
 *   podmanUidMap: null,
 * });
 * strictEqual(check.status, "fail");
 * match(check.fix!, /usermod --add-subuids 165536-231071 --add-subgids 165536-231071 bob/);
 * ```
 */
export function checkSubIds(facts: SubIdFacts): DoctorCheck {
  const { user, uid, podmanUidMap } = facts;
  const base = { id: "sub-ids", group: "host" } as const;
  const uids = parseSubIds(facts.subuid);
  const gids = parseSubIds(facts.subgid);
  const mine = (ranges: Range[]) =>
    ranges.filter((r) => r.owner === user || r.owner === String(uid))
      .reduce((sum, r) => sum + r.count, 0);
  const uidCount = mine(uids);
  const gidCount = mine(gids);
  // Podman's own map: the user's id, then what the ranges gave it (a
  // subid(5) NSS module may give them without /etc/subuid).
  const podmanCount = podmanUidMap === null
    ? null
    : podmanUidMap.slice(1).reduce((sum, m) => sum + m.size, 0);
  // `podman system migrate` stops every running container (podman-system-
  // migrate(1)), leger's services among them, and nothing starts them again.
  const migrate = [
    `running=$(podman ps --format '{{index .Labels "PODMAN_SYSTEMD_UNIT"}}' | sort -u)   # the services running now`,
    "podman system migrate   # so that Podman uses them: it stops every running container",
    '[ -z "$running" ] || systemctl --user start $running   # starts those services again',
  ].join("\n");
  if (uidCount >= SUB_IDS_NEEDED && gidCount >= SUB_IDS_NEEDED) {
    if (podmanCount === 0) {
      return {
        ...base,
        title: `${user} has ${uidCount} subordinate uids and ${gidCount} gids`,
        status: "warn",
        detail:
          `/etc/subuid and /etc/subgid give ${user} the ids, but Podman still runs with only ${user}'s own id (\`podman info\`): images whose files belong to other users fail to pull or run.`,
        fix: migrate,
      };
    }
    return {
      ...base,
      title: `${user} has ${uidCount} subordinate uids and ${gidCount} gids`,
      status: "pass",
      detail:
        `/etc/subuid and /etc/subgid: rootless containers can use ${SUB_IDS_NEEDED} ids or more.`,
      fix: null,
    };
  }
  if (
    uidCount === 0 && gidCount === 0 && podmanCount !== null &&
    podmanCount >= SUB_IDS_NEEDED
  ) {
    return {
      ...base,
      title: `${user} has ${podmanCount} subordinate uids`,
      status: "pass",
      detail:
        "Podman's user namespace holds them (`podman info`), though /etc/subuid does not list them (a subid NSS module gives them).",
      fix: null,
    };
  }
  const end = Math.max(
    SUB_ID_MIN,
    ...[...uids, ...gids].map((r) => r.start + r.count),
  );
  const range = `${end}-${end + SUB_IDS_NEEDED - 1}`;
  const flags = [
    ...(uidCount < SUB_IDS_NEEDED ? [`--add-subuids ${range}`] : []),
    ...(gidCount < SUB_IDS_NEEDED ? [`--add-subgids ${range}`] : []),
  ];
  const fix = [`sudo usermod ${flags.join(" ")} ${user}`, migrate].join("\n");
  const counts = `${uidCount} subordinate uids and ${gidCount} gids`;
  if (uidCount === 0 || gidCount === 0) {
    const missing = [
      ...(uidCount === 0 ? ["/etc/subuid"] : []),
      ...(gidCount === 0 ? ["/etc/subgid"] : []),
    ];
    return {
      ...base,
      title: `${user} has ${counts}`,
      status: "fail",
      detail: `${missing.join(" and ")} give${
        missing.length === 1 ? "s" : ""
      } ${user} no range: rootless Podman can map only ${user}'s own id, so images whose files belong to other users (most) fail to pull or run.`,
      fix,
    };
  }
  return {
    ...base,
    title: `${user} has ${counts}`,
    status: "warn",
    detail:
      `Fewer than ${SUB_IDS_NEEDED} of each: images whose files belong to users beyond them fail to pull or run.`,
    fix,
  };
}

/** The entries of /etc/subuid or /etc/subgid (`owner:start:count`). */
function parseSubIds(text: string | null): Range[] {
  const ranges: Range[] = [];
  for (const line of (text ?? "").split("\n")) {
    const match = /^\s*([^:#\s][^:]*):(\d+):(\d+)\s*$/.exec(line);
    if (match === null) continue;
    ranges.push({
      owner: match[1],
      start: Number(match[2]),
      count: Number(match[3]),
    });
  }
  return ranges;
}
