/**
 * legerd's per-host key for the keyed digests of secret values
 * (`secretDigest()`): 32 random bytes kept as hex in a file of mode 0600 in
 * leger's state folder of the scope (`legerd.key`). It never leaves the
 * file and the process's memory, and is never logged.
 *
 * @module
 */
import { dirname } from "node:path";
import { fromSystemError } from "../lib/errors/from_system_error.ts";
import { generateDigestKey } from "../lib/secrets/generate_digest_key.ts";
import { writeFileAtomic } from "../lib/state/write_file_atomic.ts";

const KEY_REGEXP = /^[0-9a-f]{64}\n?$/;

/** Options for {@linkcode loadDigestKey}. */
export interface LoadDigestKeyOptions {
  /**
   * Where to say what was done (a key made, a mode tightened); never given
   * the key.
   *
   * @default {() => {}}
   */
  log?: (line: string) => void;
}

/** The key, and whether this call made it. */
export interface DigestKey {
  /** The 32 bytes. */
  key: Uint8Array<ArrayBuffer>;
  /**
   * Whether a new key was made: there was none, or the file did not hold
   * one. Every digest in Podman's labels then stops matching, and each
   * leger-managed secret is rewritten once.
   */
  created: boolean;
}

/**
 * Loads the key from `path`, or makes one there: created whole or not at
 * all (written to a temporary file, then linked into place, so that two
 * legerd starting at once end up with the same key). A file readable by
 * others is set back to 0600; a file that holds no key (cut short by a
 * crash, edited) is replaced by a new key.
 *
 * Requires `--allow-read` and `--allow-write` for the folder.
 *
 * @param path The key file, such as `~/.local/share/leger/legerd.key`.
 * @param options Where to log.
 * @returns The key and whether it is new.
 * @throws {LegerError} `ERR_STATE_UNWRITABLE`, `ERR_PERMISSION_DENIED` and
 * the other codes of `fromSystemError()` naming the file.
 *
 * @example Usage
 * ```ts ignore
 * import { loadDigestKey } from "./digest_key.ts";
 * const { key } = await loadDigestKey("/var/lib/leger/legerd.key");
 * ```
 */
export async function loadDigestKey(
  path: string,
  options: LoadDigestKeyOptions = {},
): Promise<DigestKey> {
  const { log = () => {} } = options;
  const existing = await readKey(path);
  if (existing === "absent") {
    const key = generateDigestKey();
    if (await createKey(path, key)) {
      log(`Made the digest key ${path} (mode 0600)`);
      return { key, created: true };
    }
    // Another legerd made it first: use that one.
    const theirs = await readKey(path);
    if (theirs instanceof Uint8Array) return { key: theirs, created: false };
  } else if (existing instanceof Uint8Array) {
    await tightenMode(path, log);
    return { key: existing, created: false };
  }
  const key = generateDigestKey();
  await writeFileAtomic(path, encode(key), { mode: 0o600 });
  log(
    `Replaced the digest key ${path}, which held no key: every leger-managed secret is written again once`,
  );
  return { key, created: true };
}

async function readKey(
  path: string,
): Promise<Uint8Array<ArrayBuffer> | "absent" | "invalid"> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return "absent";
    throw fromSystemError(error, { action: "read the digest key", path }) ??
      error;
  }
  if (!KEY_REGEXP.test(text)) return "invalid";
  const key = new Uint8Array(32);
  for (let i = 0; i < 32; i++) {
    key[i] = parseInt(text.slice(i * 2, i * 2 + 2), 16);
  }
  return key;
}

/** Creates the file only if there is none; `false` when one appeared meanwhile. */
async function createKey(
  path: string,
  key: Uint8Array<ArrayBuffer>,
): Promise<boolean> {
  const dir = dirname(path);
  const temporary = `${dir}/.legerd.key.${crypto.randomUUID()}`;
  try {
    await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
    const file = await Deno.open(temporary, {
      write: true,
      createNew: true,
      mode: 0o600,
    });
    try {
      await file.write(encode(key));
      await file.sync();
    } finally {
      file.close();
    }
    await Deno.link(temporary, path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) return false;
    throw fromSystemError(error, { path, write: true }) ?? error;
  } finally {
    await Deno.remove(temporary).catch(() => {});
  }
}

async function tightenMode(
  path: string,
  log: (line: string) => void,
): Promise<void> {
  const { mode } = await Deno.stat(path);
  if (mode !== null && (mode & 0o077) !== 0) {
    await Deno.chmod(path, 0o600);
    log(
      `Set the digest key ${path} back to mode 0600 (it was ${
        (mode & 0o777).toString(8).padStart(4, "0")
      })`,
    );
  }
}

function encode(key: Uint8Array): Uint8Array {
  const hex = Array.from(key, (b) => b.toString(16).padStart(2, "0")).join("");
  return new TextEncoder().encode(`${hex}\n`);
}
