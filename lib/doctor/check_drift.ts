import type { Scope } from "../adapters/scope.ts";
import { shellWord } from "../adapters/shell_word.ts";
import type { DoctorCheck } from "./types.ts";

/** What {@linkcode checkDrift} judges. */
export interface DriftFacts {
  /** The deployment. */
  deployment: string;
  /** The scope (`systemctl --user` or not; `--scope` when it is not the user's default). */
  scope: Scope;
  /** Whether `--scope` must be given: the scope is not the default of the user running leger. */
  scopeFlag: boolean;
  /** The files leger installed (`deployments.yaml`), by path in the quadlet folder, with their SHA-256. */
  installed: readonly { name: string; sha256: string }[];
  /** The SHA-256 of each of those files in the quadlet folder now; `null` for one that is gone. */
  actual: ReadonlyMap<string, string | null>;
  /** The quadlet folder. */
  quadletDir: string;
  /** leger's copy of what it installed (`active/<name>/`). */
  activeDir: string;
  /**
   * The drop-ins in the quadlet folder that leger did not install and that
   * change units of this deployment (`web.container.d/zz.conf`, Podman's
   * type-wide `container.d/zz.conf`, a prefix folder `web-.container.d/`),
   * by path in the quadlet folder, each with the units it changes. One that
   * changes units of other deployments too is reported once, by one of
   * them: it lists their units too, names them (`deployments`), and the
   * fix restarts each of them that has services (`restart`).
   *
   * @default {[]}
   */
  foreignDropIns?: readonly ForeignDropInFacts[];
  /**
   * Whether the deployment has services to restart (one of only volumes
   * and networks has none).
   *
   * @default {true}
   */
  hasServices?: boolean;
}

/** A drop-in leger did not install, for {@linkcode DriftFacts}. */
export interface ForeignDropInFacts {
  /** Its path in the quadlet folder. */
  path: string;
  /** The units it changes. */
  units: readonly string[];
  /**
   * The deployments whose units it changes.
   *
   * @default {[the deployment checked]}
   */
  deployments?: readonly string[];
  /**
   * Those of them to restart once it is removed (those with services).
   *
   * @default {[the deployment checked], or none when it has no services}
   */
  restart?: readonly string[];
}

/** How many changed files the fix compares, one `diff` each. */
const MAX_DIFFS = 3;

/**
 * Checks that what leger installed is still there as it installed it: every
 * file of the deployment in the quadlet folder has the SHA-256 leger
 * recorded. A file edited behind leger's back runs as edited (and the next
 * update, which compares with leger's copy, does not restore it); a file
 * removed outside leger leaves its service gone.
 *
 * @param facts The recorded and the actual checksums.
 * @returns `pass`, or `fail` naming each changed and each removed file, with
 * the `diff` that shows a change and the commands that put back leger's
 * copy of each file (`active/<name>/`), reload systemd and restart the
 * deployment's services. (Installing it again from its source would not do:
 * a `.network` or `.volume` removed outside leger leaves its network or
 * volume behind, which the install then refuses as someone else's.)
 * Drop-ins leger did not install that change the deployment's units make a
 * `warn` (a user may add one on purpose): each is named with the units it
 * changes, and the fix is the line that removes it, reloads systemd and
 * restarts the deployment, or keeping it.
 *
 * @example Usage
 * ```ts
 * import { checkDrift } from "./check_drift.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const check = checkDrift({
 *   deployment: "web", scope: "user", scopeFlag: false,
 *   installed: [{ name: "web.container", sha256: "aa" }],
 *   actual: new Map([["web.container", null]]),
 *   quadletDir: "/home/a/.config/containers/systemd",
 *   activeDir: "/home/a/.local/share/bluebuild-quadlets/active/web",
 * });
 * strictEqual(check.status, "fail");
 * strictEqual(check.fix?.split("\n")[0], "install -D -m 644 /home/a/.local/share/bluebuild-quadlets/active/web/web.container /home/a/.config/containers/systemd/web.container   # puts back what leger installed");
 * ```
 */
export function checkDrift(facts: DriftFacts): DoctorCheck {
  const { deployment, installed, actual, quadletDir, activeDir } = facts;
  const { foreignDropIns = [], hasServices = true } = facts;
  const base = { id: `drift:${deployment}`, group: "deployments" } as const;
  const removed = installed.filter((f) => actual.get(f.name) === null);
  const changed = installed.filter((f) => {
    const sha = actual.get(f.name);
    return sha !== null && sha !== undefined && sha !== f.sha256;
  });
  const systemctl = facts.scope === "user" ? "systemctl --user" : "systemctl";
  const restartOf = (name: string) =>
    [
      "leger",
      "service",
      "restart",
      name,
      ...(facts.scopeFlag ? ["--scope", facts.scope] : []),
    ]
      .map(shellWord).join(" ");
  const restart = restartOf(deployment);
  const dropIns = dropInReport(
    foreignDropIns.map((d) => ({
      path: d.path,
      units: d.units,
      deployments: d.deployments ?? [deployment],
      restart: (d.restart ?? (hasServices ? [deployment] : [])).map(restartOf),
    })),
    { quadletDir, reload: `${systemctl} daemon-reload` },
  );
  if (removed.length === 0 && changed.length === 0) {
    if (dropIns !== null) {
      return {
        ...base,
        title: `${deployment}: ${foreignDropIns.length} drop-in${
          foreignDropIns.length === 1 ? "" : "s"
        } leger did not install change${
          foreignDropIns.length === 1 ? "s" : ""
        } its units`,
        status: "warn",
        detail: [
          `Its ${installed.length} file${
            installed.length === 1 ? " is" : "s are"
          } as leger installed ${installed.length === 1 ? "it" : "them"}, but:`,
          ...dropIns.detail,
        ].join("\n"),
        fix: dropIns.fix.join("\n"),
      };
    }
    return {
      ...base,
      title: `${deployment}: its ${installed.length} file${
        installed.length === 1 ? " is" : "s are"
      } as leger installed ${installed.length === 1 ? "it" : "them"}`,
      status: "pass",
      detail: `In ${quadletDir}.`,
      fix: null,
    };
  }
  const names = (files: readonly { name: string }[]) =>
    files.map((f) => f.name).join(", ");
  const detail = [
    ...(changed.length === 0 ? [] : [
      `Changed outside leger: ${
        names(changed)
      }. systemd runs the edit from its next daemon-reload, and \`leger deploy update\` keeps it (it compares with leger's copy in ${activeDir}).`,
    ]),
    ...(removed.length === 0 ? [] : [
      `Removed outside leger: ${names(removed)} (from ${quadletDir}).`,
    ]),
  ];
  return {
    ...base,
    title: `${deployment}: ${
      [
        changed.length === 0 ? "" : `${changed.length} changed`,
        removed.length === 0 ? "" : `${removed.length} removed`,
      ].filter((s) => s !== "").join(", ")
    } outside leger`,
    status: "fail",
    detail: [...detail, ...(dropIns?.detail ?? [])].join("\n"),
    fix: [
      ...changed.slice(0, MAX_DIFFS).map((f) =>
        `diff -u ${shellWord(`${activeDir}/${f.name}`)} ${
          shellWord(`${quadletDir}/${f.name}`)
        }   # what changed`
      ),
      ...[...changed, ...removed].map((f) =>
        `install -D -m 644 ${shellWord(`${activeDir}/${f.name}`)} ${
          shellWord(`${quadletDir}/${f.name}`)
        }   # puts back what leger installed`
      ),
      `${systemctl} daemon-reload`,
      // A deployment of only volumes or networks has no service to restart.
      ...(hasServices ? [`${restart}   # runs it as installed`] : []),
      ...(dropIns?.fix ?? []),
    ].join("\n"),
  };
}

/**
 * The detail lines naming each drop-in leger did not install and the units
 * it changes, and the fix lines: remove it (then reload and restart each
 * deployment it changes), or keep it; `null` when there is none.
 */
function dropInReport(
  dropIns: readonly {
    path: string;
    units: readonly string[];
    deployments: readonly string[];
    restart: readonly string[];
  }[],
  commands: { quadletDir: string; reload: string },
): { detail: string[]; fix: string[] } | null {
  if (dropIns.length === 0) return null;
  const { quadletDir, reload } = commands;
  return {
    detail: dropIns.map((d) =>
      `Drop-in not installed by leger: ${quadletDir}/${d.path} changes ${
        d.units.join(", ")
      }${
        d.deployments.length > 1
          ? ` (of ${d.deployments.slice(0, -1).join(", ")} and ${
            d.deployments.at(-1)
          })`
          : ""
      } (systemd runs ${
        d.units.length === 1 ? "it" : "them"
      } with it from the next daemon-reload; \`leger deploy update\` leaves it alone).`
    ),
    fix: [
      ...dropIns.map((d) =>
        [`rm ${shellWord(`${quadletDir}/${d.path}`)}`, reload, ...d.restart]
          .join(" && ") + "   # drops it"
      ),
      `# or keep ${
        dropIns.length === 1 ? "it" : "them"
      } (added on purpose): nothing to do`,
    ],
  };
}
