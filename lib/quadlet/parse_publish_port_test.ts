import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
import { parsePublishPort } from "./parse_publish_port.ts";
import type { PublishedPort } from "./types.ts";

type Parsed = Pick<
  PublishedPort,
  "hostIp" | "hostPort" | "containerPort" | "protocol"
>;

function port(
  hostIp: string | null,
  hostPort: string | null,
  containerPort: string,
  protocol: PublishedPort["protocol"] = "tcp",
): Parsed {
  return { hostIp, hostPort, containerPort, protocol };
}

const VALID: ReadonlyArray<[string, Parsed]> = [
  // Every form of Podman's test corpus (ports.container, ports_ipv6.container).
  ["127.0.0.1:80:90", port("127.0.0.1", "80", "90")],
  ["0.0.0.0:80:91", port("0.0.0.0", "80", "91")],
  [":80:92", port(null, "80", "92")],
  ["127.0.0.1::93", port("127.0.0.1", null, "93")],
  ["0.0.0.0::94", port("0.0.0.0", null, "94")],
  ["::95", port(null, null, "95")],
  ["80:96", port(null, "80", "96")],
  ["97", port(null, null, "97")],
  ["1234/udp", port(null, null, "1234", "udp")],
  ["1234:1234/udp", port(null, "1234", "1234", "udp")],
  ["127.0.0.1:1234:1234/udp", port("127.0.0.1", "1234", "1234", "udp")],
  ["1234/tcp", port(null, null, "1234")],
  ["1234:1234/tcp", port(null, "1234", "1234")],
  ["127.0.0.1:1234:1234/tcp", port("127.0.0.1", "1234", "1234")],
  ["${PORT}:${PORT}", port(null, "${PORT}", "${PORT}")],
  ["[::1]:80:90", port("::1", "80", "90")],
  ["[::]:80:91", port("::", "80", "91")],
  ["[2001:DB8::23]:80:91", port("2001:DB8::23", "80", "91")],
  ["[::1]::93", port("::1", null, "93")],
  ["[::]::94", port("::", null, "94")],
  ["[2001:db8::42]::94", port("2001:db8::42", null, "94")],
  ["[::1]:1234:1234/udp", port("::1", "1234", "1234", "udp")],
  ["[::1]:1234:1234/tcp", port("::1", "1234", "1234")],
  [
    "[2001:db8:c0:ff:ee::1]:1234:1234/udp",
    port("2001:db8:c0:ff:ee::1", "1234", "1234", "udp"),
  ],
  // Ranges, SCTP, upper case protocol, host port 0, specifiers.
  ["8000-8010:9000-9010", port(null, "8000-8010", "9000-9010")],
  [
    "127.0.0.1:8000-8001:80-81/udp",
    port("127.0.0.1", "8000-8001", "80-81", "udp"),
  ],
  ["5000-5005", port(null, null, "5000-5005")],
  ["9999/sctp", port(null, null, "9999", "sctp")],
  ["53:53/UDP", port(null, "53", "53", "udp")],
  ["0:80", port(null, "0", "80")],
  ["%i:80", port(null, "%i", "80")],
  ["[fe80::1%eth0]:80:80", port("fe80::1%eth0", "80", "80")],
];

Deno.test("parsePublishPort() reads every --publish form", () => {
  for (const [value, expected] of VALID) {
    const parsed = parsePublishPort(value, { file: "web.container", line: 7 });
    assertEquals(parsed, {
      ...expected,
      spec: value,
      line: 7,
      file: "web.container",
    }, value);
  }
});

Deno.test("parsePublishPort() defaults file and line when not given", () => {
  assertEquals(parsePublishPort("80").file, "");
  assertEquals(parsePublishPort("80").line, 0);
});

const INVALID: ReadonlyArray<[string, string, RegExp]> = [
  ["", "SyntaxError", /the container port is empty/],
  ["8080:", "SyntaxError", /the container port is empty/],
  ["1:2:3:4", "SyntaxError", /expected \[\[IP:\]HOST:\]CONTAINER/],
  ["::1:80:90", "SyntaxError", /expected \[\[IP:\]HOST:\]CONTAINER/],
  ["[::1]:80", "SyntaxError", /expected/],
  ["[::1]80:90", "SyntaxError", /followed by ":"/],
  ["::1]:80:90", "SyntaxError", /brackets/],
  ["[::1]:[::2]:80", "SyntaxError", /more than one IPv6 address/],
  ["80/tcp/udp", "SyntaxError", /protocol must be tcp, udp or sctp/],
  ["80/", "SyntaxError", /protocol must be tcp, udp or sctp/],
  ["80/icmp", "SyntaxError", /current value is "icmp"/],
  ["web:80", "SyntaxError", /"web" is not a port/],
  ["localhost:80:90", "SyntaxError", /"localhost" is not an IP address/],
  ["300.0.0.1:80:90", "SyntaxError", /"300.0.0.1" is not an IP address/],
  ["[zz::1]:80:90", "SyntaxError", /"zz::1" is not an IP address/],
  ['"80:80"', "SyntaxError", /is not a port/],
  ["80:0", "RangeError", /ports must be 1-65535: current value is 0/],
  ["70000:80", "RangeError", /ports must be 0-65535: current value is 70000/],
  ["8010-8000:80", "RangeError", /ends before it starts/],
  [
    "8000-8002:80-81",
    "RangeError",
    /host range has 3 ports and the container range 2/,
  ],
];

Deno.test("parsePublishPort() rejects values podman run cannot use", () => {
  for (const [value, name, message] of INVALID) {
    throws(() => parsePublishPort(value), { name, message }, value);
  }
});
