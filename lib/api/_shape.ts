/**
 * Readers for the payloads leger.run answers: each checks one field's type
 * and throws a TypeError naming the field, which the client turns into
 * `ERR_API_ERROR`.
 *
 * @module
 */

/** Returns `value` as an object, or throws naming `what`. */
export function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TypeError(`${what} is not an object`);
  }
  return value as Record<string, unknown>;
}

/** Returns `value` as an array, or throws naming `what`. */
export function list(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new TypeError(`${what} is not a list`);
  return value;
}

/** Returns `object[key]` as a non-empty string, or throws. */
export function text(
  object: Record<string, unknown>,
  key: string,
  what: string,
): string {
  const value = object[key];
  if (typeof value !== "string" || value === "") {
    throw new TypeError(`${what}.${key} is not a non-empty string`);
  }
  return value;
}

/** Returns `object[key]` as a string or `null` when absent or null, or throws. */
export function optionalText(
  object: Record<string, unknown>,
  key: string,
  what: string,
): string | null {
  const value = object[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") {
    throw new TypeError(`${what}.${key} is not a string`);
  }
  return value;
}

/** Returns `object[key]` as a finite number, or throws. */
export function number(
  object: Record<string, unknown>,
  key: string,
  what: string,
): number {
  const value = object[key];
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new TypeError(`${what}.${key} is not a number`);
  }
  return value;
}
