// deno-lint-ignore-file no-console -- a developer tool that reports on stderr
/**
 * Fails when the code has an import cycle, and prints it.
 *
 * Two kinds are checked over the module graph `deno info --json` reports for
 * every source file of cli/, daemon/, lib/ and tools/ (tests excluded):
 *
 * - a cycle between files (`a.ts` → `b.ts` → `a.ts`);
 * - a cycle between areas of lib/ (`lib/source` → `lib/plan` → `lib/source`),
 *   which keeps the layers of the library in one direction: an area may use
 *   the areas below it, never one that uses it.
 *
 * Run with `deno run --allow-read --allow-run=deno --allow-write=/tmp tools/check_cycles.ts`
 * (`deno task lint` does).
 *
 * @module
 */

const ROOT = new URL("../", import.meta.url).pathname;
const FOLDERS = ["cli", "daemon", "lib", "tools"];

/** An edge of the graph: who imports whom. */
type Graph = Map<string, Set<string>>;

async function sourceFiles(): Promise<string[]> {
  const files: string[] = [];
  async function walk(dir: string): Promise<void> {
    for await (const entry of Deno.readDir(`${ROOT}${dir}`)) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory && entry.name !== "testdata") await walk(path);
      else if (
        entry.isFile && path.endsWith(".ts") && !path.endsWith("_test.ts") &&
        !path.endsWith("_bench.ts")
      ) files.push(path);
    }
  }
  for (const folder of FOLDERS) {
    try {
      await walk(folder);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  return files.sort();
}

async function moduleGraph(files: readonly string[]): Promise<Graph> {
  const entry = await Deno.makeTempFile({
    prefix: "leger_cycles_",
    suffix: ".ts",
  });
  try {
    await Deno.writeTextFile(
      entry,
      files.map((file) => `import "file://${ROOT}${file}";\n`).join(""),
    );
    const output = await new Deno.Command("deno", {
      args: ["info", "--json", entry],
      cwd: ROOT,
      stderr: "inherit",
    }).output();
    if (!output.success) {
      throw new Error("Cannot read the module graph: deno info failed");
    }
    const info = JSON.parse(new TextDecoder().decode(output.stdout)) as {
      modules: {
        specifier: string;
        dependencies?: {
          code?: { specifier: string };
          type?: { specifier: string };
        }[];
      }[];
    };
    const local = (specifier: string) =>
      specifier.startsWith(`file://${ROOT}`)
        ? specifier.slice(`file://${ROOT}`.length)
        : null;
    const graph: Graph = new Map();
    for (const module of info.modules) {
      const from = local(module.specifier);
      if (from === null || !files.includes(from)) continue;
      const to = new Set<string>();
      for (const dependency of module.dependencies ?? []) {
        for (const target of [dependency.code, dependency.type]) {
          const path = target === undefined ? null : local(target.specifier);
          if (path !== null && files.includes(path)) to.add(path);
        }
      }
      graph.set(from, to);
    }
    return graph;
  } finally {
    await Deno.remove(entry);
  }
}

/** The strongly connected components with more than one node (Tarjan). */
function cycles(graph: Graph): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    indices.set(node, index);
    low.set(node, index++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indices.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, indices.get(next)!));
      }
    }
    if (low.get(node) === indices.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!indices.has(node)) visit(node);
  return found;
}

function areaOf(file: string): string | null {
  const match = /^lib\/([^/]+)\//.exec(file);
  return match === null ? null : `lib/${match[1]}`;
}

/** The lib/ areas' graph, each edge with one import that makes it. */
function areaGraph(
  graph: Graph,
): { graph: Graph; witness: Map<string, string> } {
  const areas: Graph = new Map();
  const witness = new Map<string, string>();
  for (const [from, targets] of graph) {
    const a = areaOf(from);
    if (a === null) continue;
    if (!areas.has(a)) areas.set(a, new Set());
    for (const to of targets) {
      const b = areaOf(to);
      if (b === null || b === a) continue;
      areas.get(a)!.add(b);
      if (!witness.has(`${a} ${b}`)) {
        witness.set(`${a} ${b}`, `${from} → ${to}`);
      }
    }
  }
  return { graph: areas, witness };
}

const graph = await moduleGraph(await sourceFiles());
const problems: string[] = [];
for (const component of cycles(graph)) {
  problems.push(`Import cycle between files:\n  ${component.join("\n  ")}`);
}
const areas = areaGraph(graph);
for (const component of cycles(areas.graph)) {
  const edges = component.flatMap((a) =>
    [...areas.graph.get(a)!].filter((b) => component.includes(b)).map((b) =>
      `  ${a} → ${b}  (${areas.witness.get(`${a} ${b}`)})`
    )
  );
  problems.push(`Import cycle between areas of lib/:\n${edges.join("\n")}`);
}
if (problems.length > 0) {
  console.error(problems.join("\n\n"));
  console.error(
    "\nMove the shared piece down to the area both use, or pass it in as data.",
  );
  Deno.exit(1);
}
console.error(`No import cycles among ${graph.size} modules.`);
