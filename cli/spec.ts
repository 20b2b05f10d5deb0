/**
 * The command tree of `leger` as plain data: names, arguments, options and one
 * line of help each. Help is rendered from this table without loading the
 * argument parser (so `leger --help` starts fast), and the parser is built
 * from the same table, so the two cannot drift apart.
 *
 * @module
 */
import type { CliContext } from "./context.ts";

/** What every command module exports. */
export interface CommandModule {
  /** Runs the command and returns the exit code. */
  run(
    args: string[],
    options: Record<string, unknown>,
    context: CliContext,
  ): Promise<number>;
}

/** An option of a command, in commander's flag syntax. */
export interface OptionSpec {
  /** Such as `"--source <path>"` or `"-n, --lines <count>"`. */
  flags: string;
  description: string;
  /** Allowed values, checked by the parser. */
  choices?: readonly string[];
}

/** A command that runs (a leaf of the tree). */
export interface CommandSpec {
  name: string;
  summary: string;
  /** Positional arguments in commander syntax: `<name>` required, `[name]` optional. */
  args?: readonly string[];
  options?: readonly OptionSpec[];
  /** Examples shown under the command's help. */
  examples?: readonly string[];
  /** Loads the module whose `run(args, options, context)` does the work. */
  load(): Promise<CommandModule>;
}

/** A noun that groups verbs (`leger deploy …`). */
export interface GroupSpec {
  name: string;
  summary: string;
  commands: readonly CommandSpec[];
}

const JSON_OPTION: OptionSpec = {
  flags: "--json",
  description: "print one JSON document on stdout and nothing else",
};

const SCOPE_OPTION: OptionSpec = {
  flags: "--scope <scope>",
  description: "user (rootless, the default) or system (the default as root)",
  choices: ["user", "system"],
};

/** Options every command accepts. */
export const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  { flags: "--debug", description: "print stack traces with errors" },
  { flags: "-h, --help", description: "show help for a command" },
];

/** The command groups of `leger`, in the order help lists them. */
export const GROUPS: readonly GroupSpec[] = [
  {
    name: "deploy",
    summary: "Install and manage quadlet deployments",
    commands: [
      {
        name: "install",
        summary: "Install a deployment from a folder (now: --dry-run only)",
        args: ["[name]"],
        options: [
          {
            flags: "--source <path>",
            description: "the deployment's folder",
          },
          {
            flags: "--dry-run",
            description: "validate and show the plan without changing anything",
          },
          SCOPE_OPTION,
          JSON_OPTION,
        ],
        examples: [
          "leger deploy install --source ./my-app --dry-run",
          "leger deploy install --source ./my-app --dry-run --json | jq .secrets_required",
        ],
        load: () => import("./commands/deploy/install.ts"),
      },
    ],
  },
];

/** Commands that stand alone, without a group. */
export const TOP_COMMANDS: readonly CommandSpec[] = [
  {
    name: "validate",
    summary: "Check a deployment folder: syntax, keys, references, conflicts",
    args: ["<folder>"],
    options: [SCOPE_OPTION, JSON_OPTION],
    examples: ["leger validate ./my-app", "leger validate ./my-app --json"],
    load: () => import("./commands/validate.ts"),
  },
];
