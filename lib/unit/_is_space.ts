/**
 * Whether the UTF-16 code unit `c` is white space as Go's `unicode.IsSpace`
 * defines it, which is what Podman's unit parser trims with
 * (`strings.TrimSpace`, `strings.TrimRightFunc(v, unicode.IsSpace)`).
 *
 * It differs from JavaScript's `String.prototype.trim()`: U+0085 (NEL) is
 * space here, U+FEFF (the byte order mark) is not.
 *
 * @param c A UTF-16 code unit, as `String.prototype.charCodeAt` returns it.
 * @returns Whether Podman treats it as white space.
 */
export function isSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0x85) return false;
  return c === 0x85 || c === 0xa0 || c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 ||
    c === 0x202f || c === 0x205f || c === 0x3000;
}
