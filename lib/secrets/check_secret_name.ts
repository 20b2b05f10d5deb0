import { LegerError } from "../errors/leger_error.ts";

const SECRET_NAME_REGEXP = /^[a-zA-Z0-9:_-]{1,64}$/;

/**
 * Names leger.run keeps for its own routes under `/secrets/`: a secret may
 * not have them.
 */
export const RESERVED_SECRET_NAMES: readonly string[] = [
  "selections",
  "select-provider",
];

/**
 * Checks that leger.run can hold a secret of this name: 1 to 64 ASCII
 * letters, digits, `:`, `_` or `-` (`^[a-zA-Z0-9:_-]{1,64}$`), and not one of
 * {@linkcode RESERVED_SECRET_NAMES}. leger checks before it asks leger.run
 * or legerd, so that the error names the rule and the fix.
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
  const rule =
    'Name the secret with 1 to 64 ASCII letters, digits, ":", "_" or "-"';
  if (RESERVED_SECRET_NAMES.includes(name)) {
    throw new LegerError(
      "ERR_SECRET_NAME_INVALID",
      `Cannot use secret name "${name}": leger.run reserves it for its own routes`,
      {
        remedy: `Choose another name; ${
          RESERVED_SECRET_NAMES.map((n) => `"${n}"`).join(" and ")
        } are reserved`,
      },
    );
  }
  if (SECRET_NAME_REGEXP.test(name)) return;
  const why = name.length === 0
    ? "it is empty"
    : name.length > 64
    ? `it has ${name.length} characters, at most 64 are allowed`
    : `${JSON.stringify(firstBad(name))} is not allowed`;
  throw new LegerError(
    "ERR_SECRET_NAME_INVALID",
    `Cannot use secret name ${JSON.stringify(name)}: ${why}`,
    { remedy: rule },
  );
}

function firstBad(name: string): string {
  return [...name].find((c) => !/[a-zA-Z0-9:_-]/.test(c)) ?? name;
}
