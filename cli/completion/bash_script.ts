import { type CompletionModel, completionModel } from "./completion_model.ts";
import { flagNames } from "./_shell_words.ts";
import { caseArms, caseLabel, type CaseStyle } from "./_case_arms.ts";

/**
 * Writes the bash completion script of `leger` from the command table:
 * `_leger` reads the words typed so far as leger's parser does (flags
 * anywhere, the word after a flag that takes a value is its value, `--`
 * ends the flags), then offers the group, command, flag, choice or argument
 * that fits the word under the cursor. Deployment names, services, staged
 * deployments and backup ids come from `leger __complete`, with the
 * `--scope` of the line; folders from bash itself.
 *
 * @param model The command table as completions see it.
 * @returns The script, for `source <(leger completion bash)`.
 *
 * @example Usage
 * ```ts
 * import { bashScript } from "./bash_script.ts";
 * import { match } from "node:assert/strict";
 *
 * const script = bashScript();
 * match(script, /^complete -F _leger leger$/m);
 * match(script, /'deploy remove:0'\) _leger_dynamic deployments ;;/);
 * ```
 */
export function bashScript(model: CompletionModel = completionModel()): string {
  const groups = Object.keys(model.verbs);
  const arms = caseArms(model, BASH);
  const groupFlags = offer(model.globalFlags.flatMap(flagNames));
  return `# bash completion for leger, written by \`leger completion bash\` from its command table.
# Load it with: source <(leger completion bash)
# or save it as ~/.local/share/bash-completion/completions/leger

# Offers the words that start with the word under the cursor.
_leger_offer() {
  local word
  for word; do
    [[ $word == "$cur"* ]] && COMPREPLY+=("$word")
  done
}

# Offers values read from leger's state by \`leger __complete KINDS\` (nothing on error).
_leger_dynamic() {
  local -a args=(__complete "$1")
  [[ -n $scope ]] && args+=(--scope "$scope")
  local value
  while IFS= read -r value; do
    [[ $value == "$cur"* ]] && COMPREPLY+=("$value")
  done < <(command leger "\${args[@]}" 2>/dev/null)
}

# Offers folders, as bash completes file names.
_leger_folders() {
  compopt -o filenames 2>/dev/null
  local IFS=$'\\n'
  COMPREPLY+=($(compgen -d -- "$cur"))
}

_leger() {
  local cur=\${COMP_WORDS[COMP_CWORD]} path= ran= npos=0 scope= expect= dashdash= seen= word i
  COMPREPLY=()
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=\${COMP_WORDS[i]}
    if [[ -n $expect ]]; then
      # bash splits --flag=value at the "=".
      [[ $word == = ]] && continue
      [[ $expect == --scope ]] && scope=$word
      expect=
      continue
    fi
    if [[ -z $dashdash && $word == -?* ]]; then
      # The flags read, each after a space (a flag may stand for the arguments).
      seen+=" \${word%%=*}"
      case $word in
        # After --, no word is a command: before one, nothing fits.
        --) [[ -z $ran ]] && return 0; dashdash=1 ;;
        --scope=*) scope=\${word#--scope=} ;;
${arms.expect}
      esac
      continue
    fi
    if [[ -n $ran ]]; then
      npos=$((npos + 1))
      continue
    fi
    case "$path\${path:+ }$word" in
      ${groups.join("|")}) path=$word ;;
      ${arms.commands}) path="$path\${path:+ }$word" ran=1 ;;
      *) return 0 ;;
    esac
  done
  [[ $cur == = && -n $expect ]] && cur=
  if [[ -n $expect ]]; then
    case $expect in
${arms.flagValues}
    esac
    return 0
  fi
  if [[ -z $dashdash && $cur == -* ]]; then
    case $path in
      '') ${offer(model.programFlags.flatMap(flagNames))} ;;
${
    model.commands.map((c) =>
      `      ${caseLabel(c.path)}) ${offer(c.flags.flatMap(flagNames))} ;;`
    ).join("\n")
  }
      *) ${groupFlags} ;;
    esac
    return 0
  fi
  if [[ -z $ran ]]; then
    case $path in
      '') ${offer(model.words.map((w) => w.name))} ;;
${
    groups.map((group) =>
      `      ${group}) ${offer(model.verbs[group].map((w) => w.name))} ;;`
    ).join("\n")
  }
    esac
    return 0
  fi
  case "$path:$npos" in
${arms.args}
  esac
  return 0
}

complete -F _leger leger
`;
}

function offer(words: readonly string[]): string {
  return `_leger_offer ${words.map(caseLabel).join(" ")}`;
}

/** bash's arms (`PATTERN)`), words offered through `_leger_offer`. */
const BASH: CaseStyle = { open: "", offer, folders: "_leger_folders" };
