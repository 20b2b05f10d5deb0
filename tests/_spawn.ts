/** What a finished process left behind. */
export interface SpawnResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options for {@linkcode spawnCaptured}. */
export interface SpawnOptions {
  /** Written to the process's stdin, which is empty otherwise. */
  stdin?: string;
  cwd?: string;
  env?: Record<string, string>;
  /** Start from an empty environment (then `env` is all it gets). */
  clearEnv?: boolean;
}

/**
 * Runs a program for a test and captures its exit code and output, whatever
 * the code (tests assert on it).
 */
export async function spawnCaptured(
  bin: string,
  args: readonly string[],
  options: SpawnOptions = {},
): Promise<SpawnResult> {
  const { stdin, cwd, env, clearEnv = false } = options;
  const child = new Deno.Command(bin, {
    args: [...args],
    cwd,
    env,
    clearEnv,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(stdin));
    await writer.close();
  }
  const { code, stdout, stderr } = await child.output();
  const decoder = new TextDecoder();
  return {
    code,
    stdout: decoder.decode(stdout),
    stderr: decoder.decode(stderr),
  };
}
