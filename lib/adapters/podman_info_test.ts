import {
  deepStrictEqual,
  rejects,
  strictEqual,
  throws,
} from "node:assert/strict";
import { fakeRunner } from "./fake_runner.ts";
import { parsePodmanInfo, readPodmanInfo } from "./podman_info.ts";

const ROOTLESS = await Deno.readTextFile(
  new URL("./testdata/podman_info_rootless.out", import.meta.url),
);
const ROOT = await Deno.readTextFile(
  new URL("./testdata/podman_info_root.out", import.meta.url),
);

Deno.test("parsePodmanInfo() reads Podman 5.8's real output as a rootless user", () => {
  deepStrictEqual(parsePodmanInfo(ROOTLESS), {
    version: "5.8.6",
    uidMap: [
      { containerId: 0, hostId: 1000, size: 1 },
      { containerId: 1, hostId: 100000, size: 65536 },
    ],
    graphRoot: "/home/leger/.local/share/containers/storage",
  });
});

Deno.test("parsePodmanInfo() reads Podman 5.8's real output as root: no id mappings", () => {
  const info = parsePodmanInfo(ROOT);
  deepStrictEqual(info.uidMap, []);
  strictEqual(info.graphRoot, "/var/lib/containers/storage");
});

Deno.test("parsePodmanInfo() refuses what is not Podman's document", () => {
  throws(() => parsePodmanInfo("Error: oops"), /not JSON/);
  throws(() => parsePodmanInfo("{}"), /no "version.Version"/);
});

Deno.test("readPodmanInfo() runs podman info --format json once", async () => {
  const runner = fakeRunner([{
    bin: "podman",
    args: ["info", "--format", "json"],
    result: { stdout: ROOTLESS },
  }]);
  strictEqual((await readPodmanInfo({ runner })).version, "5.8.6");
  runner.assertAllCalled();
  await rejects(
    readPodmanInfo({
      runner: fakeRunner([{
        bin: "podman",
        args: ["info", "--format", "json"],
        result: { stdout: "", code: 125, stderr: "Error: boom" },
      }]),
    }),
    /exit/i,
  );
});
