import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { parseUnit } from "../unit/parse_unit.ts";
import { collectFiles } from "./_collect_files.ts";
import type { FileRef, QuadletKind } from "./types.ts";

type Found = Pick<FileRef, "key" | "path" | "relative" | "resolvedPath">;

function found(
  key: string,
  path: string,
  relative: boolean,
  resolvedPath: string | null,
): Found {
  return { key, path, relative, resolvedPath };
}

const CASES: ReadonlyArray<[string, QuadletKind, string, Found[]]> = [
  [
    "env-file.container",
    "container",
    [
      "[Container]",
      "EnvironmentFile=/opt/env/abs-1",
      "EnvironmentFile=rel-1",
      'EnvironmentFile=%h/env "with space.env"',
      "SeccompProfile=/etc/seccomp.json",
      "ContainersConfModule=/etc/container/1.conf",
      "[Service]",
      "EnvironmentFile=-/etc/default/web",
    ].join("\n"),
    [
      found("EnvironmentFile", "/opt/env/abs-1", false, "/opt/env/abs-1"),
      found("EnvironmentFile", "rel-1", true, "/q/rel-1"),
      found("EnvironmentFile", "%h/env", false, null),
      found("EnvironmentFile", "with space.env", true, "/q/with space.env"),
      found("SeccompProfile", "/etc/seccomp.json", false, "/etc/seccomp.json"),
      found(
        "ContainersConfModule",
        "/etc/container/1.conf",
        false,
        "/etc/container/1.conf",
      ),
      found("EnvironmentFile", "/etc/default/web", false, "/etc/default/web"),
    ],
  ],
  [
    "seccomp.container",
    "container",
    "[Container]\nSeccompProfile=unconfined\n",
    [],
  ],
  [
    "configmap.kube",
    "kube",
    "[Kube]\nYaml=deployment.yml\nConfigMap=rel.yml\nConfigMap=/opt/k8s/abs.yml\n",
    [
      found("Yaml", "deployment.yml", true, "/q/deployment.yml"),
      found("ConfigMap", "rel.yml", true, "/q/rel.yml"),
      found("ConfigMap", "/opt/k8s/abs.yml", false, "/opt/k8s/abs.yml"),
    ],
  ],
  ["multiple-yaml.kube", "kube", "[Kube]\nYaml=foo.yml\nYaml=./sub/bar.yml\n", [
    found("Yaml", "foo.yml", true, "/q/foo.yml"),
    found("Yaml", "./sub/bar.yml", true, "/q/sub/bar.yml"),
  ]],
  [
    "file-rel.build",
    "build",
    "[Build]\nImageTag=x\nSetWorkingDirectory=.\nFile=Containerfile\n",
    [
      found("File", "Containerfile", true, "/q/Containerfile"),
      found("SetWorkingDirectory", ".", true, "/q"),
    ],
  ],
  [
    "url.build",
    "build",
    [
      "[Build]",
      "File=https://raw.githubusercontent.com/containers/PodmanHello/main/Containerfile",
      "SetWorkingDirectory=git://git@git.sr.ht/~emersion/sr.ht-container-compose",
    ].join("\n"),
    [],
  ],
  [
    "github.build",
    "build",
    "[Build]\nSetWorkingDirectory=github.com/containers/PodmanHello.git\n",
    [],
  ],
  [
    "unit.build",
    "build",
    "[Build]\nSetWorkingDirectory=unit\nIgnoreFile=.containerignore\n",
    [
      found("IgnoreFile", ".containerignore", true, "/q/.containerignore"),
    ],
  ],
  [
    "secrets.build",
    "build",
    "[Build]\nSecret=id=mysecret,src=mysecret.txt id=t,type=env,env=TOKEN\n",
    [
      found("Secret", "mysecret.txt", true, "/q/mysecret.txt"),
    ],
  ],
  [
    "auth.image",
    "image",
    "[Image]\nAuthFile=/etc/auth.json\nCertDir=certs\nDecryptionKey=/etc/k.pem:secret\n",
    [
      found("AuthFile", "/etc/auth.json", false, "/etc/auth.json"),
      found("CertDir", "certs", false, null),
      found("DecryptionKey", "/etc/k.pem", false, "/etc/k.pem"),
    ],
  ],
  ["options.artifact", "artifact", "[Artifact]\nAuthFile=/run/auth.json\n", [
    found("AuthFile", "/run/auth.json", false, "/run/auth.json"),
  ]],
  ["m.network", "network", "[Network]\nContainersConfModule=rel.conf\n", [
    found("ContainersConfModule", "rel.conf", false, null),
  ]],
];

Deno.test("collectFiles() lists the files a unit's keys name", () => {
  for (const [file, kind, text, expected] of CASES) {
    const unit = parseUnit(text, { file });
    const files = collectFiles(unit, kind, "/q").map((
      { key, path, relative, resolvedPath },
    ) => ({
      key,
      path,
      relative,
      resolvedPath,
    }));
    assertEquals(files, expected, file);
  }
});

Deno.test("collectFiles() cannot resolve relative paths without the unit's folder", () => {
  const unit = parseUnit("[Container]\nEnvironmentFile=app.env\n", {
    file: "web.container",
  });
  assertEquals(collectFiles(unit, "container")[0].resolvedPath, null);
  assertEquals(collectFiles(unit, "container")[0].relative, true);
});
