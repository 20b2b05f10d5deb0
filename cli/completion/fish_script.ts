import type { CompletionKind } from "../spec.ts";
import {
  type CompletionFlag,
  type CompletionModel,
  completionModel,
} from "./completion_model.ts";
import { quote } from "./_shell_words.ts";

/**
 * Writes the fish completion script of `leger` from the command table: one
 * `complete` line for each group, command, flag and argument, each under a
 * condition that reads the line as leger's parser does (flags anywhere, the
 * word after a flag that takes a value is its value, `--` ends the flags),
 * with help's one-line summaries as descriptions. Deployment names,
 * services, staged deployments and backup ids come from
 * `leger __complete`, with the `--scope` of the line.
 *
 * @param model The command table as completions see it.
 * @returns The script, for `leger completion fish | source`.
 *
 * @example Usage
 * ```ts
 * import { fishScript } from "./fish_script.ts";
 * import { match } from "node:assert/strict";
 *
 * const script = fishScript();
 * match(script, /__leger_arg 'deploy remove' 0.*__leger_values deployments/);
 * ```
 */
export function fishScript(model: CompletionModel = completionModel()): string {
  const groups = Object.keys(model.verbs);
  const lines = [
    `# fish completion for leger, written by \`leger completion fish\` from its command table.
# Load it with: leger completion fish | source
# or save it: leger completion fish > ~/.config/fish/completions/leger.fish

# Reads the words before the cursor as leger's parser does, into
# __leger_path (the group and command words), __leger_ran (1 once they name
# a command), __leger_npos (the arguments after them), __leger_scope (the
# --scope given), __leger_expect (the flag whose value is under the cursor)
# and __leger_flags (the flags given, without their values).
function __leger_read_line
    set -g __leger_path
    set -g __leger_ran 0
    set -g __leger_npos 0
    set -g __leger_scope
    set -g __leger_expect
    set -g __leger_flags
    set -l dashdash 0
    for word in (commandline -opc)[2..-1]
        if test -n "$__leger_expect"
            test "$__leger_expect" = --scope; and set -g __leger_scope $word
            set -g __leger_expect
            continue
        end
        if test $dashdash = 0; and string match -q -- '-?*' $word
            set -a -g __leger_flags (string replace -r -- '=.*' '' $word)
            if test $word = --
                # After --, no word is a command: before one, nothing fits.
                if test $__leger_ran = 0
                    set -g __leger_path '?'
                    set -g __leger_ran 2
                    return
                end
                set dashdash 1
            else if string match -q -- '--scope=*' $word
                set -g __leger_scope (string replace -- --scope= '' $word)
${
      model.valueFlags.map((flag) =>
        `            else if string match -rq -- ${
          quote(valueFlagRegExp(flag), "fish")
        } $word
                set -g __leger_expect ${flag.long}`
      ).join("\n")
    }
            end
            continue
        end
        if test $__leger_ran = 1
            set -g __leger_npos (math $__leger_npos + 1)
            continue
        end
        switch (string join ' ' $__leger_path $word)
            case ${groups.join(" ")}
                set -g __leger_path $word
            case ${model.commands.map((c) => quote(c.path, "fish")).join(" ")}
                set -g __leger_path $__leger_path $word
                set -g __leger_ran 1
            case '*'
                # An unknown word: offer nothing after it.
                set -g __leger_path '?'
                set -g __leger_ran 2
                return
        end
    end
end

# Whether the word under the cursor is the next group or command word after PATH.
function __leger_at
    __leger_read_line
    test $__leger_ran = 0 -a -z "$__leger_expect" -a "$__leger_path" = "$argv[1]"
end

# Whether the words name the command PATH.
function __leger_in
    __leger_read_line
    test $__leger_ran = 1 -a "$__leger_path" = "$argv[1]"
end

# Whether the word under the cursor is argument N (from 0) of the command PATH.
function __leger_arg
    __leger_in $argv[1]; and test -z "$__leger_expect" -a $__leger_npos = $argv[2]
end

# Whether one of the flags was given (a flag that takes the place of the arguments).
function __leger_given
    for flag in $argv
        contains -- $flag $__leger_flags; and return 0
    end
    return 1
end

# Prints values read from leger's state by \`leger __complete KINDS\` (nothing on error).
function __leger_values
    __leger_read_line
    if test -n "$__leger_scope"
        command leger __complete $argv[1] --scope $__leger_scope 2>/dev/null
    else
        command leger __complete $argv[1] 2>/dev/null
    end
end

complete -c leger -f`,
    ...model.words.map((w) =>
      `complete -c leger -n "__leger_at ''" -a ${quote(w.name, "fish")} -d ${
        quote(w.summary, "fish")
      }`
    ),
    ...groups.flatMap((group) =>
      model.verbs[group].map((w) =>
        `complete -c leger -n "__leger_at ${group}" -a ${
          quote(w.name, "fish")
        } -d ${quote(w.summary, "fish")}`
      )
    ),
    ...model.globalFlags.map((flag) => completeFlag(flag, "")),
    ...model.programFlags.filter((flag) => !model.globalFlags.includes(flag))
      .map((flag) => completeFlag(flag, `-n "__leger_at ''" `)),
    ...model.commands.flatMap((c) => [
      ...c.flags.filter((flag) => !model.globalFlags.includes(flag)).map((
        flag,
      ) => completeFlag(flag, `-n "__leger_in ${quote(c.path, "fish")}" `)),
      ...c.args.flatMap((arg, index) => {
        const action = values(arg.values, arg.kinds);
        return action === "" ? [] : [
          `complete -c leger -n "__leger_arg ${quote(c.path, "fish")} ${index}${
            c.argsReplacedBy.length === 0
              ? ""
              : `; and not __leger_given ${c.argsReplacedBy.join(" ")}`
          }" -a ${action}`,
        ];
      }),
    ]),
  ];
  return lines.join("\n") + "\n";
}

/** The words that are the flag (a cluster that ends with its letter too). */
function valueFlagRegExp(flag: CompletionFlag): string {
  const names = [flag.long, ...(flag.short === undefined ? [] : [flag.short])];
  const cluster = flag.short === undefined ? "" : `|-[^-].*${flag.short[1]}`;
  return `^(${names.join("|")}${cluster})$`;
}

function completeFlag(flag: CompletionFlag, condition: string): string {
  const short = flag.short === undefined ? "" : ` -s ${flag.short[1]}`;
  const value = flag.takesValue
    ? ` -x${
      values(flag.choices, flag.kinds) === ""
        ? ""
        : ` -a ${values(flag.choices, flag.kinds)}`
    }`
    : "";
  return `complete -c leger ${condition}-l ${
    flag.long.slice(2)
  }${short}${value} -d ${quote(flag.description, "fish")}`;
}

/** The `-a` argument that offers static values and kinds; empty when there are none. */
function values(
  words: readonly string[],
  kinds: readonly CompletionKind[],
): string {
  const read = kinds.filter((kind) => kind !== "folders");
  const parts = [
    ...words,
    ...(read.length > 0 ? [`(__leger_values ${read.join(",")})`] : []),
    ...(kinds.includes("folders")
      ? ["(__fish_complete_directories (commandline -ct))"]
      : []),
  ];
  return parts.length === 0 ? "" : quote(parts.join(" "), "fish");
}
