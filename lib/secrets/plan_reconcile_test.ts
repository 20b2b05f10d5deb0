import { deepStrictEqual, strictEqual, throws } from "node:assert/strict";
import {
  type BackendSecret,
  planReconcile,
  type PlanReconcileInput,
  type PodmanSecretInfo,
  type ReconcilePlan,
} from "./plan_reconcile.ts";
import type { RequiredSecret } from "./required_secrets.ts";

// A digest per value, as a keyed digest would give: equal values, equal digests.
const DIGESTS: Record<string, string> = {
  v1: "1".repeat(64),
  v2: "2".repeat(64),
  v3: "3".repeat(64),
};
const digest = (secret: BackendSecret) => DIGESTS[secret.value];
const T1 = "2025-01-01T00:00:00Z";
const T2 = "2025-02-01T00:00:00Z";

function need(
  name: string,
  units: string[],
  services: string[],
): RequiredSecret {
  return { name, units, services };
}
function remote(
  name: string,
  value: string,
  version: number,
  created_at = T1,
): BackendSecret {
  return { name, value, version, created_at };
}
function managed(
  name: string,
  value: string | null,
  version: number,
  created_at = T1,
): PodmanSecretInfo {
  const labels: Record<string, string> = {
    "io.leger.managed": "true",
    "io.leger.version": String(version),
    "io.leger.created_at": created_at,
  };
  if (value !== null) labels["io.leger.digest"] = DIGESTS[value];
  return { name, labels };
}
function unmanaged(
  name: string,
  labels: Record<string, string> | null = null,
): PodmanSecretInfo {
  return { name, labels };
}
const EMPTY: ReconcilePlan = {
  create: [],
  replace: [],
  remove: [],
  restart: [],
  start: [],
  missing: [],
  unmanaged: [],
  unchanged: [],
};
const WEB = need("api_token", ["web.container"], ["web.service"]);

const CASES: {
  name: string;
  input:
    & Omit<PlanReconcileInput, "digest" | "restart">
    & Partial<PlanReconcileInput>;
  want: Partial<ReconcilePlan>;
}[] = [
  {
    name: "nothing required, nothing anywhere: empty plan",
    input: { required: [], backend: [], podman: [] },
    want: {},
  },
  {
    name:
      "steady state: same version, same digest, service running → no writes, no restart",
    input: {
      required: [WEB],
      backend: [remote("api_token", "v1", 3)],
      podman: [managed("api_token", "v1", 3)],
      running: ["web.service"],
    },
    want: { unchanged: ["api_token"] },
  },
  {
    name: "backend secrets no unit requires are ignored",
    input: { required: [], backend: [remote("other", "v1", 1)], podman: [] },
    want: {},
  },
  {
    name:
      "required, absent in Podman → create, restart nothing that is not running",
    input: {
      required: [WEB],
      backend: [remote("api_token", "v1", 1)],
      podman: [],
    },
    want: {
      create: [{
        name: "api_token",
        version: 1,
        created_at: T1,
        digest: DIGESTS.v1,
      }],
    },
  },
  {
    name:
      "a new value with a new version → replace and restart the running service",
    input: {
      required: [WEB],
      backend: [remote("api_token", "v2", 4)],
      podman: [managed("api_token", "v1", 3)],
      running: ["web.service"],
    },
    want: {
      replace: [{
        name: "api_token",
        version: 4,
        created_at: T1,
        digest: DIGESTS.v2,
        reason: "changed",
      }],
      restart: ["web.service"],
    },
  },
  {
    name: "the identical value re-posted with a bumped version → unchanged",
    input: {
      required: [WEB],
      backend: [remote("api_token", "v1", 9)],
      podman: [managed("api_token", "v1", 3)],
      running: ["web.service"],
    },
    want: { unchanged: ["api_token"] },
  },
  {
    name:
      "delete + re-create: version 1, a new created_at, a new value → replace",
    input: {
      required: [WEB],
      backend: [remote("api_token", "v2", 1, T2)],
      podman: [managed("api_token", "v1", 5, T1)],
      running: ["web.service"],
    },
    want: {
      replace: [{
        name: "api_token",
        version: 1,
        created_at: T2,
        digest: DIGESTS.v2,
        reason: "changed",
      }],
      restart: ["web.service"],
    },
  },
  {
    name:
      "delete + re-create with the same value → unchanged (nothing to restart for)",
    input: {
      required: [WEB],
      backend: [remote("api_token", "v1", 1, T2)],
      podman: [managed("api_token", "v1", 5, T1)],
      running: ["web.service"],
    },
    want: { unchanged: ["api_token"] },
  },
  {
    name:
      "concurrent update: the same version and created_at, another value → replace",
    input: {
      required: [WEB],
      backend: [remote("api_token", "v2", 3)],
      podman: [managed("api_token", "v1", 3)],
      running: ["web.service"],
    },
    want: {
      replace: [{
        name: "api_token",
        version: 3,
        created_at: T1,
        digest: DIGESTS.v2,
        reason: "changed",
      }],
      restart: ["web.service"],
    },
  },
  {
    name: "managed without a digest label → replace as unverified, restart",
    input: {
      required: [WEB],
      backend: [remote("api_token", "v1", 3)],
      podman: [managed("api_token", null, 3)],
      running: ["web.service"],
    },
    want: {
      replace: [{
        name: "api_token",
        version: 3,
        created_at: T1,
        digest: DIGESTS.v1,
        reason: "unverified",
      }],
      restart: ["web.service"],
    },
  },
  {
    name:
      "unmanaged secret with the required name → untouched and reported, even when leger.run has it",
    input: {
      required: [WEB],
      backend: [remote("api_token", "v2", 2)],
      podman: [unmanaged("api_token", { owner: "me" })],
      running: ["web.service"],
    },
    want: { unmanaged: [{ name: "api_token", units: ["web.container"] }] },
  },
  {
    name: "a secret labelled io.leger.managed=false is not leger's",
    input: {
      required: [WEB],
      backend: [remote("api_token", "v2", 2)],
      podman: [unmanaged("api_token", { "io.leger.managed": "false" })],
    },
    want: { unmanaged: [{ name: "api_token", units: ["web.container"] }] },
  },
  {
    name: "an unmanaged secret nobody requires is neither removed nor reported",
    input: { required: [], backend: [], podman: [unmanaged("mine")] },
    want: {},
  },
  {
    name:
      "orphan: a leger-managed secret no unit requires → removed, even when leger.run still has it",
    input: {
      required: [],
      backend: [remote("old", "v1", 1)],
      podman: [managed("old", "v1", 1), managed("gone", "v2", 2)],
    },
    want: { remove: ["gone", "old"] },
  },
  {
    name: "required but not in leger.run → missing per unit, nothing written",
    input: {
      required: [
        need("db_pass", ["db.container", "web.container"], [
          "db.service",
          "web.service",
        ]),
      ],
      backend: [],
      podman: [],
    },
    want: {
      missing: [{
        name: "db_pass",
        units: ["db.container", "web.container"],
        in_podman: false,
      }],
    },
  },
  {
    name:
      "deleted in leger.run after sync → missing, the managed copy is kept (not removed)",
    input: {
      required: [WEB],
      backend: [],
      podman: [managed("api_token", "v1", 1)],
      running: ["web.service"],
    },
    want: {
      missing: [{
        name: "api_token",
        units: ["web.container"],
        in_podman: true,
      }],
    },
  },
  {
    name: "restart: never → replace without restart",
    input: {
      required: [WEB],
      backend: [remote("api_token", "v2", 4)],
      podman: [managed("api_token", "v1", 3)],
      running: ["web.service"],
      restart: "never",
    },
    want: {
      replace: [{
        name: "api_token",
        version: 4,
        created_at: T1,
        digest: DIGESTS.v2,
        reason: "changed",
      }],
    },
  },
  {
    name: "a changed secret restarts only running services that use it",
    input: {
      required: [
        need("s", ["a.container", "b.container"], ["a.service", "b.service"]),
        need("t", ["c.container"], ["c.service"]),
      ],
      backend: [remote("s", "v2", 2), remote("t", "v1", 1)],
      podman: [managed("s", "v1", 1), managed("t", "v1", 1)],
      running: ["a.service", "c.service", "x.service"],
    },
    want: {
      replace: [{
        name: "s",
        version: 2,
        created_at: T1,
        digest: DIGESTS.v2,
        reason: "changed",
      }],
      restart: ["a.service"],
      unchanged: ["t"],
    },
  },
  {
    name: "two changed secrets of one service restart it once",
    input: {
      required: [
        need("s", ["a.container"], ["a.service"]),
        need("t", ["a.container"], ["a.service"]),
      ],
      backend: [remote("s", "v2", 2), remote("t", "v3", 2)],
      podman: [managed("s", "v1", 1), managed("t", "v1", 1)],
      running: ["a.service"],
    },
    want: {
      replace: [
        {
          name: "s",
          version: 2,
          created_at: T1,
          digest: DIGESTS.v2,
          reason: "changed",
        },
        {
          name: "t",
          version: 2,
          created_at: T1,
          digest: DIGESTS.v3,
          reason: "changed",
        },
      ],
      restart: ["a.service"],
    },
  },
  {
    name: "a template service restarts its running instances",
    input: {
      required: [need("tok", ["worker@.container"], ["worker@.service"])],
      backend: [remote("tok", "v2", 2)],
      podman: [managed("tok", "v1", 1)],
      running: [
        "worker@b.service",
        "worker@a.service",
        "workerx.service",
        "worker@.service.d",
      ],
    },
    want: {
      replace: [{
        name: "tok",
        version: 2,
        created_at: T1,
        digest: DIGESTS.v2,
        reason: "changed",
      }],
      restart: ["worker@a.service", "worker@b.service"],
    },
  },
  {
    name: "a created secret restarts a service that runs without it",
    input: {
      required: [WEB],
      backend: [remote("api_token", "v1", 1)],
      podman: [],
      running: ["web.service"],
    },
    want: {
      create: [{
        name: "api_token",
        version: 1,
        created_at: T1,
        digest: DIGESTS.v1,
      }],
      restart: ["web.service"],
    },
  },
  {
    name:
      "force: a current managed secret is replaced as forced and restarts its running service",
    input: {
      required: [WEB, need("mine", ["web.container"], ["web.service"])],
      backend: [remote("api_token", "v1", 3), remote("mine", "v1", 1)],
      podman: [managed("api_token", "v1", 3), unmanaged("mine")],
      running: ["web.service"],
      force: true,
    },
    want: {
      replace: [{
        name: "api_token",
        version: 3,
        created_at: T1,
        digest: DIGESTS.v1,
        reason: "forced",
      }],
      restart: ["web.service"],
      unmanaged: [{ name: "mine", units: ["web.container"] }],
    },
  },
  {
    name: "force: a changed secret is still replaced as changed",
    input: {
      required: [WEB],
      backend: [remote("api_token", "v2", 4)],
      podman: [managed("api_token", "v1", 3)],
      force: true,
      restart: "never",
      running: ["web.service"],
    },
    want: {
      replace: [{
        name: "api_token",
        version: 4,
        created_at: T1,
        digest: DIGESTS.v2,
        reason: "changed",
      }],
    },
  },
  {
    name: "a service left stopped starts once its secret is created",
    input: {
      required: [WEB],
      backend: [remote("api_token", "v1", 1)],
      podman: [],
      stopped: [["web.service"]],
    },
    want: {
      create: [{
        name: "api_token",
        version: 1,
        created_at: T1,
        digest: DIGESTS.v1,
      }],
      start: ["web.service"],
    },
  },
  {
    name: "a service left stopped starts under restart: never too",
    input: {
      required: [WEB],
      backend: [remote("api_token", "v1", 1)],
      podman: [],
      stopped: [["web.service"]],
      restart: "never",
    },
    want: {
      create: [{
        name: "api_token",
        version: 1,
        created_at: T1,
        digest: DIGESTS.v1,
      }],
      start: ["web.service"],
    },
  },
  {
    name:
      "a service left stopped stays stopped while one of its secrets is missing",
    input: {
      required: [
        need("a", ["web.container"], ["web.service"]),
        need("b", ["web.container"], ["web.service"]),
      ],
      backend: [remote("a", "v1", 1)],
      podman: [],
      stopped: [["web.service"]],
    },
    want: {
      create: [{ name: "a", version: 1, created_at: T1, digest: DIGESTS.v1 }],
      missing: [{ name: "b", units: ["web.container"], in_podman: false }],
    },
  },
  {
    name:
      "a service left stopped starts when its secret exists unmanaged or unchanged",
    input: {
      required: [
        need("a", ["web.container"], ["web.service"]),
        need("b", ["web.container"], ["web.service"]),
      ],
      backend: [remote("a", "v1", 1)],
      podman: [managed("a", "v1", 1), unmanaged("b")],
      stopped: [["web.service"]],
    },
    want: {
      unchanged: ["a"],
      unmanaged: [{ name: "b", units: ["web.container"] }],
      start: ["web.service"],
    },
  },
  {
    name: "a stopped service already running again is not started",
    input: {
      required: [WEB],
      backend: [remote("api_token", "v1", 1)],
      podman: [managed("api_token", "v1", 1)],
      running: ["web.service"],
      stopped: [["web.service"]],
    },
    want: { unchanged: ["api_token"] },
  },
  {
    // Caddy wants Miniflux, which uses the secret: Caddy waited with it.
    name:
      "a stopped service that uses no secret starts with the last of its deployment's that do",
    input: {
      required: [WEB, need("db_pass", ["db.container"], ["db.service"])],
      backend: [remote("api_token", "v1", 1), remote("db_pass", "v1", 1)],
      podman: [managed("api_token", "v1", 1)],
      stopped: [["proxy.service", "web.service", "db.service"], [
        "other.service",
      ]],
    },
    want: {
      unchanged: ["api_token"],
      create: [{
        name: "db_pass",
        version: 1,
        created_at: T1,
        digest: DIGESTS.v1,
      }],
      start: ["db.service", "other.service", "proxy.service", "web.service"],
    },
  },
  {
    name:
      "a stopped service that uses no secret waits while one of its deployment's still does",
    input: {
      required: [WEB, need("db_pass", ["db.container"], ["db.service"])],
      backend: [remote("api_token", "v1", 1)],
      podman: [managed("api_token", "v1", 1)],
      stopped: [["proxy.service", "web.service", "db.service"]],
    },
    want: {
      unchanged: ["api_token"],
      start: ["web.service"],
      missing: [{ name: "db_pass", units: ["db.container"], in_podman: false }],
    },
  },
  {
    name: "a stopped template instance starts with its template's secret",
    input: {
      required: [need("tok", ["worker@.container"], ["worker@.service"])],
      backend: [remote("tok", "v1", 1)],
      podman: [],
      stopped: [["worker@one.service"]],
    },
    want: {
      create: [{ name: "tok", version: 1, created_at: T1, digest: DIGESTS.v1 }],
      start: ["worker@one.service"],
    },
  },
  {
    name: "everything at once, each list sorted",
    input: {
      required: [
        need("z_new", ["z.container"], ["z.service"]),
        need("m_changed", ["m.container"], ["m.service"]),
        need("a_same", ["a.container"], ["a.service"]),
        need("u_user", ["u.container"], ["u.service"]),
        need("g_gone", ["g.container"], ["g.service"]),
      ],
      backend: [
        remote("z_new", "v1", 1),
        remote("m_changed", "v2", 2),
        remote("a_same", "v1", 7),
        remote("u_user", "v1", 1),
      ],
      podman: [
        managed("m_changed", "v1", 1),
        managed("a_same", "v1", 6),
        unmanaged("u_user"),
        managed("orphan", "v1", 1),
      ],
      running: ["m.service", "a.service", "u.service"],
      stopped: [["z.service", "g.service"]],
    },
    want: {
      create: [{
        name: "z_new",
        version: 1,
        created_at: T1,
        digest: DIGESTS.v1,
      }],
      replace: [{
        name: "m_changed",
        version: 2,
        created_at: T1,
        digest: DIGESTS.v2,
        reason: "changed",
      }],
      remove: ["orphan"],
      restart: ["m.service"],
      start: ["z.service"],
      missing: [{ name: "g_gone", units: ["g.container"], in_podman: false }],
      unmanaged: [{ name: "u_user", units: ["u.container"] }],
      unchanged: ["a_same"],
    },
  },
];

Deno.test("planReconcile() cases", async (t) => {
  for (const c of CASES) {
    await t.step(c.name, () => {
      const plan = planReconcile({
        restart: "on-rotation",
        digest,
        ...c.input,
      });
      deepStrictEqual(plan, { ...EMPTY, ...c.want });
    });
  }
});

Deno.test("planReconcile() puts no value in the plan", () => {
  const plan = planReconcile({
    required: [WEB, need("b", ["b.container"], ["b.service"])],
    backend: [remote("api_token", "v2", 2), {
      name: "b",
      value: "hunter2-secret",
      version: 1,
      created_at: T1,
    }],
    podman: [managed("api_token", "v1", 1)],
    restart: "on-rotation",
    digest: (s) => s.value === "hunter2-secret" ? "f".repeat(64) : digest(s),
  });
  strictEqual(JSON.stringify(plan).includes("hunter2"), false);
  strictEqual(JSON.stringify(plan).includes('"v2"'), false);
  strictEqual(plan.create.length + plan.replace.length, 2);
});

Deno.test("planReconcile() is stable: applying a plan and planning again gives no writes", () => {
  const required = [WEB, need("db", ["db.container"], ["db.service"])];
  const backend = [remote("api_token", "v2", 8), remote("db", "v1", 1)];
  const first = planReconcile({
    required,
    backend,
    podman: [managed("api_token", "v1", 7), managed("old", "v1", 1)],
    restart: "on-rotation",
    running: ["web.service"],
    digest,
  });
  // What Podman holds after the plan is applied, labels as secretLabels() writes them.
  const podman = [...first.create, ...first.replace].map((w) => ({
    name: w.name,
    labels: {
      "io.leger.managed": "true",
      "io.leger.version": String(w.version),
      "io.leger.digest": w.digest,
      "io.leger.created_at": w.created_at,
    },
  }));
  const second = planReconcile({
    required,
    backend,
    podman,
    restart: "on-rotation",
    running: ["web.service", "db.service"],
    digest,
  });
  deepStrictEqual(second, { ...EMPTY, unchanged: ["api_token", "db"] });
});

Deno.test("planReconcile() rejects malformed input, naming it", async (t) => {
  const base: PlanReconcileInput = {
    required: [WEB],
    backend: [remote("api_token", "v1", 1)],
    podman: [],
    restart: "on-rotation",
    digest,
  };
  const cases: [string, Partial<PlanReconcileInput>, RegExp][] = [
    ["a backend name twice", {
      backend: [remote("api_token", "v1", 1), remote("api_token", "v2", 2)],
    }, /leger.run's list names "api_token" twice/],
    [
      "a Podman name twice",
      { podman: [unmanaged("x"), unmanaged("x")] },
      /Podman's list names "x" twice/,
    ],
    [
      "a required name twice",
      { required: [WEB, WEB] },
      /the required secrets names "api_token" twice/,
    ],
    [
      "a nameless backend entry",
      { backend: [remote("", "v1", 1)] },
      /leger.run's list has an entry without a name/,
    ],
    [
      "version 0",
      { backend: [remote("api_token", "v1", 0)] },
      /Cannot plan secret "api_token": leger.run gave version 0/,
    ],
    ["a version as text", {
      backend: [{
        ...remote("api_token", "v1", 1),
        version: "2" as unknown as number,
      }],
    }, /gave version "2"/],
    ["created_at missing", {
      backend: [
        { name: "api_token", value: "v1", version: 1 } as BackendSecret,
      ],
    }, /gave created_at undefined/],
    [
      "no digest for a value",
      { digest: () => undefined as unknown as string },
      /its digest is undefined \(expected 64 lowercase hex digits/,
    ],
    [
      "a digest in uppercase",
      { digest: () => "A".repeat(64) },
      /its digest is "A{64}"/,
    ],
  ];
  for (const [name, override, message] of cases) {
    await t.step(
      name,
      () =>
        throws(() => planReconcile({ ...base, ...override }), {
          name: "TypeError",
          message,
        }),
    );
  }
});

Deno.test("planReconcile() never puts the value in an error", () => {
  throws(
    () =>
      planReconcile({
        required: [WEB],
        backend: [remote("api_token", "hunter2", 0)],
        podman: [],
        restart: "on-rotation",
        digest,
      }),
    (err: Error) => !err.message.includes("hunter2"),
  );
});
