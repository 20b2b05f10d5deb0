/**
 * Temporary deployment folders and XDG homes for tests that run the CLI.
 *
 * @module
 */

/** A temporary folder removed when disposed (`await using`). */
export interface TempDir extends AsyncDisposable {
  path: string;
}

/** Creates a temporary folder holding `files` (path → text); removed on dispose. */
export async function tempFolder(
  files: Record<string, string> = {},
): Promise<TempDir> {
  const path = await Deno.makeTempDir({ prefix: "leger_" });
  for (const [name, text] of Object.entries(files)) {
    const file = `${path}/${name}`;
    await Deno.mkdir(file.slice(0, file.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(file, text);
  }
  return {
    path,
    [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }),
  };
}

/** Every file below `dir`, as sorted relative paths (empty when it does not exist). */
export async function listTree(dir: string): Promise<string[]> {
  const found: string[] = [];
  async function walk(relative: string): Promise<void> {
    let entries: Deno.DirEntry[];
    try {
      entries = await Array.fromAsync(Deno.readDir(`${dir}/${relative}`));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return;
      throw error;
    }
    for (const entry of entries) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      found.push(path);
      if (entry.isDirectory) await walk(path);
    }
  }
  await walk("");
  return found.sort();
}
