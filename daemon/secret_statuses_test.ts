import { deepStrictEqual } from "node:assert/strict";
import type { PodmanSecret } from "../lib/adapters/podman_secrets.ts";
import type { SecretStatus } from "../lib/secrets/control_api.ts";
import { secretStatuses, type SecretStatusesInput } from "./secret_statuses.ts";

/** Podman's UpdatedAt has nanoseconds; the API answers milliseconds. */
const AT = "2026-06-01T10:00:00.123456789Z";
const AT_MS = "2026-06-01T10:00:00.123Z";
const WEB = {
  name: "tok",
  units: ["web.container"],
  services: ["web.service"],
};

function managed(name: string, version = "2"): PodmanSecret {
  return {
    id: `id-${name}`,
    name,
    labels: { "io.leger.managed": "true", "io.leger.version": version },
    updated_at: AT,
  };
}

function theirs(name: string): PodmanSecret {
  return { id: `id-${name}`, name, labels: null, updated_at: AT };
}

const CASES: [string, SecretStatusesInput, SecretStatus[]][] = [
  [
    "managed and in leger.run: synced",
    { required: [WEB], podman: [managed("tok")], backend: new Set(["tok"]) },
    [{
      name: "tok",
      state: "synced",
      version: 2,
      used_by: ["web.container"],
      synced_at: AT_MS,
    }],
  ],
  [
    "managed, leger.run not asked yet: synced",
    { required: [WEB], podman: [managed("tok")], backend: null },
    [{
      name: "tok",
      state: "synced",
      version: 2,
      used_by: ["web.container"],
      synced_at: AT_MS,
    }],
  ],
  [
    "managed but deleted in leger.run: missing, with the version Podman keeps",
    { required: [WEB], podman: [managed("tok", "5")], backend: new Set() },
    [{
      name: "tok",
      state: "missing",
      version: 5,
      used_by: ["web.container"],
      synced_at: AT_MS,
    }],
  ],
  [
    "not in Podman, in leger.run's last list: pending (the next sync writes it)",
    { required: [WEB], podman: [], backend: new Set(["tok"]) },
    [{
      name: "tok",
      state: "pending",
      version: null,
      used_by: ["web.container"],
      synced_at: null,
    }],
  ],
  [
    "not in Podman, not in leger.run's last list: missing",
    { required: [WEB], podman: [], backend: new Set(["other"]) },
    [{
      name: "tok",
      state: "missing",
      version: null,
      used_by: ["web.container"],
      synced_at: null,
    }],
  ],
  [
    "not in Podman, leger.run not known (no list, no login): pending",
    { required: [WEB], podman: [], backend: null },
    [{
      name: "tok",
      state: "pending",
      version: null,
      used_by: ["web.container"],
      synced_at: null,
    }],
  ],
  [
    "unmanaged even when leger.run lacks it",
    { required: [WEB], podman: [theirs("tok")], backend: new Set() },
    [{
      name: "tok",
      state: "unmanaged",
      version: null,
      used_by: ["web.container"],
      synced_at: null,
    }],
  ],
  [
    "in Podman without leger's label: unmanaged",
    { required: [WEB], podman: [theirs("tok")], backend: new Set(["tok"]) },
    [{
      name: "tok",
      state: "unmanaged",
      version: null,
      used_by: ["web.container"],
      synced_at: null,
    }],
  ],
  [
    "leger-managed that no unit needs: orphan; the user's own: left out",
    {
      required: [],
      podman: [managed("zz", "x"), theirs("mine")],
      backend: null,
    },
    [{
      name: "zz",
      state: "orphan",
      version: null,
      used_by: [],
      synced_at: AT_MS,
    }],
  ],
  [
    "sorted by name",
    {
      required: [{ ...WEB, name: "b" }],
      podman: [managed("c"), managed("a")],
      backend: null,
    },
    [
      { name: "a", state: "orphan", version: 2, used_by: [], synced_at: AT_MS },
      {
        name: "b",
        state: "pending",
        version: null,
        used_by: ["web.container"],
        synced_at: null,
      },
      { name: "c", state: "orphan", version: 2, used_by: [], synced_at: AT_MS },
    ],
  ],
];

Deno.test("secretStatuses() states", async (t) => {
  for (const [name, input, want] of CASES) {
    await t.step(name, () => deepStrictEqual(secretStatuses(input), want));
  }
});

Deno.test("secretStatuses() answers every time in RFC 3339 with milliseconds, UTC, and null for a time Podman did not give", () => {
  const at = (updated_at: string | null) =>
    secretStatuses({
      required: [WEB],
      podman: [{ ...managed("tok"), updated_at }],
      backend: null,
    })[0].synced_at;
  deepStrictEqual(
    [
      at("2026-11-30T15:31:08.682453022Z"),
      at("2026-11-30T15:31:08Z"),
      at("2026-11-30T16:31:08.682453022+01:00"),
      at(null),
      at("soon"),
    ],
    [
      "2026-11-30T15:31:08.682Z",
      "2026-11-30T15:31:08.000Z",
      "2026-11-30T15:31:08.682Z",
      null,
      null,
    ],
  );
});
