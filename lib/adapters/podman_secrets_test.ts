import { deepStrictEqual, ok, rejects, strictEqual } from "node:assert/strict";
import { LegerError } from "../errors/leger_error.ts";
import { fakeRunner } from "./fake_runner.ts";
import {
  createPodmanSecret,
  listPodmanSecrets,
  type PodmanSecret,
  type PodmanSecretSupport,
  removePodmanSecret,
} from "./podman_secrets.ts";

const TESTDATA = new URL("./testdata/", import.meta.url);
const LS = ["secret", "ls", "--format", "{{json .}}"];
const API_ID = "80b4ad420c8e52d6a9fde0172";
const DB_ID = "01c71812bd9fa8390727c38ef";
const API_TOKEN: PodmanSecret = {
  id: API_ID,
  name: "api_token",
  labels: {
    "io.leger.created_at": "2025-01-31T12:00:00Z",
    "io.leger.digest": "ab".repeat(32),
    "io.leger.managed": "true",
    "io.leger.version": "3",
  },
  updated_at: "2026-11-30T15:31:08.682453022Z",
};
const DB_PASSWORD: PodmanSecret = {
  id: DB_ID,
  name: "db_password",
  labels: null,
  updated_at: "2026-11-30T15:31:08.705605015Z",
};

async function captured(name: string): Promise<string> {
  return await Deno.readTextFile(new URL(name, TESTDATA));
}

Deno.test("listPodmanSecrets() reads Podman 4.3's real listing and inspection", async () => {
  const runner = fakeRunner([
    {
      bin: "podman",
      args: LS,
      result: { stdout: await captured("podman_secret_ls.out") },
    },
    {
      bin: "podman",
      args: ["secret", "inspect", "--", DB_ID, API_ID],
      result: { stdout: await captured("podman_secret_inspect.out") },
    },
  ]);
  deepStrictEqual(await listPodmanSecrets(runner), [API_TOKEN, DB_PASSWORD]);
  runner.assertAllCalled();
});

Deno.test("listPodmanSecrets() inspects only the ids its cache lacks, and forgets ids gone", async () => {
  const cache = new Map<string, PodmanSecret>([
    [API_ID, API_TOKEN],
    ["0000000000000000000000000", { ...DB_PASSWORD, id: "0".repeat(25) }],
  ]);
  const runner = fakeRunner([
    {
      bin: "podman",
      args: LS,
      result: { stdout: await captured("podman_secret_ls.out") },
    },
    {
      bin: "podman",
      args: ["secret", "inspect", "--", DB_ID],
      result: {
        stdout: JSON.stringify([{
          ID: DB_ID,
          UpdatedAt: DB_PASSWORD.updated_at,
          Spec: { Name: "db_password", Labels: {} },
        }]),
      },
    },
  ]);
  deepStrictEqual(await listPodmanSecrets(runner, { cache }), [
    API_TOKEN,
    DB_PASSWORD,
  ]);
  deepStrictEqual([...cache.keys()].sort(), [DB_ID, API_ID].sort());
  runner.assertAllCalled();
  const steady = fakeRunner([
    {
      bin: "podman",
      args: LS,
      result: { stdout: await captured("podman_secret_ls.out") },
    },
  ]);
  strictEqual((await listPodmanSecrets(steady, { cache })).length, 2);
  strictEqual(steady.calls.length, 1);
});

Deno.test("listPodmanSecrets() leaves out a secret removed between the listing and the inspection", async () => {
  const runner = fakeRunner([
    {
      bin: "podman",
      args: LS,
      result: { stdout: await captured("podman_secret_ls.out") },
    },
    {
      bin: "podman",
      args: ["secret", "inspect", "--", DB_ID, API_ID],
      result: {
        code: 125,
        stdout: JSON.stringify([{
          ID: API_ID,
          UpdatedAt: API_TOKEN.updated_at,
          Spec: { Name: "api_token", Labels: API_TOKEN.labels },
        }]),
        stderr:
          `Error: inspecting secret: no secret with name or id "${DB_ID}": no such secret\n`,
      },
    },
  ]);
  deepStrictEqual(await listPodmanSecrets(runner), [API_TOKEN]);
});

Deno.test("listPodmanSecrets() reads an empty store without inspecting", async () => {
  const runner = fakeRunner([{
    bin: "podman",
    args: LS,
    result: { stdout: "" },
  }]);
  deepStrictEqual(await listPodmanSecrets(runner), []);
});

Deno.test("listPodmanSecrets() refuses output that is not Podman's list, naming the command", async (t) => {
  const cases: [string, RegExp][] = [
    ["json\njson\n", /`podman secret ls`: line 1 is not JSON/],
    ['{"Name":"x"}\n', /line 1 has no "ID" and "Name" strings/],
  ];
  for (const [stdout, message] of cases) {
    await t.step(JSON.stringify(stdout), async () => {
      const runner = fakeRunner([{
        bin: "podman",
        args: LS,
        result: { stdout },
      }]);
      await rejects(listPodmanSecrets(runner), {
        code: "ERR_COMMAND_FAILED",
        message,
      });
    });
  }
});

Deno.test("listPodmanSecrets() turns Podman's failure into ERR_COMMAND_FAILED with its message", async () => {
  const runner = fakeRunner([{
    bin: "podman",
    args: LS,
    result: { code: 125, stderr: "Error: database is locked\n" },
  }]);
  await rejects(listPodmanSecrets(runner), {
    name: "LegerError",
    code: "ERR_COMMAND_FAILED",
    message:
      "Cannot list Podman's secrets: `podman secret ls` exited with code 125: Error: database is locked",
  });
});

Deno.test("createPodmanSecret() passes the value on stdin only, labels as arguments", async () => {
  const runner = fakeRunner([{
    bin: "podman",
    args: [
      "secret",
      "create",
      "--label",
      "io.leger.managed=true",
      "--label",
      "io.leger.version=2",
      "--",
      "api_token",
      "-",
    ],
    stdin: "value-on-stdin",
    result: { stdout: `${API_ID}\n` },
  }]);
  deepStrictEqual(
    await createPodmanSecret(runner, {
      name: "api_token",
      value: "value-on-stdin",
      labels: { "io.leger.managed": "true", "io.leger.version": "2" },
    }),
    { id: API_ID, how: "create" },
  );
  ok(
    runner.calls.every((call) =>
      !call.args.some((arg) => arg.includes("value-on-stdin"))
    ),
  );
});

Deno.test("createPodmanSecret() falls back to rm + create on a Podman without --replace, once", async () => {
  const support: PodmanSecretSupport = { replace: null };
  const create = ["secret", "create", "--", "tok", "-"];
  const runner = fakeRunner([
    {
      bin: "podman",
      args: ["secret", "create", "--replace", "--", "tok", "-"],
      result: {
        code: 125,
        stderr:
          "Error: unknown flag: --replace\nSee 'podman secret create --help'\n",
      },
    },
    {
      bin: "podman",
      args: ["secret", "rm", "--", "tok"],
      result: { stdout: `${API_ID}\n` },
      times: 2,
    },
    {
      bin: "podman",
      args: create,
      stdin: "v",
      result: { stdout: `${DB_ID}\n` },
      times: 2,
    },
  ]);
  deepStrictEqual(
    await createPodmanSecret(
      runner,
      { name: "tok", value: "v", replace: true },
      support,
    ),
    { id: DB_ID, how: "rm-create" },
  );
  strictEqual(support.replace, false);
  // Known now: no second attempt with --replace.
  await createPodmanSecret(
    runner,
    { name: "tok", value: "v", replace: true },
    support,
  );
  runner.assertAllCalled();
  strictEqual(
    runner.calls.filter((c) => c.args.includes("--replace")).length,
    1,
  );
});

Deno.test("createPodmanSecret() names the secret, never the value, when Podman refuses", async () => {
  const runner = fakeRunner([{
    bin: "podman",
    args: ["secret", "create", "--", "tok", "-"],
    result: { code: 125, stderr: "Error: tok: secret name in use\n" },
  }]);
  const error = await createPodmanSecret(runner, {
    name: "tok",
    value: "hunter2-value",
  })
    .catch((e) => e);
  ok(error instanceof LegerError);
  strictEqual(error.code, "ERR_SECRET_SYNC_FAILED");
  strictEqual(
    error.message,
    'Cannot write secret "tok" to Podman: `podman secret create` exited with code 125: Error: tok: secret name in use',
  );
  ok(!JSON.stringify(error.toJSON()).includes("hunter2-value"));
});

Deno.test("removePodmanSecret() removes, and counts a missing secret as done", async () => {
  const runner = fakeRunner([
    {
      bin: "podman",
      args: ["secret", "rm", "--", "a"],
      result: { stdout: `${API_ID}\n` },
    },
    {
      bin: "podman",
      args: ["secret", "rm", "--", "b"],
      result: {
        code: 125,
        stderr: 'Error: no secret with name or id "b": no such secret\n',
      },
    },
    {
      bin: "podman",
      args: ["secret", "rm", "--", "c"],
      result: {
        code: 125,
        stderr: "Error: secret c is in use by container x\n",
      },
    },
  ]);
  strictEqual(await removePodmanSecret(runner, "a"), true);
  strictEqual(await removePodmanSecret(runner, "b"), false);
  await rejects(removePodmanSecret(runner, "c"), {
    code: "ERR_SECRET_SYNC_FAILED",
    message: /^Cannot remove secret "c" from Podman: .*in use/,
  });
});
