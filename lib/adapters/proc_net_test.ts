import { deepStrictEqual, rejects, strictEqual } from "node:assert/strict";
import { readProcNet } from "./proc_net.ts";
import { fakeRunner } from "./fake_runner.ts";
import { CommandError } from "./command_error.ts";

const HEADER =
  "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
const TCP =
  `${HEADER}   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000 0 1 1\n`;
const UDP =
  `${HEADER}   0: 00000000:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000  0 0 2 2\n`;

Deno.test("readProcNet() finds a TCP listener this test opens on the real /proc/net", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  const sockets = await readProcNet();
  const found = sockets.filter((s) => s.port === port && s.protocol === "tcp");
  deepStrictEqual(found, [{ protocol: "tcp", address: "127.0.0.1", port }]);
});

Deno.test("readProcNet() finds an IPv6 listener when the host has IPv6", async () => {
  let listener: Deno.TcpListener;
  try {
    listener = Deno.listen({ hostname: "::1", port: 0 });
  } catch (err) {
    // No IPv6 loopback on this host: there is nothing to look for.
    if (err instanceof Deno.errors.AddrNotAvailable) return;
    throw err;
  }
  try {
    const { port } = listener.addr;
    const found = (await readProcNet()).filter((s) => s.port === port);
    deepStrictEqual(found, [{ protocol: "tcp", address: "::1", port }]);
  } finally {
    listener.close();
  }
});

Deno.test("readProcNet() skips the files that are missing", async () => {
  const dir = await Deno.makeTempDir({ prefix: "leger_" });
  try {
    const captured = new URL(
      "../conflicts/testdata/proc_net/udp",
      import.meta.url,
    );
    await Deno.copyFile(captured, `${dir}/udp`);
    const sockets = await readProcNet({ dir });
    deepStrictEqual(sockets, [
      { protocol: "udp", address: "0.0.0.0", port: 15353 },
      { protocol: "udp", address: "127.0.0.1", port: 15354 },
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readProcNet() returns nothing when the folder does not exist", async () => {
  strictEqual(
    (await readProcNet({ dir: "/nonexistent/leger/proc/net" })).length,
    0,
  );
});

// Deno 2.9 reads /proc/net/* only under --allow-all; without it, cat reads them.
Deno.test({
  name: "readProcNet() reads through cat when Deno may not read /proc/net",
  permissions: { read: false },
  async fn() {
    const runner = fakeRunner([
      { bin: "cat", args: ["/proc/net/tcp"], result: { stdout: TCP } },
      {
        bin: "cat",
        args: ["/proc/net/tcp6"],
        result: {
          code: 1,
          stderr: "cat: /proc/net/tcp6: No such file or directory\n",
        },
      },
      { bin: "cat", args: ["/proc/net/udp"], result: { stdout: UDP } },
      { bin: "cat", args: ["/proc/net/udp6"], result: { stdout: HEADER } },
    ]);
    deepStrictEqual(await readProcNet({ runner }), [
      { protocol: "tcp", address: "127.0.0.1", port: 8080 },
      { protocol: "udp", address: "0.0.0.0", port: 53 },
    ]);
    runner.assertAllCalled();
  },
});

Deno.test({
  name:
    "readProcNet() throws CommandError when cat cannot read a file that exists",
  permissions: { read: false },
  async fn() {
    const runner = fakeRunner([{
      bin: "cat",
      args: ["/proc/net/tcp"],
      result: { code: 1, stderr: "cat: /proc/net/tcp: Permission denied\n" },
    }]);
    await rejects(readProcNet({ runner }), CommandError);
  },
});

Deno.test({
  name:
    "readProcNet() finds a listener with --allow-run=cat and no --allow-all",
  permissions: { read: true, env: true, net: true, run: ["cat"] },
  async fn() {
    using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const { port } = listener.addr;
    const found = (await readProcNet()).filter((s) => s.port === port);
    deepStrictEqual(found, [{ protocol: "tcp", address: "127.0.0.1", port }]);
  },
});

Deno.test({
  name:
    "readProcNet() rejects with NotCapable when it may neither read nor run cat",
  permissions: { read: false, env: true, run: false },
  async fn() {
    await rejects(readProcNet(), Deno.errors.NotCapable);
  },
});
