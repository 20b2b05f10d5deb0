import { deepStrictEqual } from "node:assert/strict";
import { parseGeneratorStderr } from "./parse_generator_stderr.ts";
import { parseUnit } from "../unit/parse_unit.ts";

// Built from the formats of Podman's cmd/quadlet/main.go and pkg/systemd/quadlet:
// with -dryrun the generator also prints its debug lines, which must be skipped.
const STDERR = [
  "quadlet-generator[811]: Loading source unit file /tmp/leger_x/web.container",
  "quadlet-generator[811]: Loading source unit file /tmp/leger_x/bad.volume",
  'quadlet-generator[811]: error loading "/tmp/leger_x/bad.volume", file contains line 3: “oops” which is not a key-value pair, group, or comment',
  'error loading "/tmp/leger_x/web.container.d/10.conf", invalid key name: =x',
  'quadlet-generator[811]: Warning: web.container specifies the image "nginx" which not a fully qualified image name. This is not ideal for performance and security reasons.',
  "quadlet-generator[811]: converting \"web.container\": unsupported key 'PublishPorts' in group 'Container' in /tmp/leger_x/web.container",
  'quadlet-generator[811]: converting "app.container": requested Quadlet source data.volume was not found',
  'quadlet-generator[811]: converting "app.container": requested Quadlet source data.volume was not found',
  "quadlet-generator[811]: Warning: using key User in the Service group is not supported - use at your own risk",
  "quadlet-generator[811]: processing encountered some errors",
  "",
].join("\n");

Deno.test("parseGeneratorStderr() turns the generator's errors and warnings into findings", () => {
  const web = parseUnit("[Container]\nImage=nginx\nPublishPorts=80:80\n", {
    file: "web.container",
  });
  const findings = parseGeneratorStderr(STDERR, {
    dir: "/tmp/leger_x",
    units: [web],
  });
  deepStrictEqual(findings, [
    {
      code: "ERR_QUADLET_GENERATOR",
      message:
        'Podman\'s quadlet generator cannot read "bad.volume": file contains line 3: “oops” which is not a key-value pair, group, or comment',
      file: "bad.volume",
      line: 3,
      remedy:
        "Fix the syntax of the file: each line must be a [Section], a Key=value or a comment",
    },
    {
      code: "ERR_QUADLET_GENERATOR",
      message:
        'Podman\'s quadlet generator cannot read "web.container.d/10.conf": invalid key name: =x',
      file: "web.container.d/10.conf",
      remedy:
        "Fix the syntax of the file: each line must be a [Section], a Key=value or a comment",
    },
    {
      code: "ERR_QUADLET_GENERATOR",
      message:
        'Podman\'s quadlet generator warns about "web.container": web.container specifies the image "nginx" which not a fully qualified image name. This is not ideal for performance and security reasons.',
      file: "web.container",
      severity: "warning",
    },
    {
      code: "ERR_QUADLET_GENERATOR",
      message:
        "Podman's quadlet generator rejects \"web.container\": unsupported key 'PublishPorts' in group 'Container'",
      file: "web.container",
      line: 3,
      remedy: "Remove or correct PublishPorts= in [Container]",
    },
    {
      code: "ERR_QUADLET_GENERATOR",
      message:
        'Podman\'s quadlet generator rejects "app.container": requested Quadlet source data.volume was not found',
      file: "app.container",
    },
  ]);
});

Deno.test("parseGeneratorStderr() shows paths relative to the folder it read", () => {
  const stderr =
    'quadlet-generator[1]: converting "k.kube": open /srv/d/pod.yaml: no such file\n';
  deepStrictEqual(
    parseGeneratorStderr(stderr, { dir: "/srv/d/" }).map((f) => f.message),
    [
      'Podman\'s quadlet generator rejects "k.kube": open pod.yaml: no such file',
    ],
  );
});

Deno.test("parseGeneratorStderr() returns nothing for debug output alone", () => {
  const stderr =
    "quadlet-generator[1]: Loading source unit file /x/a.container\nquadlet-generator[1]: No files parsed from [/x]\n";
  deepStrictEqual(parseGeneratorStderr(stderr), []);
});

Deno.test("parseGeneratorStderr() names a drop-in folder that is a file", () => {
  // What Podman 4.3 prints for a file named web.container.d.
  const stderr = [
    "quadlet-generator[4304]: Loading source unit file /tmp/leger_x/web.container",
    'quadlet-generator[4304]: error reading directory "/tmp/leger_x/web.container.d", open /tmp/leger_x/web.container.d: not a directory',
    "quadlet-generator[4304]: processing encountered some errors",
  ].join("\n");
  deepStrictEqual(parseGeneratorStderr(stderr, { dir: "/tmp/leger_x" }), [{
    code: "ERR_QUADLET_GENERATOR",
    message:
      `Podman's quadlet generator cannot read the drop-in folder "web.container.d": open web.container.d: not a directory`,
    file: "web.container.d",
    remedy: "Make web.container.d a folder of .conf files",
  }]);
});
