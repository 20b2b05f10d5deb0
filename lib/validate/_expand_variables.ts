/** A name systemd takes as an environment variable name (`env_name_is_valid`). */
export const ENV_NAME_REGEXP = /^[A-Za-z_][A-Za-z0-9_]*$/;

const WHITESPACE_REGEXP = /[ \t\n\r]+/;

/** What expanding one command-line word did. */
export interface Expansion {
  /**
   * The word as the process receives it; `null` when systemd drops it or
   * splits it into several words (a whole-word `$NAME`, unset or holding
   * white space).
   */
  value: string | null;
  /** Variables named `${NAME}` or `$NAME` that the environment does not set, in order. */
  unset: string[];
  /**
   * `$NAME` written inside a word: systemd passes it on as it is
   * (only `${NAME}`, or `$NAME` as a whole word, is expanded).
   */
  literal: string[];
  /** A whole-word `$…` whose rest is no variable name (`$PORT:80`): systemd drops the word. */
  badWord: boolean;
}

/**
 * Expands the variables of one word of an `ExecStart=` command line as
 * systemd does when it starts the service (systemd.service(5), "Command
 * lines"; `replace_env_argv`): `${NAME}` anywhere in the word is replaced by
 * the variable's value (empty when unset), `$$` by `$`, and a word that is
 * `$NAME` as a whole by the value split at white space (dropped when unset).
 * A `$NAME` inside a word stays as it is.
 */
export function expandWord(
  word: string,
  env: ReadonlyMap<string, string>,
): Expansion {
  const result: Expansion = {
    value: null,
    unset: [],
    literal: [],
    badWord: false,
  };
  if (word.startsWith("$") && word[1] !== "{" && word[1] !== "$") {
    const name = word.slice(1);
    if (!ENV_NAME_REGEXP.test(name)) {
      result.badWord = true;
      return result;
    }
    const value = env.get(name);
    if (value === undefined) {
      result.unset.push(name);
      return result;
    }
    const words = value.split(WHITESPACE_REGEXP).filter((w) => w !== "");
    result.value = words.length === 1 ? words[0] : null;
    return result;
  }
  let out = "";
  let i = 0;
  while (i < word.length) {
    const dollar = word.indexOf("$", i);
    if (dollar === -1) {
      out += word.slice(i);
      break;
    }
    out += word.slice(i, dollar);
    const next = word[dollar + 1];
    if (next === "$") {
      out += "$";
      i = dollar + 2;
      continue;
    }
    if (next === "{") {
      const close = word.indexOf("}", dollar + 2);
      if (close !== -1) {
        const name = word.slice(dollar + 2, close);
        const value = env.get(name);
        if (value === undefined) result.unset.push(name);
        out += value ?? "";
        i = close + 1;
        continue;
      }
    }
    const bare = /^[A-Za-z_][A-Za-z0-9_]*/.exec(word.slice(dollar + 1));
    if (bare !== null) result.literal.push(bare[0]);
    out += "$";
    i = dollar + 1;
  }
  result.value = out;
  return result;
}
