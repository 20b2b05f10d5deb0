import {
  type CompletionFlag,
  type CompletionModel,
  completionModel,
  type CompletionWord,
} from "./completion_model.ts";
import { quote } from "./_shell_words.ts";
import { caseArms, caseLabel, type CaseStyle } from "./_case_arms.ts";

/**
 * Writes the zsh completion script of `leger` from the command table. It
 * reads the line as the bash script does (bash_script.ts) and offers the
 * same words, with help's one-line summaries beside groups, commands and
 * flags. It works both from a folder of `$fpath` (a file named `_leger`,
 * loaded by `compinit`) and sourced after `compinit`.
 *
 * @param model The command table as completions see it.
 * @returns The script.
 *
 * @example Usage
 * ```ts
 * import { zshScript } from "./zsh_script.ts";
 * import { match } from "node:assert/strict";
 *
 * const script = zshScript();
 * match(script, /^#compdef leger$/m);
 * match(script, /'deploy remove:0'\) _leger_dynamic deployments ;;/);
 * ```
 */
export function zshScript(model: CompletionModel = completionModel()): string {
  const groups = Object.keys(model.verbs);
  const arms = caseArms(model, ZSH);
  return `#compdef leger
# zsh completion for leger, written by \`leger completion zsh\` from its command table.
# Save it as _leger in a folder of $fpath, before compinit runs:
#   leger completion zsh > "\${fpath[1]}/_leger"
# or load it in this shell, after compinit: source <(leger completion zsh)

# Offers values read from leger's state by \`leger __complete KINDS\` (nothing on error).
_leger_dynamic() {
  local -a args values
  args=(__complete "$1")
  [[ -n $scope ]] && args+=(--scope "$scope")
  values=(\${(f)"$(command leger "\${args[@]}" 2>/dev/null)"})
  (( \${#values} )) && compadd -- "\${values[@]}"
  return 0
}

_leger() {
  local cur=\${words[CURRENT]} at= ran= npos=0 scope= expect= dashdash= seen= word i
  local -a specs
  for ((i = 2; i < CURRENT; i++)); do
    word=\${words[i]}
    if [[ -n $expect ]]; then
      [[ $expect == --scope ]] && scope=$word
      expect=
      continue
    fi
    if [[ -z $dashdash && $word == -?* ]]; then
      # The flags read, each after a space (a flag may stand for the arguments).
      seen+=" \${word%%=*}"
      case $word in
        # After --, no word is a command: before one, nothing fits.
        (--) [[ -z $ran ]] && return 1; dashdash=1 ;;
        (--scope=*) scope=\${word#--scope=} ;;
${arms.expect}
      esac
      continue
    fi
    if [[ -n $ran ]]; then
      npos=$((npos + 1))
      continue
    fi
    case "$at\${at:+ }$word" in
      (${groups.join("|")}) at=$word ;;
      (${arms.commands}) at="$at\${at:+ }$word" ran=1 ;;
      (*) return 1 ;;
    esac
  done
  # zsh keeps --flag=value as one word: complete the value after the "=".
  if [[ -z $expect && -z $dashdash && $cur == --*=* ]]; then
    case \${cur%%=*} in
${
    model.valueFlags.map((flag) =>
      `      (${flag.long}) expect=${flag.long} ;;`
    ).join("\n")
  }
    esac
    [[ -n $expect ]] && compset -P '*='
  fi
  if [[ -n $expect ]]; then
    case $expect in
${arms.flagValues}
    esac
    return 0
  fi
  if [[ -z $dashdash && $cur == -* ]]; then
    case $at in
      ('') specs=(${flagSpecs(model.programFlags)}) ;;
${
    model.commands.map((c) =>
      `      (${caseLabel(c.path)}) specs=(${flagSpecs(c.flags)}) ;;`
    ).join("\n")
  }
      (*) specs=(${flagSpecs(model.globalFlags)}) ;;
    esac
    _describe -t flags flag specs
    return 0
  fi
  if [[ -z $ran ]]; then
    case $at in
      ('') specs=(${wordSpecs(model.words)}) ;;
${
    groups.map((group) =>
      `      (${group}) specs=(${wordSpecs(model.verbs[group])}) ;;`
    ).join("\n")
  }
    esac
    _describe -t commands command specs
    return 0
  fi
  case "$at:$npos" in
${arms.args}
  esac
  return 0
}

if [[ $funcstack[1] == _leger ]]; then
  # Loaded by compinit from $fpath: this file is _leger's first run.
  _leger "$@"
elif (( $+functions[compdef] )); then
  compdef _leger leger
fi
`;
}

/** `'name:summary'` for `_describe` (a colon in a name is escaped). */
function spec(name: string, summary: string): string {
  return quote(`${name.replaceAll(":", "\\:")}:${summary}`);
}

function wordSpecs(words: readonly CompletionWord[]): string {
  return words.map((w) => spec(w.name, w.summary)).join(" ");
}

function flagSpecs(flags: readonly CompletionFlag[]): string {
  return flags.flatMap((flag) =>
    [flag.short, flag.long].filter((name) => name !== undefined).map((name) =>
      spec(name, flag.description)
    )
  ).join(" ");
}

/** zsh's arms (`(PATTERN)`), words offered through `compadd`. */
const ZSH: CaseStyle = {
  open: "(",
  offer: (words) => `compadd -- ${words.map(caseLabel).join(" ")}`,
  folders: "_files -/",
};
