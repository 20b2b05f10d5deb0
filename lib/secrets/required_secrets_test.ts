import { deepStrictEqual } from "node:assert/strict";
import { requiredSecrets } from "./required_secrets.ts";
import { toQuadletUnit } from "../quadlet/to_quadlet_unit.ts";
import { parseUnit } from "../unit/parse_unit.ts";
import { mergeDropIns } from "../unit/drop_ins.ts";
import type { QuadletUnit } from "../quadlet/types.ts";

function unit(file: string, text: string, dropIns: string[] = []): QuadletUnit {
  const parsed = parseUnit(text, { file });
  const merged = mergeDropIns(
    parsed,
    dropIns.map((d, i) => parseUnit(d, { file: `${file}.d/${i}.conf` })),
  );
  return toQuadletUnit(merged);
}

Deno.test("requiredSecrets() cases", async (t) => {
  const cases: {
    name: string;
    units: QuadletUnit[];
    want: ReturnType<typeof requiredSecrets>;
  }[] = [
    { name: "no units", units: [], want: [] },
    {
      name: "units without secrets",
      units: [
        unit("web.container", "[Container]\nImage=web\n"),
        unit("data.volume", "[Volume]\n"),
      ],
      want: [],
    },
    {
      name: "one secret, every form of Secret=",
      units: [
        unit(
          "web.container",
          "[Container]\nImage=web\nSecret=a\nSecret=b,type=env,target=B\nSecret=source=c,target=/c\n",
        ),
      ],
      want: [
        { name: "a", units: ["web.container"], services: ["web.service"] },
        { name: "b", units: ["web.container"], services: ["web.service"] },
        { name: "c", units: ["web.container"], services: ["web.service"] },
      ],
    },
    {
      name: "a shared secret lists every unit and service once, sorted by name",
      units: [
        unit(
          "zeta.container",
          "[Container]\nImage=z\nSecret=db_pass\nSecret=db_pass,type=env,target=PW\n",
        ),
        unit(
          "app.container",
          "[Container]\nImage=a\nServiceName=my-app\nSecret=db_pass\nSecret=api\n",
        ),
      ],
      want: [
        { name: "api", units: ["app.container"], services: ["my-app.service"] },
        {
          name: "db_pass",
          units: ["app.container", "zeta.container"],
          services: ["my-app.service", "zeta.service"],
        },
      ],
    },
    {
      name: "a drop-in adds a secret",
      units: [
        unit("web.container", "[Container]\nImage=web\nSecret=a\n", [
          "[Container]\nSecret=b\n",
        ]),
      ],
      want: [
        { name: "a", units: ["web.container"], services: ["web.service"] },
        { name: "b", units: ["web.container"], services: ["web.service"] },
      ],
    },
    {
      name: "a drop-in resets Secret= with an empty value",
      units: [
        unit("web.container", "[Container]\nImage=web\nSecret=a\n", [
          "[Container]\nSecret=\nSecret=b\n",
        ]),
      ],
      want: [{
        name: "b",
        units: ["web.container"],
        services: ["web.service"],
      }],
    },
    {
      name: "a build secret is no Podman secret",
      units: [
        unit(
          "img.build",
          "[Build]\nImageTag=localhost/img\nSecret=id=npmrc,src=/home/a/.npmrc\n",
        ),
      ],
      want: [],
    },
    {
      name: "a template gives its template service and its default instance",
      units: [
        unit(
          "worker@.container",
          "[Container]\nImage=w\nSecret=tok\n[Install]\nDefaultInstance=one\n",
        ),
      ],
      want: [{
        name: "tok",
        units: ["worker@.container"],
        services: ["worker@.service", "worker@one.service"],
      }],
    },
    {
      name: "a template without a default instance gives its template service",
      units: [unit("worker@.container", "[Container]\nImage=w\nSecret=tok\n")],
      want: [{
        name: "tok",
        units: ["worker@.container"],
        services: ["worker@.service"],
      }],
    },
    {
      name: "an instance file gives its instance service",
      units: [
        unit("worker@two.container", "[Container]\nImage=w\nSecret=tok\n"),
      ],
      want: [{
        name: "tok",
        units: ["worker@two.container"],
        services: ["worker@two.service"],
      }],
    },
  ];
  for (const c of cases) {
    await t.step(
      c.name,
      () => deepStrictEqual(requiredSecrets(c.units), c.want),
    );
  }
});
