import { LegerError } from "../errors/mod.ts";
import { firstInvalidUtf8 } from "./_first_invalid_utf8.ts";
import { isUnitTextFile } from "./_is_unit_text_file.ts";

/**
 * Checks that a fetched file that Podman reads as unit text (a quadlet unit
 * or a drop-in) is valid UTF-8, as the local source does for files on disk.
 * Other files (config files, `.env` files) may hold any bytes.
 *
 * @param path The file's path in the deployment.
 * @param bytes Its bytes as served.
 * @param url Where it came from, for the message.
 * @throws {LegerError} `ERR_NOT_UTF8` naming the byte and line.
 *
 * @example Usage
 * ```ts
 * import { requireUtf8 } from "./_leger_run_require_utf8.ts";
 * import { throws } from "node:assert/strict";
 *
 * requireUtf8("Caddyfile", new Uint8Array([0xff]), "https://static.leger.run/u/v1/Caddyfile");
 * throws(
 *   () => requireUtf8("web.container", new Uint8Array([0x41, 0xff]), "https://static.leger.run/u/v1/web.container"),
 *   { code: "ERR_NOT_UTF8" },
 * );
 * ```
 */
export function requireUtf8(
  path: string,
  bytes: Uint8Array,
  url: string,
): void {
  if (!isUnitTextFile(path)) return;
  const offset = firstInvalidUtf8(bytes);
  if (offset === -1) return;
  const line = bytes.subarray(0, offset).filter((b) => b === 10).length + 1;
  throw new LegerError(
    "ERR_NOT_UTF8",
    `Cannot read ${
      JSON.stringify(path)
    } from ${url}: it is not valid UTF-8 text (byte ${offset} at line ${line})`,
    {
      file: path,
      line,
      remedy:
        "Nothing was staged; deploy the release again in the web UI, and report the file to leger.run if it repeats",
    },
  );
}
