import type { Finding } from "../errors/finding.ts";
import type { QuadletUnit } from "../quadlet/types.ts";
import { podmanSecretCreateHint } from "../secrets/podman_secret_create_hint.ts";
import {
  RESERVED_SECRET_NAMES,
  secretNameProblem,
} from "../secrets/secret_name_problem.ts";

/**
 * Finds the Podman secrets (`Secret=`) whose names leger.run cannot hold
 * (`db.pass`: Podman accepts the `.`, leger.run does not; or a name it
 * reserves). legerd can never bring such a secret from leger.run, and
 * `leger secrets set` refuses its name, so the unit waits for it until it
 * is created in Podman by hand. One warning (`ERR_SECRET_NAME_INVALID`) per
 * `Secret=` line, at its file (the unit or the drop-in that sets it) and
 * line, whose remedy is to rename the secret or to create it by hand (which
 * legerd then leaves alone and reports as unmanaged). Build secrets
 * (`Secret=id=…,src=…` of a `.build`) are read from the host, not from
 * Podman's store, and are skipped.
 *
 * @param quadlets The typed units of the deployment.
 * @returns The warnings, in unit order then line order.
 *
 * @example Usage
 * ```ts
 * import { checkSecretNames } from "./check_secret_names.ts";
 * import { parseUnit } from "../unit/parse_unit.ts";
 * import { toQuadletUnit } from "../quadlet/to_quadlet_unit.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const unit = parseUnit(
 *   "[Container]\nImage=busybox\nSecret=api_token\nSecret=db.pass,type=env,target=DB_PASS\n",
 *   { file: "web.container" },
 * );
 * const findings = checkSecretNames([toQuadletUnit(unit)]);
 * deepStrictEqual(findings.map((f) => [f.file, f.line, f.severity]), [["web.container", 4, "warning"]]);
 * ```
 */
export function checkSecretNames(quadlets: readonly QuadletUnit[]): Finding[] {
  return quadlets.flatMap((quadlet) =>
    quadlet.secrets.flatMap((secret): Finding[] => {
      if (!secret.podmanSecret) return [];
      const why = secretNameProblem(secret.name);
      if (why === null) return [];
      const rename = RESERVED_SECRET_NAMES.includes(secret.name)
        ? "to one leger.run does not reserve"
        : 'to 1 to 64 ASCII letters, digits, ":", "_" or "-"';
      return [{
        code: "ERR_SECRET_NAME_INVALID",
        severity: "warning",
        file: secret.file,
        line: secret.line,
        message:
          `Cannot keep secret "${secret.name}" in leger.run: ${why}, so legerd cannot create it in Podman and \`leger secrets set\` refuses the name`,
        remedy:
          `Rename the secret (here and in leger.run) ${rename}, or create it in Podman by hand with ${
            podmanSecretCreateHint(secret.name)
          }: legerd then leaves it alone and reports it unmanaged`,
      }];
    })
  );
}
