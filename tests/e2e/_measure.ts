/**
 * What the e2e measuring scripts (`tests/e2e/measure_*.ts`) share: sleeping
 * deployments, shell scripts run inside the host, and the times they print.
 *
 * @module
 */
import { hostExec, INSIDE, legerCommandLine, SHARE } from "./_host.ts";

/**
 * `count` busybox sleepers without a health check, `<prefix>-<i>.container`:
 * path → text for `writeSource`.
 */
export function sleepers(
  prefix: string,
  count: number,
): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    files[`${prefix}-${i}.container`] =
      `[Container]\nImage=localhost/bb:latest\nExec=/bin/busybox sleep 100000\nStopTimeout=1\n`;
  }
  return files;
}

/** Options for {@linkcode inside}. */
export interface InsideOptions {
  /**
   * Runs the script with `bash -x`.
   *
   * @default {false}
   */
  trace?: boolean;
}

/**
 * Runs a script inside the host from a file in the share (long scripts do
 * not fit a command line) and returns its stdout; throws with its output
 * when it fails.
 */
export async function inside(
  script: string,
  options: InsideOptions = {},
): Promise<string> {
  const file = `bench-script-${crypto.randomUUID()}.sh`;
  await Deno.writeTextFile(`${SHARE}/${file}`, script, { mode: 0o644 });
  const result = await hostExec(
    `bash ${options.trace ? "-x " : ""}${INSIDE}/${file}`,
  ).finally(() => Deno.remove(`${SHARE}/${file}`));
  if (result.code !== 0) {
    throw new Error(
      `bench script failed (${result.code}):\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result.stdout;
}

/** The median of the values (the upper one of an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** The numbers of the lines `<label> <number>` of a script's output, in order. */
export function parseTimes(output: string, label: string): number[] {
  return output.split("\n").filter((l) => l.startsWith(`${label} `)).map((l) =>
    Number(l.split(" ")[1])
  );
}

/** leger's command line in a subshell (it ends by exec-ing deno). */
export const leger = (args: string[]): string => `(${legerCommandLine(args)})`;

/** A shell command that prints the time in milliseconds. */
export const now = "echo $(( $(date +%s%N) / 1000000 ))";
