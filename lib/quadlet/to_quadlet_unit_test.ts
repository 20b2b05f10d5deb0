import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
import { parseUnit } from "../unit/parse_unit.ts";
import type { UnitFile } from "../unit/types.ts";
import { toQuadletUnit } from "./to_quadlet_unit.ts";
import type { QuadletUnit } from "./types.ts";

function units(files: Record<string, string>): Map<string, UnitFile> {
  return new Map(
    Object.entries(files).map((
      [file, text],
    ) => [file, parseUnit(text, { file })]),
  );
}

const SIBLINGS = units({
  "data.volume": "[Volume]\nVolumeName=app-data\n",
  "cache.volume": "[Volume]\n",
  "app.network": "[Network]\nNetworkName=app-net\n",
  "app.pod": "[Pod]\nPodName=app\n",
  "base.image": "[Image]\nImage=quay.io/org/base:1\n",
  "tagged.image":
    "[Image]\nImage=quay.io/org/base:1\nImageTag=localhost/base:stable\n",
  "app.build":
    "[Build]\nImageTag=localhost/app:dev\nImageTag=localhost/app:latest\nSetWorkingDirectory=unit\n",
  "model.artifact": "[Artifact]\nArtifact=quay.io/org/model:7\n",
  "db.container":
    "[Container]\nImage=docker.io/library/postgres:16\nContainerName=db\n",
  "named.container": "[Container]\nImage=x\nServiceName=renamed\n",
});

function view(file: string, text: string, unitDir = "/srv/app"): QuadletUnit {
  return toQuadletUnit(parseUnit(text, { file }), {
    siblings: SIBLINGS,
    unitDir,
  });
}

Deno.test("toQuadletUnit() names the service and resource of every kind", () => {
  const cases: ReadonlyArray<[string, string, Partial<QuadletUnit>]> = [
    ["web.container", "[Container]\nImage=nginx\n", {
      kind: "container",
      template: false,
      serviceName: "web.service",
      resourceName: "systemd-web",
      image: "nginx",
    }],
    ["web.container", "[Container]\nImage=nginx\nServiceName=front\n", {
      serviceName: "front.service",
      resourceName: "systemd-front",
    }],
    ["app@.container", "[Container]\nImage=nginx\n", {
      template: true,
      serviceName: "app@.service",
      resourceName: "systemd-%p_%i",
    }],
    ["app@blue.container", "[Container]\nImage=nginx\n", {
      template: true,
      serviceName: "app@blue.service",
      resourceName: "systemd-%p_%i",
    }],
    ["data.volume", "[Volume]\n", {
      kind: "volume",
      serviceName: "data-volume.service",
      resourceName: "systemd-data",
    }],
    ["x@.volume", "[Volume]\n", {
      template: true,
      serviceName: "x-volume@.service",
      resourceName: "systemd-x-%i",
    }],
    ["app.network", "[Network]\nNetworkName=app-net\n", {
      kind: "network",
      serviceName: "app-network.service",
      resourceName: "app-net",
    }],
    ["app.pod", "[Pod]\n", {
      kind: "pod",
      serviceName: "app-pod.service",
      resourceName: "systemd-app",
    }],
    ["app.kube", "[Kube]\nYaml=app.yml\n", {
      kind: "kube",
      serviceName: "app.service",
      resourceName: null,
      image: null,
    }],
    ["base.image", "[Image]\nImage=quay.io/org/base:1\n", {
      kind: "image",
      serviceName: "base-image.service",
      resourceName: null,
      image: "quay.io/org/base:1",
    }],
    [
      "tag.image",
      "[Image]\nImage=quay.io/org/base:1\nImageTag=localhost/base\n",
      { image: "localhost/base" },
    ],
    [
      "app.build",
      "[Build]\nImageTag=localhost/app:dev\nImageTag=localhost/app:2\n",
      {
        kind: "build",
        serviceName: "app-build.service",
        image: "localhost/app:dev",
      },
    ],
    ["model.artifact", "[Artifact]\nArtifact=quay.io/org/model:7\n", {
      kind: "artifact",
      serviceName: "model-artifact.service",
      resourceName: null,
      image: null,
    }],
  ];
  for (const [file, text, expected] of cases) {
    const got = view(file, text);
    const picked = Object.fromEntries(
      Object.keys(expected).map((key) => [key, got[key as keyof QuadletUnit]]),
    );
    assertEquals(picked, expected, `${file}: ${text}`);
  }
});

Deno.test("toQuadletUnit() reads the instance of an instance file and the DefaultInstance= of a template", () => {
  const cases: ReadonlyArray<
    [
      string,
      string,
      Pick<QuadletUnit, "template" | "instance" | "defaultInstance">,
    ]
  > = [
    ["web.container", "[Container]\nImage=x\n", {
      template: false,
      instance: null,
      defaultInstance: null,
    }],
    // Podman's generator reads DefaultInstance= of templates only.
    ["web.container", "[Container]\nImage=x\n[Install]\nDefaultInstance=a\n", {
      template: false,
      instance: null,
      defaultInstance: null,
    }],
    ["worker@.container", "[Container]\nImage=x\n", {
      template: true,
      instance: null,
      defaultInstance: null,
    }],
    [
      "worker@.container",
      "[Container]\nImage=x\n[Install]\nWantedBy=default.target\nDefaultInstance=one\n",
      { template: true, instance: null, defaultInstance: "one" },
    ],
    [
      "worker@.container",
      "[Container]\nImage=x\n[Install]\nDefaultInstance=one\nDefaultInstance=two\n",
      { template: true, instance: null, defaultInstance: "two" },
    ],
    [
      "worker@.container",
      "[Container]\nImage=x\n[Install]\nDefaultInstance=\n",
      { template: true, instance: null, defaultInstance: null },
    ],
    // In the wrong section it is no DefaultInstance=.
    [
      "worker@.container",
      "[Container]\nImage=x\nDefaultInstance=one\n",
      { template: true, instance: null, defaultInstance: null },
    ],
    // An instance file (or a symbolic link to the template) ignores it.
    [
      "worker@two.container",
      "[Container]\nImage=x\n[Install]\nDefaultInstance=one\n",
      { template: true, instance: "two", defaultInstance: null },
    ],
    ["x@.volume", "[Volume]\n[Install]\nDefaultInstance=a\n", {
      template: true,
      instance: null,
      defaultInstance: "a",
    }],
  ];
  for (const [file, text, expected] of cases) {
    const got = view(file, text);
    assertEquals(
      {
        template: got.template,
        instance: got.instance,
        defaultInstance: got.defaultInstance,
      },
      expected,
      `${file}: ${text}`,
    );
  }
});

Deno.test("toQuadletUnit() resolves Image= through .image and .build siblings", () => {
  const cases: ReadonlyArray<[string, string | null, string[]]> = [
    ["Image=docker.io/library/nginx:1.27", "docker.io/library/nginx:1.27", []],
    ['Image="localhost/imagename"', "localhost/imagename", []],
    ["Image=base.image", "quay.io/org/base:1", ["base.image"]],
    ["Image=tagged.image", "localhost/base:stable", ["tagged.image"]],
    ["Image=app.build", "localhost/app:dev", ["app.build"]],
    ["Image=missing.build", null, ["missing.build"]],
    ["Rootfs=/srv/rootfs", null, []],
  ];
  for (const [line, image, refs] of cases) {
    const got = view("web.container", `[Container]\n${line}\n`);
    assertEquals(
      [got.image, got.units.map((ref) => ref.unit)],
      [image, refs],
      line,
    );
  }
  const volume = view(
    "img.volume",
    "[Volume]\nDriver=image\nImage=base.image\n",
  );
  assertEquals([volume.image, volume.units.map((ref) => [ref.key, ref.unit])], [
    "quay.io/org/base:1",
    [[
      "Image",
      "base.image",
    ]],
  ]);
  assertEquals(
    view("plain.volume", "[Volume]\nImage=base.image\n").image,
    null,
  );
});

Deno.test("toQuadletUnit() reads ports of containers, pods and kube units", () => {
  const text =
    "PublishPort=8080:80\nPublishPort=[::1]:5353:53/udp\nPublishPort=\nPublishPort=127.0.0.1::9090\n";
  for (
    const [file, section] of [["web.container", "Container"], [
      "app.pod",
      "Pod",
    ], ["app.kube", "Kube"]]
  ) {
    const got = view(file, `[${section}]\n${text}`);
    assertEquals(
      got.ports.map((
        p,
      ) => [
        p.hostIp,
        p.hostPort,
        p.containerPort,
        p.protocol,
        p.spec,
        p.line,
        p.file,
      ]),
      [["127.0.0.1", null, "9090", "tcp", "127.0.0.1::9090", 5, file]],
      file,
    );
  }
  assertEquals(
    view(
      "web.container",
      "[Container]\nPublishPort=80:80\nPublishPort=[::1]:53:53/udp\n",
    ).ports.map((p) => p.spec),
    ["80:80", "[::1]:53:53/udp"],
  );
  assertEquals(view("app.network", "[Network]\nPublishPort=80\n").ports, []);
});

Deno.test("toQuadletUnit() reads secrets split into words as Podman does", () => {
  const got = view(
    "web.container",
    '[Container]\nSecret=api_key,type=env,target=API_KEY "tls,target=/etc/tls.pem"\nSecret=source=db,type=mount\n',
  );
  assertEquals(
    got.secrets.map((
      s,
    ) => [s.name, s.type, s.target, s.spec, s.podmanSecret, s.line]),
    [
      ["api_key", "env", "API_KEY", "api_key,type=env,target=API_KEY", true, 2],
      ["tls", "mount", "/etc/tls.pem", "tls,target=/etc/tls.pem", true, 2],
      ["db", "mount", null, "source=db,type=mount", true, 3],
    ],
  );
  const build = view(
    "app.build",
    "[Build]\nImageTag=x\nSecret=id=npm,src=npmrc\n",
  );
  assertEquals(build.secrets.map((s) => [s.name, s.podmanSecret]), [[
    "npm",
    false,
  ]]);
  assertEquals(build.files.map((f) => [f.key, f.path, f.resolvedPath]), [[
    "Secret",
    "npmrc",
    "/srv/app/npmrc",
  ]]);
});

Deno.test("toQuadletUnit() reads volumes and mounts with their references and files", () => {
  const got = view(
    "web.container",
    [
      "[Container]",
      "Image=nginx",
      "Volume=data.volume:/data:Z",
      "Volume=./conf:/etc/nginx:ro",
      "Volume=gone.volume:/gone",
      "Mount=type=bind,src=./html,dst=/usr/share/nginx/html",
      "Mount=type=volume,source=cache.volume,destination=/cache",
      "Mount=type=artifact,source=model.artifact,destination=/model",
      "Mount=type=image,source=base.image,destination=/base",
      "Mount=type=tmpfs,destination=/tmp",
    ].join("\n"),
  );
  assertEquals(got.volumes.map((v) => [v.flag, v.sourceKind, v.spec]), [
    ["-v", "quadlet", "app-data:/data:Z"],
    ["-v", "host", "/srv/app/conf:/etc/nginx:ro"],
    ["-v", "quadlet", "systemd-gone:/gone"],
    [
      "--mount",
      "host",
      "type=bind,source=/srv/app/html,dst=/usr/share/nginx/html",
    ],
    [
      "--mount",
      "quadlet",
      "type=volume,source=systemd-cache,destination=/cache",
    ],
    [
      "--mount",
      "quadlet",
      "type=artifact,source=quay.io/org/model:7,destination=/model",
    ],
    [
      "--mount",
      "quadlet",
      "type=image,source=quay.io/org/base:1,destination=/base",
    ],
    ["--mount", "none", "type=tmpfs,destination=/tmp"],
  ]);
  assertEquals(got.units.map((u) => [u.key, u.unit, u.line]), [
    ["Volume", "data.volume", 3],
    ["Volume", "gone.volume", 5],
    ["Mount", "cache.volume", 7],
    ["Mount", "model.artifact", 8],
    ["Mount", "base.image", 9],
  ]);
  assertEquals(
    got.files.map((f) => [f.key, f.path, f.relative, f.resolvedPath]),
    [
      ["Volume", "./conf", true, "/srv/app/conf"],
      ["Mount", "./html", true, "/srv/app/html"],
    ],
  );
  const pod = view(
    "app.pod",
    "[Pod]\nVolume=data.volume:/data\nMount=type=tmpfs,destination=/x\n",
  );
  assertEquals(pod.volumes.map((v) => v.spec), ["app-data:/data"]);
});

Deno.test("toQuadletUnit() reads networks and the pod of a container", () => {
  const got = view(
    "web.container",
    [
      "[Container]",
      "Image=nginx",
      "Pod=app.pod",
      "Network=app.network:ip=10.89.0.5",
      "Network=db.container",
      "Network=host",
    ].join("\n"),
  );
  assertEquals(got.pod, "app");
  assertEquals(
    got.networks.map((n) => [n.value, n.unit, n.resolvedName, n.spec]),
    [
      [
        "app.network:ip=10.89.0.5",
        "app.network",
        "app-net",
        "app-net:ip=10.89.0.5",
      ],
      ["db.container", "db.container", "db", "container:db"],
      ["host", null, "host", "host"],
    ],
  );
  assertEquals(got.units.map((u) => [u.key, u.unit]), [
    ["Pod", "app.pod"],
    ["Network", "app.network"],
    ["Network", "db.container"],
  ]);
  const missing = view(
    "web.container",
    "[Container]\nImage=x\nPod=other.pod\nNetwork=other.network\n",
  );
  assertEquals([missing.pod, missing.networks[0].spec], [
    "systemd-other",
    "systemd-other",
  ]);
  assertEquals(missing.units.map((u) => u.unit), [
    "other.pod",
    "other.network",
  ]);
  for (
    const [file, section] of [["app.kube", "Kube"], ["app.pod", "Pod"], [
      "app.build",
      "Build",
    ]]
  ) {
    assertEquals(
      view(file, `[${section}]\nNetwork=app.network\n`).networks[0].spec,
      "app-net",
      file,
    );
  }
});

Deno.test("toQuadletUnit() lists [Unit] dependencies on quadlet units and their services", () => {
  const got = view(
    "web.container",
    [
      "[Unit]",
      "Requires=db.container app-network.service",
      "After=db.container network-online.target renamed.service",
      "Wants=llm.network.service",
      "[Container]",
      "Image=x",
    ].join("\n"),
  );
  assertEquals(got.units.map((u) => [u.key, u.unit, u.line]), [
    ["Requires", "db.container", 2],
    ["Requires", "app.network", 2],
    ["After", "db.container", 3],
    ["After", "named.container", 3],
  ]);
});

Deno.test("toQuadletUnit() lists the files of each kind", () => {
  const cases: ReadonlyArray<
    [string, string, Array<[string, string, boolean]>]
  > = [
    [
      "web.container",
      "[Container]\nImage=x\nEnvironmentFile=web.env\nEnvironmentFile=/etc/web.env\n",
      [
        ["EnvironmentFile", "web.env", true],
        ["EnvironmentFile", "/etc/web.env", false],
      ],
    ],
    [
      "app.kube",
      "[Kube]\nYaml=app.yml\nConfigMap=cm.yml\nSetWorkingDirectory=yaml\n",
      [
        ["Yaml", "app.yml", true],
        ["ConfigMap", "cm.yml", true],
      ],
    ],
    [
      "app.build",
      "[Build]\nImageTag=x\nFile=Containerfile\nSetWorkingDirectory=unit\n",
      [
        ["File", "Containerfile", true],
      ],
    ],
    [
      "net.network",
      "[Network]\nContainersConfModule=/etc/containers/m.conf\n",
      [
        ["ContainersConfModule", "/etc/containers/m.conf", false],
      ],
    ],
  ];
  for (const [file, text, expected] of cases) {
    assertEquals(
      view(file, text).files.map((f) => [f.key, f.path, f.relative]),
      expected,
      file,
    );
  }
});

Deno.test("toQuadletUnit() reads the health check and Notify=healthy", () => {
  const cases: ReadonlyArray<
    [string, { cmd: string | null; notifyHealthy: boolean }]
  > = [
    ["[Container]\nImage=x\n", { cmd: null, notifyHealthy: false }],
    ['[Container]\nImage=x\nHealthCmd="hello world"\n', {
      cmd: "hello world",
      notifyHealthy: false,
    }],
    [`[Container]\nImage=x\nHealthCmd=/bin/sh -c "echo 'hello world!'"\n`, {
      cmd: `/bin/sh -c "echo 'hello world!'"`,
      notifyHealthy: false,
    }],
    ["[Container]\nImage=x\nHealthCmd=curl -f localhost\nNotify=healthy\n", {
      cmd: "curl -f localhost",
      notifyHealthy: true,
    }],
    ["[Container]\nImage=x\nNotify=Healthy\n", {
      cmd: null,
      notifyHealthy: true,
    }],
    ["[Container]\nImage=x\nNotify=yes\n", { cmd: null, notifyHealthy: false }],
    ["[Container]\nImage=x\nNotify=healthy\n[Service]\nType=oneshot\n", {
      cmd: null,
      notifyHealthy: false,
    }],
  ];
  for (const [text, expected] of cases) {
    assertEquals(view("web.container", text).health, expected, text);
  }
});

Deno.test("toQuadletUnit() keeps relative paths as written without unitDir", () => {
  const got = toQuadletUnit(
    parseUnit(
      "[Container]\nImage=x\nVolume=./conf:/c\nEnvironmentFile=a.env\n",
      { file: "web.container" },
    ),
  );
  assertEquals(got.volumes[0].spec, "./conf:/c");
  assertEquals(got.files.map((f) => [f.path, f.relative, f.resolvedPath]), [[
    "a.env",
    true,
    null,
  ], [
    "./conf",
    true,
    null,
  ]]);
});

Deno.test("toQuadletUnit() reports values Podman cannot use with their file and line", () => {
  const cases: ReadonlyArray<[string, string, number, RegExp]> = [
    [
      "web.container",
      "[Container]\nImage=x\nPublishPort=1:2:3:4\n",
      3,
      /Cannot use "PublishPort=1:2:3:4"/,
    ],
    [
      "web.container",
      "[Container]\nImage=x\nSecret=s,type=file\n",
      3,
      /type must be mount or env/,
    ],
    [
      "web.container",
      "[Container]\nImage=x\nSecret=bad\\q\n",
      3,
      /unsupported escape/,
    ],
    [
      "web.container",
      "[Container]\nImage=x\nMount=type=image,destination=/x\n",
      3,
      /needs a source/,
    ],
    [
      "web.container",
      "[Container]\nImage=x\nPod=foo\n",
      3,
      /"foo" is no \.pod unit/,
    ],
    [
      "web.container",
      "[Container]\nImage=x\nNetwork=db.container:ip=1.2.3.4\n",
      3,
      /no options/,
    ],
    [
      "app.pod",
      "[Pod]\nPublishPort=80/icmp\n",
      2,
      /protocol must be tcp, udp or sctp/,
    ],
  ];
  for (const [file, text, line, message] of cases) {
    throws(
      () => view(file, text),
      (err: unknown) => {
        const e = err as {
          name: string;
          code: string;
          line: number;
          file: string;
          message: string;
        };
        assertEquals([e.name, e.code, e.file, e.line], [
          "LegerError",
          "ERR_UNIT_INVALID_VALUE",
          file,
          line,
        ], text);
        return message.test(e.message);
      },
      text,
    );
  }
});

Deno.test("toQuadletUnit() refuses a file that is no quadlet unit", () => {
  throws(() => toQuadletUnit(parseUnit("[Unit]\n", { file: "web.service" })), {
    name: "TypeError",
    message: /Cannot read "web.service" as a quadlet unit/,
  });
});

Deno.test("toQuadletUnit() takes entries from drop-ins with their file", () => {
  const unit = parseUnit("[Container]\nImage=x\n", { file: "web.container" });
  unit.sections[0].entries.push({
    key: "PublishPort",
    value: "80:80",
    line: 2,
    file: "web.container.d/10-port.conf",
  });
  const got = toQuadletUnit(unit);
  assertEquals([got.ports[0].file, got.ports[0].line], [
    "web.container.d/10-port.conf",
    2,
  ]);
});
