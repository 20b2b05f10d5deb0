import { LegerError } from "../errors/leger_error.ts";
import {
  RESERVED_SECRET_NAMES,
  secretNameProblem,
} from "./secret_name_problem.ts";

/**
 * Checks that leger.run can hold a secret of this name: 1 to 64 ASCII
 * letters, digits, `:`, `_` or `-` (`^[a-zA-Z0-9:_-]{1,64}$`), and not one of
 * {@linkcode RESERVED_SECRET_NAMES}. leger checks before it asks leger.run
 * or legerd, so that the error names the rule and the fix
 * ({@linkcode secretNameProblem} says why without throwing).
 *
 * @param name The name, as the user typed it.
 * @throws {LegerError} `ERR_SECRET_NAME_INVALID` naming the name and what is
 * wrong with it.
 *
 * @example Usage
 * ```ts
 * import { checkSecretName } from "./check_secret_name.ts";
 * import { throws } from "node:assert/strict";
 *
 * checkSecretName("api_token");
 * throws(() => checkSecretName("selections"), { code: "ERR_SECRET_NAME_INVALID" });
 * throws(() => checkSecretName("db.password"), /"\." is not allowed/);
 * ```
 */
export function checkSecretName(name: string): void {
  const why = secretNameProblem(name);
  if (why === null) return;
  if (RESERVED_SECRET_NAMES.includes(name)) {
    throw new LegerError(
      "ERR_SECRET_NAME_INVALID",
      `Cannot use secret name "${name}": ${why}`,
      {
        remedy: `Choose another name; ${
          RESERVED_SECRET_NAMES.map((n) => `"${n}"`).join(" and ")
        } are reserved`,
      },
    );
  }
  throw new LegerError(
    "ERR_SECRET_NAME_INVALID",
    `Cannot use secret name ${JSON.stringify(name)}: ${why}`,
    {
      remedy:
        'Name the secret with 1 to 64 ASCII letters, digits, ":", "_" or "-"',
    },
  );
}
