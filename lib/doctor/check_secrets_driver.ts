import type { DoctorCheck } from "./types.ts";

/** What {@linkcode checkSecretsDriver} judges. */
export interface SecretsDriverFacts {
  /** `driver` of `[secrets]` in containers.conf (`file` by default). */
  driver: string;
  /** Podman's storage folder (`podman info`'s `store.graphRoot`, else its default). */
  graphRoot: string;
  /** Who owns the secrets: the rootless user, or `root`. */
  owner: string;
}

/**
 * Says plainly where Podman keeps the values of secrets (which legerd
 * writes from leger.run): its default `file` driver stores them
 * unencrypted, readable by their owner only (0600), under its storage
 * folder.
 *
 * @param facts The driver and the storage folder.
 * @returns `warn` for the `file` driver (or one leger does not know), with
 * what to do; `pass` for `pass` (encrypted with gpg) or `shell`.
 *
 * @example Usage
 * ```ts
 * import { checkSecretsDriver } from "./check_secrets_driver.ts";
 * import { match, strictEqual } from "node:assert/strict";
 *
 * const check = checkSecretsDriver({
 *   driver: "file", graphRoot: "/var/lib/containers/storage", owner: "root",
 * });
 * strictEqual(check.status, "warn");
 * match(check.detail, /unencrypted.*0600.*\/var\/lib\/containers\/storage\/secrets\/filedriver\/secretsdata\.json/s);
 * ```
 */
export function checkSecretsDriver(facts: SecretsDriverFacts): DoctorCheck {
  const { driver, graphRoot, owner } = facts;
  const base = { id: "secrets-driver", group: "podman" } as const;
  switch (driver) {
    case "file": {
      const where = `${graphRoot}/secrets/filedriver/secretsdata.json`;
      return {
        ...base,
        title: "Secrets driver: file (unencrypted)",
        status: "warn",
        detail:
          `Podman's file driver stores secret values unencrypted, readable only by ${owner} (mode 0600), in ${where}: root, anyone who gets into ${owner}'s account, and any copy of that folder can read them.`,
        fix: [
          "# keep that folder on an encrypted disk and out of unencrypted backups;",
          '# or have Podman keep secrets with pass (gpg): driver = "pass" under [secrets] in containers.conf, see containers.conf(5)',
        ].join("\n"),
      };
    }
    case "pass":
      return {
        ...base,
        title: "Secrets driver: pass",
        status: "pass",
        detail: "Podman keeps secret values with pass, encrypted with gpg.",
        fix: null,
      };
    case "shell":
      return {
        ...base,
        title: "Secrets driver: shell",
        status: "pass",
        detail:
          "Podman keeps secret values with the commands of [secrets.opts] in containers.conf: they are as safe as those commands keep them.",
        fix: null,
      };
    default:
      return {
        ...base,
        title: `Secrets driver: ${driver}`,
        status: "warn",
        detail:
          `Podman knows the drivers file, pass and shell: "${driver}" (driver under [secrets] in containers.conf) makes \`podman secret create\` fail, and legerd with it.`,
        fix:
          'podman secret ls   # shows Podman\'s error; set driver = "file", "pass" or "shell"',
      };
  }
}
