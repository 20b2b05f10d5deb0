// One HTTP/1.1 request over a unix socket, for legerd_client.ts.
//
// Why not `fetch` with `Deno.createHttpClient({ proxy: { transport: "unix" } })`:
// measured on Deno 2.9.6, about one request in 25 made through a new client
// never reaches the server and waits until its timeout (with a Python server
// as with Deno.serve; a client shared by every request does not, but leger's
// tests make hundreds of clients in one process). `Deno.connect` never did in
// thousands of tries, and its failures are typed (`Deno.errors.NotFound`,
// `ConnectionRefused`, `PermissionDenied`) rather than words in a message.

/** What the server answered. */
export interface UnixHttpResponse {
  status: number;
  body: string;
}

/**
 * The server closed the connection, or reset it, before the first byte of
 * an answer: it stopped (or was killed) while it had the request.
 */
export class ClosedBeforeAnswerError extends Error {
  /**
   * @param options The system's error, when the connection was reset.
   */
  constructor(options?: ErrorOptions) {
    super("the connection closed without an answer", options);
    this.name = "ClosedBeforeAnswerError";
  }
}

/** The most bytes of an answer read: legerd's are a few KiB. */
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Sends one request with `Connection: close` and reads the whole answer.
 *
 * @throws {Deno.errors.NotFound} and the other errors of `Deno.connect`.
 * @throws {ClosedBeforeAnswerError} When the server closed or reset the
 * connection before answering.
 * @throws {SyntaxError} When the answer is not HTTP/1.x.
 * @throws {Error} The signal's reason when it aborts.
 */
export async function unixHttpRequest(
  path: string,
  request: {
    method: string;
    route: string;
    host: string;
    body?: string;
    signal: AbortSignal;
  },
): Promise<UnixHttpResponse> {
  const { signal } = request;
  signal.throwIfAborted();
  const conn = await abortable(
    Deno.connect({ transport: "unix", path }),
    signal,
    (late) => late.close(),
  );
  const stop = () => {
    try {
      conn.close();
    } catch (error) {
      // Closed already, when the answer ended first.
      if (!(error instanceof Deno.errors.BadResource)) throw error;
    }
  };
  signal.addEventListener("abort", stop, { once: true });
  try {
    const body = request.body === undefined
      ? null
      : encoder.encode(request.body);
    const head = [
      `${request.method} ${request.route} HTTP/1.1`,
      `Host: ${request.host}`,
      "Connection: close",
      "Accept: application/json",
      ...(body === null ? [] : [
        "Content-Type: application/json",
        `Content-Length: ${body.length}`,
      ]),
      "",
      "",
    ].join("\r\n");
    try {
      await writeAll(conn, encoder.encode(head));
      if (body !== null) await writeAll(conn, body);
    } catch (error) {
      // The server went away before it took the whole request.
      if (!isReset(error)) throw error;
      throw new ClosedBeforeAnswerError({ cause: error });
    }
    return parse(await readAll(conn));
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw error;
  } finally {
    signal.removeEventListener("abort", stop);
    stop();
  }
}

async function abortable<T>(
  promise: Promise<T>,
  signal: AbortSignal,
  cleanup: (value: T) => void,
): Promise<T> {
  const { promise: aborted, reject } = Promise.withResolvers<never>();
  const onAbort = () => reject(signal.reason);
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    return await Promise.race([promise, aborted]);
  } finally {
    signal.removeEventListener("abort", onAbort);
    if (signal.aborted) promise.then(cleanup, () => {});
  }
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  for (let at = 0; at < bytes.length;) {
    at += await conn.write(bytes.subarray(at));
  }
}

async function readAll(conn: Deno.Conn): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const buffer = new Uint8Array(64 * 1024);
  while (true) {
    let read;
    try {
      read = await conn.read(buffer);
    } catch (error) {
      // A server that dies with the request unread resets the connection.
      if (size === 0 && isReset(error)) {
        throw new ClosedBeforeAnswerError({ cause: error });
      }
      throw error;
    }
    if (read === null) break;
    chunks.push(buffer.slice(0, read));
    size += read;
    if (size > MAX_ANSWER_BYTES) {
      throw new SyntaxError(
        `the answer is larger than ${MAX_ANSWER_BYTES} bytes`,
      );
    }
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.length;
  }
  return all;
}

function isReset(error: unknown): boolean {
  return error instanceof Deno.errors.BrokenPipe ||
    error instanceof Deno.errors.ConnectionReset;
}

const STATUS_REGEXP = /^HTTP\/1\.[01] (\d{3})(?: |$)/;

function parse(bytes: Uint8Array): UnixHttpResponse {
  if (bytes.length === 0) throw new ClosedBeforeAnswerError();
  const end = indexOf(bytes, encoder.encode("\r\n\r\n"));
  if (end === -1) throw new SyntaxError("the answer has no end of headers");
  const [statusLine, ...headerLines] = decoder.decode(bytes.subarray(0, end))
    .split("\r\n");
  const status = STATUS_REGEXP.exec(statusLine);
  if (status === null) {
    throw new SyntaxError(
      `the answer does not start with an HTTP status line: ${
        JSON.stringify(statusLine.slice(0, 40))
      }`,
    );
  }
  const headers = new Map<string, string>();
  for (const line of headerLines) {
    const colon = line.indexOf(":");
    if (colon > 0) {
      headers.set(
        line.slice(0, colon).trim().toLowerCase(),
        line.slice(colon + 1).trim(),
      );
    }
  }
  let body = bytes.subarray(end + 4);
  if (/\bchunked\b/i.test(headers.get("transfer-encoding") ?? "")) {
    body = unchunk(body);
  } else if (headers.has("content-length")) {
    const length = Number(headers.get("content-length"));
    if (!Number.isSafeInteger(length) || length < 0 || length > body.length) {
      throw new SyntaxError(
        `the answer's body is shorter than its Content-Length (${
          headers.get("content-length")
        })`,
      );
    }
    body = body.subarray(0, length);
  }
  return { status: Number(status[1]), body: decoder.decode(body) };
}

/** Decodes a chunked body (RFC 9112 §7.1), ignoring extensions and trailers. */
function unchunk(bytes: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  let at = 0;
  while (true) {
    const lineEnd = indexOf(bytes, encoder.encode("\r\n"), at);
    if (lineEnd === -1) {
      throw new SyntaxError("a chunk of the answer is cut short");
    }
    const size = parseInt(
      decoder.decode(bytes.subarray(at, lineEnd)).split(";")[0].trim(),
      16,
    );
    if (!Number.isSafeInteger(size) || size < 0) {
      throw new SyntaxError("a chunk of the answer has no valid size");
    }
    at = lineEnd + 2;
    if (size === 0) break;
    if (at + size > bytes.length) {
      throw new SyntaxError("a chunk of the answer is cut short");
    }
    parts.push(bytes.subarray(at, at + size));
    at += size + 2;
  }
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from = 0): number {
  outer: for (let i = from; i <= haystack.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) {
      if (haystack[i + j] !== needle[j]) continue outer;
    }
    return i;
  }
  return -1;
}
