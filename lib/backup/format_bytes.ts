const UNITS = ["bytes", "KiB", "MiB", "GiB", "TiB"];

/**
 * A size for a person: bytes below 1 KiB, else KiB, MiB, GiB or TiB with
 * one decimal.
 *
 * @param bytes The size in bytes.
 * @returns The size in words, such as `"500.0 MiB"`.
 *
 * @example Usage
 * ```ts
 * import { formatBytes } from "./format_bytes.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(formatBytes(512), "512 bytes");
 * strictEqual(formatBytes(524290560), "500.0 MiB");
 * ```
 */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${UNITS[unit]}`;
}
