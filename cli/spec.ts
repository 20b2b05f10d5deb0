/**
 * The command tree of `leger` as plain data: names, arguments, options and one
 * line of help each. Help is rendered from this table without loading the
 * argument parser (so `leger --help` starts fast), and the parser is built
 * from the same table, so the two cannot drift apart.
 *
 * @module
 */
import type { CommandDeps } from "./deps.ts";

/** What every command module exports. */
export interface CommandModule<Options = unknown> {
  /**
   * Turns the parsed command line into the command's typed options: every
   * flag check and usage error of the command lives here.
   */
  parse(line: CommandLine): Options;
  /** Runs the command with what touches the host in `deps`; returns the exit code. */
  run(options: Options, deps: CommandDeps): Promise<number>;
}

/** A command line as the parser read it against the table. */
export interface CommandLine {
  /** The positional arguments, in order. */
  args: string[];
  /** The options by camelCase name (`--dry-run` → `dryRun`). */
  options: Record<string, string | boolean | string[] | undefined>;
}

/**
 * An option of a command, in commander's flag syntax. The parser
 * (parse_args.ts) reads `flags` to tell `node:util` which flags take a value
 * and which letter is short for which; help (help.ts) prints `flags` as
 * written.
 *
 * A flag keeps the same meaning in every command that declares it: the same
 * short letter and whether it takes a value (the parser finds the command only
 * after reading the flags before it, as in `leger --json deploy list`, and
 * refuses a table that breaks this).
 *
 * @example Usage
 * ```ts
 * import type { OptionSpec } from "./spec.ts";
 * import { ok } from "node:assert/strict";
 *
 * const lines: OptionSpec = {
 *   flags: "-n, --lines <count>",
 *   description: "how many lines (default 100)",
 * };
 * ok(lines.flags.includes("<"));
 * ```
 */
export interface OptionSpec {
  /**
   * `--name`, `-s, --name`, either followed by `<value>` when the flag takes
   * a value: `"--source <path>"`, `"-n, --lines <count>"`. A flag named
   * `--no-x` sets the option `x` to `false`.
   */
  flags: string;
  /** One line for help. */
  description: string;
  /** Allowed values, checked by the parser. */
  choices?: readonly string[];
  /**
   * Whether the flag may be given more than once; its option is then the
   * list of values (`string[]`). Any other flag given twice is a usage error.
   *
   * @default {false}
   */
  multiple?: boolean;
  /**
   * What a shell offers for the value of a flag that takes one and has no
   * `choices` (which the shells offer themselves).
   */
  complete?: readonly CompletionKind[];
  /**
   * Whether the flag takes the place of the command's arguments
   * (`deploy update --all` names no deployment): once it is on the line,
   * the completion scripts offer no argument.
   *
   * @default {false}
   */
  replacesArgs?: boolean;
}

/**
 * A kind of value a shell completes for an argument or a flag's value
 * (cli/completion/): read from leger's state by the hidden
 * `leger __complete` (`deployments`: installed ones;
 * `deployments-with-services`: those of them with services, which `leger
 * service` acts on; `services`: the services of installed deployments;
 * `staged`: staged deployments;
 * `backups`: backup ids; `scopes`; `shells`), or `folders`, which the shell
 * completes itself.
 *
 * @example Usage
 * ```ts
 * import type { CompletionKind } from "./spec.ts";
 * import { ok } from "node:assert/strict";
 *
 * const kinds: CompletionKind[] = ["services", "deployments"];
 * ok(kinds.includes("deployments"));
 * ```
 */
export type CompletionKind =
  | "deployments"
  | "deployments-with-services"
  | "services"
  | "staged"
  | "backups"
  | "scopes"
  | "shells"
  | "folders";

/** A command that runs (a leaf of the tree). */
export interface CommandSpec {
  name: string;
  summary: string;
  /** Positional arguments in commander syntax: `<name>` required, `[name]` optional. */
  args?: readonly string[];
  /**
   * For each of `args`, in order, the kinds of value a shell offers for it
   * (`[["services", "deployments"]]`); an argument without one gets none.
   */
  complete?: readonly (readonly CompletionKind[])[];
  /**
   * Said instead of the extra arguments when there are more than `args`,
   * which are then not shown: for a command where a user may type a
   * secret as one (`secrets set NAME VALUE`).
   */
  extraArgsHint?: string;
  options?: readonly OptionSpec[];
  /** Examples shown under the command's help. */
  examples?: readonly string[];
  /**
   * The module under cli/commands/ (without `.ts`) whose `run(args, options,
   * context)` does the work. program.ts imports it by a computed URL, so that
   * Deno does not load every command's module graph at start-up (measured:
   * ~11 ms on `leger --version`); `deno compile` needs `--include cli/commands`.
   */
  module: string;
  /**
   * What `--json` prints, for a command that declares it: one JSON document
   * (the result, or `{"error": …}`), or JSON lines, one object per line
   * (`service logs`), where an error is one more line.
   *
   * @default {"document"}
   */
  jsonOutput?: "document" | "lines";
  /**
   * A command for leger's own use (`__complete`, which the completion
   * scripts run): left out of help's lists, suggestions and completions.
   *
   * @default {false}
   */
  hidden?: boolean;
}

/** A noun that groups verbs (`leger deploy …`). */
export interface GroupSpec {
  name: string;
  summary: string;
  commands: readonly CommandSpec[];
  /**
   * Examples shown under the group's help, covering its commands; without
   * them, the help shows the first example of each command.
   */
  examples?: readonly string[];
}

const JSON_OPTION: OptionSpec = {
  flags: "--json",
  description: "print one JSON document on stdout and nothing else",
};

const SOURCE_OPTION: OptionSpec = {
  flags: "--source <source>",
  description:
    "a folder, a Git repository folder URL, or a leger.run version URL (default: your leger.run space)",
  complete: ["folders"],
};

const WAIT_OPTION: OptionSpec = {
  flags: "--wait",
  description: "wait for another leger process to finish instead of failing",
};

const TIMEOUT_OPTION: OptionSpec = {
  flags: "--timeout <seconds>",
  description:
    "give up fetching a Git or leger.run source after this many seconds (default 60)",
};

const SCOPE_OPTION: OptionSpec = {
  flags: "--scope <scope>",
  description: "user (rootless, the default) or system (the default as root)",
  choices: ["user", "system"],
};

/**
 * Options every command accepts, before or after the command's words
 * (`leger --debug deploy list`). `-h, --help` anywhere before `--` shows help
 * instead of running the command.
 *
 * @example Usage
 * ```ts
 * import { GLOBAL_OPTIONS } from "./spec.ts";
 * import { ok } from "node:assert/strict";
 *
 * ok(GLOBAL_OPTIONS.some((option) => option.flags === "--debug"));
 * ```
 */
export const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  { flags: "--debug", description: "print stack traces with errors" },
  {
    flags: "-h, --help",
    description: "show help for a command instead of running it",
  },
];

/** The command groups of `leger`, in the order help lists them. */
export const GROUPS: readonly GroupSpec[] = [
  {
    name: "deploy",
    summary: "Install and manage quadlet deployments",
    examples: [
      "leger deploy install --source ./my-app",
      "leger deploy list",
      "leger deploy update myapp --dry-run",
      "leger deploy remove myapp",
    ],
    commands: [
      {
        name: "install",
        summary:
          "Fetch, check, install and start a deployment; roll back if any step fails",
        args: ["[name]"],
        options: [
          SOURCE_OPTION,
          {
            flags: "--version <version>",
            description: "a version of your leger.run space (latest, vN)",
          },
          {
            flags: "--dry-run",
            description: "validate and show the plan without changing anything",
          },
          {
            flags: "--no-start",
            description: "install the units but do not start them",
          },
          {
            flags: "--no-pull",
            description:
              "do not pull the images first (systemd pulls them at start)",
          },
          {
            flags: "--force",
            description: "install despite conflicts with this host",
          },
          { flags: "-y, --yes", description: "do not ask for confirmation" },
          WAIT_OPTION,
          TIMEOUT_OPTION,
          SCOPE_OPTION,
          JSON_OPTION,
        ],
        examples: [
          "leger deploy install --source ./my-app",
          "leger deploy install --source ./my-app --dry-run",
          "leger deploy install --source https://github.com/org/quadlets/tree/main/nginx --dry-run",
          "leger deploy install --source ./my-app --dry-run --json | jq .secrets_required",
        ],
        module: "deploy/install",
      },
      {
        name: "list",
        summary: "List installed deployments and the state of their services",
        options: [
          {
            flags: "--scope <scope>",
            description: "only this scope (default: every scope you can see)",
            choices: ["user", "system"],
          },
          JSON_OPTION,
        ],
        examples: ["leger deploy list", "leger deploy list --json"],
        module: "deploy/list",
      },
      {
        name: "remove",
        summary:
          "Stop a deployment's services and remove its units (volumes are kept)",
        args: ["<deployment>"],
        complete: [["deployments"]],
        options: [
          {
            flags: "--keep-volumes",
            description: "keep the deployment's volumes (the default)",
          },
          {
            flags: "--remove-volumes",
            description: "remove the deployment's volumes too",
          },
          {
            flags: "--backup-volumes",
            description:
              "first back the deployment up, volumes included, and print the backup's id",
          },
          {
            flags: "--force",
            description:
              "remove what leger kept of a deployment whose record is missing or damaged",
          },
          { flags: "-y, --yes", description: "do not ask for confirmation" },
          WAIT_OPTION,
          SCOPE_OPTION,
          JSON_OPTION,
        ],
        examples: [
          "leger deploy remove myapp",
          "leger deploy remove myapp --remove-volumes --yes",
          "leger deploy remove myapp --backup-volumes --remove-volumes --yes",
          "leger deploy remove myapp --yes --json | jq .kept_volumes",
        ],
        module: "deploy/remove",
      },
      {
        name: "update",
        summary:
          "Fetch a deployment again, back it up, and restart only what changed; roll back if any step fails",
        args: ["[deployment]"],
        complete: [["deployments"]],
        options: [
          {
            flags: "--all",
            description:
              "update every deployment of the scope, one after the other, each on its own",
            replacesArgs: true,
          },
          {
            flags: "--source <source>",
            description:
              "fetch from this folder, Git repository folder URL or leger.run version URL instead of the recorded source",
            complete: ["folders"],
          },
          {
            flags: "--version <version>",
            description: "a version of your leger.run space (latest, vN)",
          },
          {
            flags: "--no-backup",
            description:
              "do not take the automatic backup (files and volumes) first",
          },
          {
            flags: "--no-pull",
            description:
              "do not pull the images first (systemd pulls them at start)",
          },
          {
            flags: "--dry-run",
            description:
              "validate, stage and show what would change without applying it",
          },
          {
            flags: "--force",
            description: "update despite conflicts with this host",
          },
          { flags: "-y, --yes", description: "do not ask for confirmation" },
          WAIT_OPTION,
          TIMEOUT_OPTION,
          SCOPE_OPTION,
          JSON_OPTION,
        ],
        examples: [
          "leger deploy update myapp",
          "leger deploy update myapp --dry-run",
          "leger deploy update myapp --version v3 --yes",
          "leger deploy update --all --yes --json | jq '.[] | {deployment, outcome}'",
        ],
        module: "deploy/update",
      },
    ],
  },
  {
    name: "service",
    summary: "Read the logs of a service, start, stop or restart it",
    examples: [
      "leger service logs myapp -f",
      "leger service restart web",
      "leger service stop myapp",
      "leger service start myapp",
    ],
    commands: [
      {
        name: "logs",
        summary:
          "Show the journal of a service, or of all of a deployment's services",
        args: ["<service|deployment>"],
        complete: [["services", "deployments-with-services"]],
        options: [
          { flags: "-f, --follow", description: "keep printing new lines" },
          {
            flags: "-n, --lines <count>",
            description:
              "how many lines (default 100; of a deployment's services together)",
          },
          {
            flags: "--since <time>",
            description:
              "lines since then (journalctl's forms: 1h ago, 2026-11-27 10:00)",
          },
          SCOPE_OPTION,
          {
            flags: "--json",
            description:
              "print the journal entries as JSON lines, one object each (journalctl --output json)",
          },
        ],
        examples: [
          "leger service logs web",
          "leger service logs web -f -n 20",
          "leger service logs myapp -f",
          "leger service logs web --json | jq -r .MESSAGE",
        ],
        module: "service/logs",
        jsonOutput: "lines",
      },
      ...([
        "start",
        "stop",
        "restart",
      ] as const).map((verb): CommandSpec => ({
        name: verb,
        summary: `${verb[0].toUpperCase()}${
          verb.slice(1)
        } a service, or all of a deployment's, and wait for the new state`,
        args: ["<service|deployment>"],
        complete: [["services", "deployments-with-services"]],
        options: [SCOPE_OPTION, JSON_OPTION],
        examples: [
          `leger service ${verb} web`,
          `leger service ${verb} myapp`,
          `leger service ${verb} web --json`,
        ],
        module: `service/${verb}`,
      })),
    ],
  },
  {
    name: "staged",
    summary: "Stage updates, see them, apply or discard them",
    examples: [
      "leger staged stage myapp",
      "leger diff myapp",
      "leger staged list",
      "leger staged apply myapp",
      "leger staged discard myapp",
    ],
    commands: [
      {
        name: "stage",
        summary:
          "Fetch a deployment again and stage it without applying it (leger diff shows it)",
        args: ["<deployment>"],
        complete: [["deployments"]],
        options: [
          {
            flags: "--source <source>",
            description:
              "fetch from this folder, Git repository folder URL or leger.run version URL instead of the recorded source",
            complete: ["folders"],
          },
          {
            flags: "--version <version>",
            description: "a version of your leger.run space (latest, vN)",
          },
          WAIT_OPTION,
          TIMEOUT_OPTION,
          SCOPE_OPTION,
          JSON_OPTION,
        ],
        examples: [
          "leger staged stage myapp",
          "leger staged stage myapp --version v3 --json | jq .summary",
        ],
        module: "staged/stage",
      },
      {
        name: "apply",
        summary:
          "Apply a staged update as leger deploy update does: backed up, only what changed restarted, rolled back on failure",
        args: ["[deployment]"],
        complete: [["staged"]],
        options: [
          {
            flags: "--no-backup",
            description:
              "do not take the automatic backup (files and volumes) first",
          },
          {
            flags: "--no-pull",
            description:
              "do not pull the images first (systemd pulls them at start)",
          },
          {
            flags: "--force",
            description: "apply despite conflicts with this host",
          },
          { flags: "-y, --yes", description: "do not ask for confirmation" },
          WAIT_OPTION,
          SCOPE_OPTION,
          JSON_OPTION,
        ],
        examples: [
          "leger staged apply myapp",
          "leger staged apply myapp --yes --json | jq .restarted",
        ],
        module: "staged/apply",
      },
      {
        name: "list",
        summary: "List staged deployments against their active versions",
        options: [SCOPE_OPTION, JSON_OPTION],
        examples: ["leger staged list", "leger staged list --json"],
        module: "staged/list",
      },
      {
        name: "discard",
        summary: "Remove staged updates (all of them, or one deployment's)",
        args: ["[deployment]"],
        complete: [["staged"]],
        options: [WAIT_OPTION, SCOPE_OPTION, JSON_OPTION],
        examples: [
          "leger staged discard myapp",
          "leger staged discard",
          "leger staged discard --json",
        ],
        module: "staged/discard",
      },
    ],
  },
  {
    name: "backup",
    summary:
      "Back up a deployment's units and volumes, list the backups, restore one",
    examples: [
      "leger backup create myapp",
      "leger backup list myapp",
      "leger backup info 20261130T163000Z-myapp-ab12",
      "leger backup restore 20261130T163000Z-myapp-ab12",
    ],
    commands: [
      {
        name: "create",
        summary:
          "Back up a deployment: its files and its volumes (services stopped meanwhile unless --live)",
        args: ["[deployment]"],
        complete: [["deployments"]],
        options: [
          {
            flags: "--live",
            description:
              "copy the volumes with the services running (no downtime; the copy may be inconsistent)",
          },
          {
            flags: "--no-volumes",
            description: "back up the files only, not the volumes",
          },
          WAIT_OPTION,
          SCOPE_OPTION,
          JSON_OPTION,
        ],
        examples: [
          "leger backup create myapp",
          "leger backup create myapp --live",
          "leger backup create myapp --json | jq -r .id",
        ],
        module: "backup/create",
      },
      {
        name: "list",
        summary: "List the backups (of one deployment), oldest first",
        args: ["[deployment]"],
        complete: [["deployments"]],
        options: [SCOPE_OPTION, JSON_OPTION],
        examples: [
          "leger backup list",
          "leger backup list myapp --json | jq -r '.[-1].id'",
        ],
        module: "backup/list",
      },
      {
        name: "info",
        summary:
          "Show a backup's files and volumes with their sizes and checksums, and the version it holds",
        args: ["<id>"],
        complete: [["backups"]],
        options: [SCOPE_OPTION, JSON_OPTION],
        examples: [
          "leger backup info 20261130T163000Z-myapp-ab12",
          "leger backup info 20261130T163000Z-myapp-ab12 --json | jq .volumes",
        ],
        module: "backup/info",
      },
      {
        name: "restore",
        summary:
          "Restore a deployment and its volumes' data from a backup, after checking every checksum; undone on failure",
        args: ["<id>"],
        complete: [["backups"]],
        options: [
          { flags: "-y, --yes", description: "do not ask for confirmation" },
          WAIT_OPTION,
          SCOPE_OPTION,
          JSON_OPTION,
        ],
        examples: [
          "leger backup restore 20261130T163000Z-myapp-ab12",
          "leger backup restore \"$(leger backup list myapp --json | jq -r '.[-1].id')\" --yes",
        ],
        module: "backup/restore",
      },
    ],
  },
  {
    name: "config",
    summary: "Show what a deployment is made of",
    examples: [
      "leger config show myapp",
      "leger config show myapp --json",
    ],
    commands: [
      {
        name: "show",
        summary:
          "Show a deployment's name, version, source, services, secrets and volumes",
        args: ["[deployment]"],
        complete: [["deployments"]],
        options: [SCOPE_OPTION, JSON_OPTION],
        examples: ["leger config show myapp", "leger config show myapp --json"],
        module: "config/show",
      },
    ],
  },
  {
    name: "secrets",
    summary:
      "Keep Podman's secrets in step with leger.run through legerd, and change them in leger.run",
    examples: [
      "leger secrets list",
      "leger secrets set api_token < token.txt",
      "leger secrets sync",
      "leger secrets rotate api_token",
      "leger secrets delete api_token",
    ],
    commands: [
      {
        name: "sync",
        summary:
          "Have legerd bring Podman's secrets up to date with leger.run now, restarting what uses a changed one",
        args: ["[service]"],
        complete: [["services"]],
        options: [
          {
            flags: "--force",
            description: "write every secret again, changed or not",
          },
          {
            flags: "--dry-run",
            description: "show what legerd would do without changing anything",
          },
          SCOPE_OPTION,
          JSON_OPTION,
        ],
        examples: [
          "leger secrets sync",
          "leger secrets sync web --dry-run",
          "leger secrets sync --json | jq .applied",
        ],
        module: "secrets/sync",
      },
      {
        name: "list",
        summary:
          "List the secrets the installed units use, their state and version (never their values)",
        options: [
          {
            flags: "--podman",
            description:
              "also list Podman's own secrets: whether leger manages each, and its version (labels with --json)",
          },
          SCOPE_OPTION,
          JSON_OPTION,
        ],
        examples: [
          "leger secrets list",
          "leger secrets list --podman",
          "leger secrets list --json | jq -r '.secrets[] | select(.state == \"missing\") | .name'",
        ],
        module: "secrets/list",
      },
      {
        name: "rotate",
        summary:
          "Fetch a secret from leger.run now, replace it in Podman and restart the services that use it",
        args: ["<name>"],
        options: [
          {
            flags: "--no-restart",
            description: "replace the secret but leave the services running",
          },
          { flags: "-y, --yes", description: "do not ask for confirmation" },
          SCOPE_OPTION,
          JSON_OPTION,
        ],
        examples: [
          "leger secrets rotate api_token",
          "leger secrets rotate api_token --no-restart --yes",
        ],
        module: "secrets/rotate",
      },
      {
        name: "set",
        summary:
          "Store a secret in leger.run, its value read from stdin or typed at a hidden prompt",
        args: ["<name>"],
        extraArgsHint:
          "a secret's value is never an argument, which every process of the host can read: pipe it in (`leger secrets set NAME < FILE`) or type it at the prompt",
        options: [SCOPE_OPTION, JSON_OPTION],
        examples: [
          "leger secrets set api_token",
          "leger secrets set api_token < token.txt",
          "pass show api/token | leger secrets set api_token",
        ],
        module: "secrets/set",
      },
      {
        name: "delete",
        summary:
          "Delete a secret from leger.run (Podman keeps legerd's copy while a unit uses it)",
        args: ["<name>"],
        options: [
          { flags: "-y, --yes", description: "do not ask for confirmation" },
          SCOPE_OPTION,
          JSON_OPTION,
        ],
        examples: [
          "leger secrets delete api_token",
          "leger secrets delete api_token --yes --json",
        ],
        module: "secrets/delete",
      },
    ],
  },
  {
    name: "auth",
    summary: "Log in to leger.run with this machine's Tailscale identity",
    examples: [
      "leger auth login",
      "leger auth status",
      "leger auth logout",
    ],
    commands: [
      {
        name: "login",
        summary: "Log in to leger.run with this machine's Tailscale identity",
        options: [JSON_OPTION],
        examples: ["leger auth login", "leger auth login --json"],
        module: "auth/login",
      },
      {
        name: "status",
        summary:
          "Show Tailscale, the leger.run login, legerd and your leger.run space",
        options: [JSON_OPTION],
        examples: [
          "leger auth status",
          "leger auth status --json | jq -r .leger.state",
        ],
        module: "auth/status",
      },
      {
        name: "logout",
        summary: "Remove the leger.run login (Tailscale stays logged in)",
        options: [{
          flags: "--purge-secrets",
          description:
            "first have legerd remove the Podman secrets it manages (nothing changes if it cannot)",
        }, JSON_OPTION],
        examples: [
          "leger auth logout",
          "leger auth logout --purge-secrets",
          "leger auth logout --json",
        ],
        module: "auth/logout",
      },
    ],
  },
];

/** Commands that stand alone, without a group. */
export const TOP_COMMANDS: readonly CommandSpec[] = [
  {
    name: "status",
    summary:
      "Show Tailscale, legerd, the leger.run login and each deployment's services with their health",
    args: ["[deployment]"],
    complete: [["deployments"]],
    options: [
      {
        flags: "-w, --watch",
        description: "refresh every 2 seconds on a terminal until Ctrl-C",
      },
      SCOPE_OPTION,
      JSON_OPTION,
    ],
    examples: [
      "leger status",
      "leger status myapp",
      "leger status --json | jq '.deployments[].services[].health'",
      "leger status >/dev/null && echo all healthy",
    ],
    module: "status",
  },
  {
    name: "doctor",
    summary:
      "Check everything leger depends on on this host, and say how to fix what is not right",
    options: [SCOPE_OPTION, JSON_OPTION],
    examples: ["leger doctor", "leger doctor --json | jq '.checks[]'"],
    module: "doctor",
  },
  {
    name: "diff",
    summary: "Show what a staged update changes, file by file",
    args: ["[deployment]"],
    complete: [["staged"]],
    options: [SCOPE_OPTION, JSON_OPTION],
    examples: ["leger diff myapp", "leger diff myapp --json | jq .summary"],
    module: "diff",
  },
  {
    name: "validate",
    summary: "Check a deployment folder: syntax, keys, references, conflicts",
    args: ["<folder>"],
    complete: [["folders"]],
    options: [TIMEOUT_OPTION, SCOPE_OPTION, JSON_OPTION],
    examples: ["leger validate ./my-app", "leger validate ./my-app --json"],
    module: "validate",
  },
  {
    name: "completion",
    summary: "Print the shell completion script for bash, zsh or fish",
    args: ["<shell>"],
    complete: [["shells"]],
    examples: [
      "source <(leger completion bash)",
      'leger completion zsh > "${fpath[1]}/_leger"',
      "leger completion fish > ~/.config/fish/completions/leger.fish",
    ],
    module: "completion",
  },
  {
    name: "__complete",
    summary:
      "Print the values of some kinds (deployments,services,…) one a line, for the completion scripts; nothing on any error",
    args: ["<kinds>"],
    options: [SCOPE_OPTION],
    module: "complete",
    hidden: true,
  },
];
