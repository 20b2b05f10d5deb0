import { resolveInDeployment } from "../quadlet/resolve_in_deployment.ts";
import { LegerError } from "../errors/mod.ts";
import { checkBareFileName } from "../manifest/check_bare_file_name.ts";
import { loadUnits } from "../quadlet/load_units.ts";
import type { DeploymentFile } from "./types.ts";

/** A file a unit names that the deployment does not hold yet. */
export interface MissingReference {
  /** The file's `/`-separated path in the deployment, such as `llm.network`. */
  path: string;
  /** The unit that names it, such as `caddy.container`. */
  unit: string;
  /** The key that names it, such as `Network`. */
  key: string;
  /** The 1-based line of that key in the unit. */
  line: number;
}

/**
 * Lists the files that a deployment's units name but the deployment does not
 * hold: quadlet units (`Network=llm.network`, `Volume=data.volume:/x`,
 * `Pod=`, `Image=x.image`, `Requires=x.network`) and the files Podman
 * resolves against the unit's folder (`EnvironmentFile=app.env`,
 * `Volume=./Caddyfile:/etc/caddy/Caddyfile`, a kube's `Yaml=`…). The CLI
 * form of a leger.run manifest leaves these out, so the leger.run source
 * fetches what this returns until it returns nothing.
 *
 * Not missing: a unit `X.volume` when the deployment holds `X.volume.volume`
 * (the deployed service's doubled volume name, which normalisation renames);
 * a path below a folder the deployment holds; a path that climbs out of the
 * deployment or holds a systemd specifier (`%h`), which cannot be fetched and
 * which validation reports. Units that do not parse name nothing here
 * (validation reports them too).
 *
 * @param files The deployment's files so far, as served.
 * @returns Each missing path once, with the first unit line that names it.
 * @throws {LegerError} `ERR_UNSAFE_PATH` when a unit names a path with a part
 * that is not a bare name (`.env`, a NUL…), before anything is fetched.
 *
 * @example Usage
 * ```ts
 * import { findMissingReferences } from "./_leger_run_missing_references.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const bytes = new TextEncoder().encode(
 *   "[Container]\nImage=caddy\nNetwork=llm.network\nVolume=data.volume:/data\n",
 * );
 * const missing = findMissingReferences([
 *   { path: "caddy.container", bytes, sha256: "" },
 *   { path: "data.volume.volume", bytes: new Uint8Array(), sha256: "" },
 * ]);
 * deepStrictEqual(missing, [
 *   { path: "llm.network", unit: "caddy.container", key: "Network", line: 3 },
 * ]);
 * ```
 */
export function findMissingReferences(
  files: readonly DeploymentFile[],
): MissingReference[] {
  const present = new Set(files.map((file) => file.path));
  const folders = new Set(
    files.flatMap((file) =>
      file.path.split("/").slice(0, -1).map((_, i, parts) =>
        parts.slice(0, i + 1).join("/")
      )
    ),
  );
  const found = new Map<string, MissingReference>();
  const add = (path: string, ref: Omit<MissingReference, "path">) => {
    if (present.has(path) || folders.has(path) || found.has(path)) return;
    for (const part of path.split("/")) {
      const problem = checkBareFileName(part);
      if (problem !== undefined) throw unsafe(path, ref, part, problem);
    }
    found.set(path, { path, ...ref });
  };
  const { units } = loadUnits(files);
  for (const { path, quadlet } of units) {
    const refs = [
      ...quadlet.units.map((ref) => ({
        ...ref,
        path: ref.unit,
        unitRef: true,
      })),
      ...quadlet.files.filter((ref) => ref.relative).map((ref) => ({
        ...ref,
        path: ref.path,
        unitRef: false,
      })),
    ].sort((a, b) => a.line - b.line);
    for (const ref of refs) {
      const where = { unit: ref.file, key: ref.key, line: ref.line };
      if (ref.unitRef) {
        const doubled = ref.path.endsWith(".volume") &&
          present.has(`${ref.path}.volume`);
        if (!doubled) add(ref.path, where);
        continue;
      }
      if (ref.path.includes("%")) continue;
      const resolved = resolveInDeployment(path, ref.path);
      if (resolved !== null && resolved !== "") add(resolved, where);
    }
  }
  return [...found.values()];
}

function unsafe(
  path: string,
  ref: Omit<MissingReference, "path">,
  part: string,
  problem: string,
): LegerError {
  const what = part === path ? "the name" : `its part "${part}"`;
  return new LegerError(
    "ERR_UNSAFE_PATH",
    `Cannot fetch "${path}", which ${ref.key}= of "${ref.unit}" names at line ${ref.line}: ${what} ${problem}`,
    {
      file: ref.unit,
      line: ref.line,
      remedy:
        "Nothing was fetched or staged; name files by plain names inside the deployment's folder, then deploy the release again in the web UI",
    },
  );
}
