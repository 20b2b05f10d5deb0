/**
 * Resolves the systemd specifiers of a value for one service, as systemd
 * resolves them in its unit (systemd.unit(5) "Specifiers"): `%i` (the
 * instance, as written), `%I` (unescaped), `%n` (the service), `%N`
 * (without its suffix), `%p` (the prefix: before `@`), `%P` (unescaped) and
 * `%%`. A template's value (`PublishPort=127.0.0.1:80%i:80`,
 * `HealthURL=http://127.0.0.1:80%i/`) is so read per instance; a service
 * that is no instance has an empty `%i`.
 *
 * @param text The value as written.
 * @param service The service, such as `worker@81.service`.
 * @returns The value with those specifiers resolved; others are left as
 * they are.
 *
 * @example Usage
 * ```ts
 * import { resolveSpecifiers } from "./resolve_specifiers.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(resolveSpecifiers("127.0.0.1:80%i", "worker@81.service"), "127.0.0.1:8081");
 * strictEqual(resolveSpecifiers("%p/%z", "worker@81.service"), "worker/%z");
 * ```
 */
export function resolveSpecifiers(text: string, service: string): string {
  if (!text.includes("%")) return text;
  const dot = service.lastIndexOf(".");
  const name = dot > 0 ? service.slice(0, dot) : service;
  const at = name.indexOf("@");
  const prefix = at === -1 ? name : name.slice(0, at);
  const instance = at === -1 ? "" : name.slice(at + 1);
  const values: Record<string, string> = {
    i: instance,
    I: unescape(instance),
    n: service,
    N: name,
    p: prefix,
    P: unescape(prefix),
    "%": "%",
  };
  return text.replace(
    /%(.)/g,
    (whole, letter: string) => values[letter] ?? whole,
  );
}

/** systemd-escape --unescape: `\xNN` to its byte, `-` to `/`. */
function unescape(text: string): string {
  return text.replace(/-/g, "/").replace(
    /\\x([0-9a-fA-F]{2})/g,
    (_, hex: string) => String.fromCharCode(parseInt(hex, 16)),
  );
}
