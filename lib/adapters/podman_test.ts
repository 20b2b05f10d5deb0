import { deepStrictEqual, rejects } from "node:assert/strict";
import {
  listContainers,
  listNetworks,
  listVolumes,
  podmanVersion,
} from "./podman.ts";
import { fakeRunner } from "./fake_runner.ts";
import { CommandError } from "./command_error.ts";

const TESTDATA = new URL("./testdata/", import.meta.url);

async function captured(name: string): Promise<string> {
  return await Deno.readTextFile(new URL(name, TESTDATA));
}

Deno.test("podmanVersion() parses the version line", async () => {
  const cases: [string, unknown][] = [
    [await captured("podman_version.out"), {
      text: "4.3.1",
      major: 4,
      minor: 3,
      patch: 1,
    }],
    ["podman version 5.8.6\n", { text: "5.8.6", major: 5, minor: 8, patch: 6 }],
    ["podman version 5.6.0-rc1\n", {
      text: "5.6.0-rc1",
      major: 5,
      minor: 6,
      patch: 0,
    }],
    ["podman-remote version 5.7.1\n", {
      text: "5.7.1",
      major: 5,
      minor: 7,
      patch: 1,
    }],
  ];
  for (const [stdout, expected] of cases) {
    const runner = fakeRunner([{
      bin: "podman",
      args: ["--version"],
      result: { stdout },
    }]);
    deepStrictEqual(await podmanVersion(runner), expected);
    runner.assertAllCalled();
  }
});

Deno.test("podmanVersion() throws SyntaxError when the output is not a version", async () => {
  const runner = fakeRunner([{
    bin: "podman",
    args: ["--version"],
    result: { stdout: "docker 24\n" },
  }]);
  await rejects(podmanVersion(runner), {
    name: "SyntaxError",
    message: /expected "podman version X.Y.Z"/,
  });
});

Deno.test("listVolumes() reads the names from Podman's JSON", async () => {
  const cases: [string, string[]][] = [
    [await captured("podman_volume_ls.out"), [
      "leger-capture-a",
      "leger-capture-b",
    ]],
    ["[]\n", []],
    ["", []],
    ["null\n", []],
  ];
  for (const [stdout, expected] of cases) {
    const runner = fakeRunner([
      {
        bin: "podman",
        args: ["volume", "ls", "--format", "json"],
        result: { stdout },
      },
    ]);
    deepStrictEqual(await listVolumes(runner), expected);
  }
});

Deno.test("listContainers() reads every name, stopped containers included", async () => {
  const runner = fakeRunner([{
    bin: "podman",
    args: ["ps", "--all", "--format", "json"],
    result: { stdout: await captured("podman_ps.out") },
  }]);
  deepStrictEqual(await listContainers(runner), ["caddy", "old-db"]);
  runner.assertAllCalled();
});

Deno.test("listNetworks() reads the names from Podman's JSON", async () => {
  const runner = fakeRunner([{
    bin: "podman",
    args: ["network", "ls", "--format", "json"],
    result: { stdout: await captured("podman_network_ls.out") },
  }]);
  deepStrictEqual(await listNetworks(runner), ["podman"]);
});

Deno.test("list functions throw SyntaxError when the output is not Podman's JSON list", async (t) => {
  const cases = [
    { name: "not JSON", stdout: "NAME\ndata\n", message: /it is not JSON/ },
    {
      name: "not a list",
      stdout: '{"Name":"x"}',
      message: /expected a JSON list of objects/,
    },
    {
      name: "no Name",
      stdout: '[{"Driver":"local"}]',
      message: /an entry has no "Name" string/,
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      const runner = fakeRunner([
        {
          bin: "podman",
          args: ["volume", "ls", "--format", "json"],
          result: { stdout: c.stdout },
        },
      ]);
      await rejects(listVolumes(runner), {
        name: "SyntaxError",
        message: c.message,
      });
    });
  }
  await t.step("containers without Names", async () => {
    const runner = fakeRunner([
      {
        bin: "podman",
        args: ["ps", "--all", "--format", "json"],
        result: { stdout: '[{"Id":"x"}]' },
      },
    ]);
    await rejects(listContainers(runner), {
      name: "SyntaxError",
      message: /no "Names" list/,
    });
  });
});

Deno.test("list functions pass CommandError on when podman fails", async () => {
  const runner = fakeRunner([{
    bin: "podman",
    args: ["network", "ls", "--format", "json"],
    result: { code: 125, stderr: "Error: cannot connect\n" },
  }]);
  await rejects(
    listNetworks(runner),
    (err) => err instanceof CommandError && err.code === 125,
  );
});
