import { deepStrictEqual, throws } from "node:assert/strict";
import { parseProcNet } from "./parse_proc_net.ts";

// testdata/proc_net/ holds /proc/net/{tcp,tcp6,udp,udp6} captured on a Debian 12
// machine (x86-64, little-endian) while a Deno script listened on TCP
// 127.0.0.1:18080, 0.0.0.0:18081, [::]:18082, [::1]:18083 and
// [::ffff:127.0.0.1]:18084, bound UDP 0.0.0.0:15353, 127.0.0.1:15354,
// [::]:15355 and [::1]:15356, and held two established connections (one of
// them IPv4 over the IPv6 listener, so v4-mapped). Port 2024 was the host's own.
const TESTDATA = new URL("./testdata/proc_net/", import.meta.url);

async function read(name: string): Promise<string> {
  return await Deno.readTextFile(new URL(name, TESTDATA));
}

Deno.test("parseProcNet() lists the listening sockets of captured /proc/net files", async () => {
  const cases: [string, "tcp" | "udp", unknown[]][] = [
    ["tcp", "tcp", [
      { protocol: "tcp", address: "0.0.0.0", port: 2024 },
      { protocol: "tcp", address: "0.0.0.0", port: 18081 },
      { protocol: "tcp", address: "127.0.0.1", port: 18080 },
    ]],
    ["tcp6", "tcp", [
      { protocol: "tcp", address: "::", port: 18082 },
      { protocol: "tcp", address: "::ffff:127.0.0.1", port: 18084 },
      { protocol: "tcp", address: "::1", port: 18083 },
    ]],
    ["udp", "udp", [
      { protocol: "udp", address: "0.0.0.0", port: 15353 },
      { protocol: "udp", address: "127.0.0.1", port: 15354 },
    ]],
    ["udp6", "udp", [
      { protocol: "udp", address: "::", port: 15355 },
      { protocol: "udp", address: "::1", port: 15356 },
    ]],
  ];
  for (const [file, protocol, expected] of cases) {
    deepStrictEqual(parseProcNet(await read(file), protocol), expected, file);
  }
});

Deno.test("parseProcNet() leaves out sockets that are not listening", () => {
  const header =
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
  const cases: [string, string, "tcp" | "udp", number][] = [
    ["tcp established", "0100007F:E88C 0100007F:46A0 01", "tcp", 0],
    ["tcp time-wait", "0100007F:E88C 0100007F:46A0 06", "tcp", 0],
    ["tcp listen", "0100007F:46A0 00000000:0000 0A", "tcp", 1],
    ["udp connected", "0100007F:3BF9 0100007F:0035 01", "udp", 0],
    ["udp bound", "0100007F:3BF9 00000000:0000 07", "udp", 1],
    ["udp state of tcp listen", "0100007F:3BF9 00000000:0000 0A", "udp", 0],
  ];
  for (const [name, fields, protocol, count] of cases) {
    const text =
      `${header}   0: ${fields} 00000000:00000000 00:00000000 00000000  0 0 1 1\n`;
    deepStrictEqual(parseProcNet(text, protocol).length, count, name);
  }
});

Deno.test("parseProcNet() decodes IPv6 addresses word by word", () => {
  const cases: [string, string][] = [
    ["00000000000000000000000000000000", "::"],
    ["00000000000000000000000001000000", "::1"],
    ["0000000000000000FFFF00000100007F", "::ffff:127.0.0.1"],
    ["B80D0120000000000000000001000000", "2001:db8::1"],
    ["000080FE00000000FF020000FEFFFFFF", "fe80::2ff:ffff:fffe"],
    ["B80D0120000000000100000000000000", "2001:db8::1:0:0"],
  ];
  for (const [hex, expected] of cases) {
    const text =
      `   0: ${hex}:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1 1\n`;
    deepStrictEqual(parseProcNet(text, "tcp"), [
      { protocol: "tcp", address: expected, port: 80 },
    ], hex);
  }
});

Deno.test("parseProcNet() lists a socket once when several share its address", () => {
  const line =
    "   0: 00000000:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1 1\n";
  deepStrictEqual(parseProcNet(line + line.replace("0:", "1:"), "tcp"), [
    { protocol: "tcp", address: "0.0.0.0", port: 80 },
  ]);
});

Deno.test("parseProcNet() returns nothing for a file with only its header", () => {
  deepStrictEqual(
    parseProcNet("  sl  local_address rem_address   st tx_queue\n", "udp"),
    [],
  );
});

Deno.test("parseProcNet() throws SyntaxError when a line is not in the kernel's format", () => {
  throws(() => parseProcNet("   0: garbage\n", "tcp"), {
    name: "SyntaxError",
    message: /Cannot parse \/proc\/net\/tcp at line 1/,
  });
});
