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
 * Why leger.run cannot hold a secret of this name, or `null` when it can:
 * leger.run takes 1 to 64 ASCII letters, digits, `:`, `_` or `-`, and
 * reserves {@linkcode RESERVED_SECRET_NAMES} for its own routes. Podman
 * accepts more (`db.pass`), so a unit may name a secret that legerd can
 * never bring from leger.run; `checkSecretName()` throws with this reason,
 * validation warns with it.
 *
 * @param name The secret's name.
 * @returns The reason, worded to follow a colon (`"." is not allowed`), or
 * `null`.
 *
 * @example Usage
 * ```ts
 * import { secretNameProblem } from "./secret_name_problem.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(secretNameProblem("api_token"), null);
 * strictEqual(secretNameProblem("db.pass"), '"." is not allowed');
 * strictEqual(secretNameProblem("selections"), "leger.run reserves it for its own routes");
 * ```
 */
export function secretNameProblem(name: string): string | null {
  if (RESERVED_SECRET_NAMES.includes(name)) {
    return "leger.run reserves it for its own routes";
  }
  if (SECRET_NAME_REGEXP.test(name)) return null;
  if (name.length === 0) return "it is empty";
  if (name.length > 64) {
    return `it has ${name.length} characters, at most 64 are allowed`;
  }
  const bad = [...name].find((c) => !/[a-zA-Z0-9:_-]/.test(c)) ?? name;
  return `${JSON.stringify(bad)} is not allowed`;
}
