import { LegerError } from "../errors/mod.ts";
import type { DeploymentFile, Manifest } from "./types.ts";
import { normalizeSha256 } from "./_normalize_sha256.ts";

/** Options for {@linkcode verifyChecksums}. */
export interface VerifyChecksumsOptions {
  /** Where the files came from, for the message (a folder or a URL). */
  location: string;
  /**
   * The manifest's name as the user knows it.
   *
   * @default {"manifest.json"}
   */
  manifestFile?: string;
  /**
   * The line telling the user what to do.
   *
   * @default {"Nothing was staged; fetch the deployment again, and if it repeats, redeploy it or fix the checksum in the manifest"}
   */
  remedy?: string;
}

interface Problem {
  name: string;
  expected: string;
  actual: string;
}

/**
 * Checks the files of a deployment against the checksums and sizes its
 * manifest gives, before anything is staged.
 *
 * Each entry of `manifest.files` must match a file whose path is its name. An
 * entry with a checksum (`sha256:<hex>` or bare hex, in any case) must match
 * the file's `sha256`; an entry with a size must match its byte length; an
 * entry without either must still exist. Files the manifest does not list are
 * not checked (the CLI form leaves out `.network` units and config files).
 * The error names the first bad file with expected and actual values in
 * `details`, and lists any further bad files after them.
 *
 * @param files The deployment's files, whose `sha256` was computed from the bytes as served.
 * @param manifest The deployment's manifest.
 * @param options Where the files came from, for the message.
 * @throws {LegerError} `ERR_CHECKSUM_MISMATCH` when a file does not match, or
 * a file the manifest lists is missing.
 *
 * @example Usage
 * ```ts
 * import { verifyChecksums } from "./verify_checksums.ts";
 * import { throws } from "node:assert/strict";
 *
 * const file = { path: "web.container", bytes: new Uint8Array(), sha256: "a".repeat(64) };
 * const manifest = {
 *   form: "cli" as const, services: [], volumes: [], secretsRequired: [], requires: [],
 *   files: [{ name: "web.container", sha256: "b".repeat(64) }],
 * };
 * throws(() => verifyChecksums([file], manifest, { location: "/srv/web" }), {
 *   code: "ERR_CHECKSUM_MISMATCH",
 *   message: 'Cannot accept "web.container" from /srv/web: its SHA-256 does not match manifest.json',
 * });
 * ```
 */
export function verifyChecksums(
  files: readonly DeploymentFile[],
  manifest: Manifest,
  options: VerifyChecksumsOptions,
): void {
  const {
    location,
    manifestFile = "manifest.json",
    remedy =
      "Nothing was staged; fetch the deployment again, and if it repeats, redeploy it or fix the checksum in the manifest",
  } = options;
  const byPath = new Map(files.map((file) => [file.path, file]));
  const problems: (Problem & { what: string })[] = [];
  for (const entry of manifest.files) {
    const file = byPath.get(entry.name);
    const expected = entry.sha256 === undefined
      ? undefined
      : normalizeSha256(entry.sha256) ?? entry.sha256;
    if (file === undefined) {
      problems.push({
        name: entry.name,
        what: `${manifestFile} lists it but the file is missing`,
        expected: expected ?? "the file",
        actual: "(missing)",
      });
    } else if (
      expected !== undefined && file.sha256.toLowerCase() !== expected
    ) {
      problems.push({
        name: entry.name,
        what: `its SHA-256 does not match ${manifestFile}`,
        expected,
        actual: file.sha256.toLowerCase(),
      });
    } else if (entry.size !== undefined && file.bytes.length !== entry.size) {
      problems.push({
        name: entry.name,
        what: `its size does not match ${manifestFile}`,
        expected: `${entry.size} bytes`,
        actual: `${file.bytes.length} bytes`,
      });
    }
  }
  if (problems.length === 0) return;
  const [first, ...rest] = problems;
  const details = [`expected: ${first.expected}`, `actual:   ${first.actual}`];
  if (rest.length > 0) {
    details.push(
      `also bad: ${
        rest.map((p) =>
          `${p.name} (${p.actual === "(missing)" ? "missing" : "mismatch"})`
        ).join(", ")
      }`,
    );
  }
  throw new LegerError(
    "ERR_CHECKSUM_MISMATCH",
    `Cannot accept ${
      JSON.stringify(first.name)
    } from ${location}: ${first.what}`,
    { file: first.name, details, remedy },
  );
}
