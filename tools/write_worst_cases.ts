// deno-lint-ignore-file no-console -- a developer tool that reports on stderr
/**
 * Writes the worst shapes of `lib/testing/worst_cases.ts` to folders, one
 * deployment folder per shape, for whole-process timings such as
 * `hyperfine 'deno task leger validate OUT/sections'`.
 *
 * Run with `deno run --allow-write tools/write_worst_cases.ts OUT [SCALE]`.
 *
 * @module
 */
import { worstCases } from "../lib/testing/worst_cases.ts";

const [out, scale = "1"] = Deno.args;
if (out === undefined) {
  console.error("Usage: write_worst_cases.ts OUT [SCALE]");
  Deno.exit(2);
}
for (const shape of worstCases({ scale: Number(scale) })) {
  const root = `${out}/${shape.name}`;
  await Deno.remove(root, { recursive: true }).catch((error) => {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  });
  let bytes = 0;
  for (const file of shape.files) {
    const path = `${root}/${file.path}`;
    await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(path, file.text);
    bytes += file.text.length;
  }
  console.error(
    `${root}: ${shape.files.length} files, ${bytes} bytes — ${shape.description}`,
  );
}
