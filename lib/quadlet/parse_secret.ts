import type { SecretRef } from "./types.ts";

/** Options for {@linkcode parseSecret}. */
export interface ParseSecretOptions {
  /**
   * The file the value comes from, copied into the result.
   *
   * @default {""}
   */
  file?: string;
  /**
   * The line the value comes from, copied into the result.
   *
   * @default {0}
   */
  line?: number;
  /**
   * Read the value as a `.build` unit's build secret
   * (`id=NAME,src=FILE`, `id=NAME,type=env,env=VAR`, or a bare `NAME` taken
   * as the id), which `podman build` reads from the host instead of from
   * Podman's secret store.
   *
   * @default {false}
   */
  build?: boolean;
}

/**
 * Parses one `Secret=` word the way `podman run --secret` reads it.
 *
 * Podman's generator splits `Secret=` into words (unquoting and
 * C-unescaping) and passes each to `--secret` unchanged, so `spec` is the
 * word. The forms are `NAME`, `NAME,OPTION=…` and `source=NAME,OPTION=…`,
 * with the options `type=mount|env` (default `mount`), `target=`, `uid=`,
 * `gid=` and `mode=` (the last three for mounts only). `target` is `null`
 * when not given: Podman then mounts at `/run/secrets/NAME`, or for `env`
 * uses `NAME` as the variable.
 *
 * @param value One word of `Secret=`, such as `db-pass,type=env,target=PW`.
 * @param options Where the value comes from, and whether it is a build secret.
 * @returns The secret reference.
 * @throws {SyntaxError} When the value is not in a form Podman accepts.
 *
 * @example Usage
 * ```ts
 * import { parseSecret } from "./parse_secret.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * deepStrictEqual(parseSecret("source=api_key,type=env,target=API_KEY", { line: 5, file: "web.container" }), {
 *   name: "api_key", type: "env", target: "API_KEY",
 *   spec: "source=api_key,type=env,target=API_KEY", podmanSecret: true, line: 5, file: "web.container",
 * });
 * ```
 */
export function parseSecret(
  value: string,
  options: ParseSecretOptions = {},
): SecretRef {
  const { file = "", line = 0, build = false } = options;
  const parsed = build ? parseBuildSecret(value) : parseRunSecret(value);
  return { ...parsed, spec: value, line, file };
}

type Parsed = Pick<SecretRef, "name" | "type" | "target" | "podmanSecret">;

/** Podman's `parseSecrets` (pkg/specgenutil). */
function parseRunSecret(value: string): Parsed {
  const fields = value.split(",");
  if (fields.length === 1) {
    if (value === "") {
      throw new SyntaxError(
        `Cannot parse secret "${value}": the name is empty`,
      );
    }
    return { name: value, type: "mount", target: null, podmanSecret: true };
  }
  let name = "";
  let type: SecretRef["type"] | "" = "";
  let target: string | null = null;
  let mountOnly = false;
  let options = fields;
  if (!fields[0].includes("=")) {
    name = fields[0];
    options = fields.slice(1);
  }
  for (const option of options) {
    const eq = option.indexOf("=");
    if (eq === -1) {
      throw new SyntaxError(
        `Cannot parse secret "${value}": option "${option}" must be in form option=value`,
      );
    }
    const key = option.slice(0, eq);
    const optionValue = option.slice(eq + 1);
    switch (key) {
      case "source":
        name = optionValue;
        break;
      case "type":
        if (type !== "") {
          throw new SyntaxError(
            `Cannot parse secret "${value}": it sets more than one type`,
          );
        }
        if (optionValue !== "mount" && optionValue !== "env") {
          throw new SyntaxError(
            `Cannot parse secret "${value}": the type must be mount or env: current value is "${optionValue}"`,
          );
        }
        type = optionValue;
        break;
      case "target":
        target = optionValue;
        break;
      case "mode":
        mountOnly = true;
        checkNumber(value, key, optionValue, 8);
        break;
      case "uid":
      case "UID":
      case "gid":
      case "GID":
        mountOnly = true;
        checkNumber(value, key, optionValue, 10);
        break;
      default:
        throw new SyntaxError(
          `Cannot parse secret "${value}": option "${option}" is not known`,
        );
    }
  }
  if (name === "") {
    throw new SyntaxError(`Cannot parse secret "${value}": it names no secret`);
  }
  if (type === "env" && mountOnly) {
    throw new SyntaxError(
      `Cannot parse secret "${value}": uid, gid and mode cannot be set for type env`,
    );
  }
  return {
    name,
    type: type === "" ? "mount" : type,
    target,
    podmanSecret: true,
  };
}

function checkNumber(
  value: string,
  key: string,
  text: string,
  radix: 8 | 10,
): void {
  const digits = radix === 8 ? /^[0-7]+$/ : /^\d+$/;
  if (!digits.test(text) || parseInt(text, radix) > 0xffffffff) {
    throw new SyntaxError(
      `Cannot parse secret "${value}": ${key} must be a${
        radix === 8 ? "n octal" : ""
      } number: current value is "${text}"`,
    );
  }
}

/** Buildah's `--secret id=…,src=…|env=…,type=file|env`. */
function parseBuildSecret(value: string): Parsed {
  let id = "";
  let source = "";
  let type: SecretRef["type"] = "mount";
  const options = value.split(",");
  for (let i = 0; i < options.length; i++) {
    const option = options[i];
    const eq = option.indexOf("=");
    if (eq === -1 && i === 0 && option !== "") {
      // A bare first word: Podman's generator passes it on, podman build takes it as the id.
      id = option;
      continue;
    }
    const key = eq === -1 ? option : option.slice(0, eq);
    const optionValue = eq === -1 ? "" : option.slice(eq + 1);
    switch (key) {
      case "id":
        id = optionValue;
        break;
      case "src":
      case "source":
      case "env":
        source = optionValue;
        if (key === "env") type = "env";
        break;
      case "type":
        if (optionValue !== "file" && optionValue !== "env") {
          throw new SyntaxError(
            `Cannot parse build secret "${value}": the type must be file or env: current value is "${optionValue}"`,
          );
        }
        type = optionValue === "env" ? "env" : "mount";
        break;
      default:
        throw new SyntaxError(
          `Cannot parse build secret "${value}": option "${option}" is not known`,
        );
    }
  }
  const name = id === "" ? source : id;
  if (name === "") {
    throw new SyntaxError(
      `Cannot parse build secret "${value}": it sets no id`,
    );
  }
  return { name, type, target: null, podmanSecret: false };
}
