import { deepStrictEqual, match, strictEqual } from "node:assert/strict";
import { resolveVariables } from "./resolve_variables.ts";
import { parseUnit } from "../unit/parse_unit.ts";
import { mergeDropIns } from "../unit/drop_ins.ts";
import { toQuadletUnit } from "../quadlet/to_quadlet_unit.ts";
import type { UnitFile } from "../unit/types.ts";

function resolve(
  text: string,
  file = "web.container",
  dropIns: UnitFile[] = [],
) {
  const parsed = parseUnit(text, { file });
  const unit = dropIns.length ? mergeDropIns(parsed, dropIns) : parsed;
  return resolveVariables(unit, toQuadletUnit(unit));
}

const IMAGE = "[Container]\nImage=busybox\n";

Deno.test("resolveVariables() resolves ports and names from [Service] Environment= as systemd does", async (t) => {
  const cases: {
    name: string;
    text: string;
    ports: (string | null)[][];
    resource?: string;
  }[] = [
    {
      name: "${NAME} inside the host part (the issue's case)",
      text:
        `${IMAGE}PublishPort=127.0.0.1:\${WEB_PORT}:8080\n[Service]\nEnvironment=WEB_PORT=18103\n`,
      ports: [["127.0.0.1", "18103", "8080"]],
    },
    {
      name: "the address and port from one variable",
      text:
        `${IMAGE}PublishPort=\${BIND}:8080\n[Service]\nEnvironment=BIND=0.0.0.0:18104\n`,
      ports: [["0.0.0.0", "18104", "8080"]],
    },
    {
      name: "$NAME as the whole value",
      text:
        `${IMAGE}PublishPort=$PORTS\n[Service]\nEnvironment=PORTS=18105:80\n`,
      ports: [[null, "18105", "80"]],
    },
    {
      name: "a quoted assignment among others",
      text:
        `${IMAGE}PublishPort=\${A}:\${B}\n[Service]\nEnvironment="A=18106" B=80\n`,
      ports: [[null, "18106", "80"]],
    },
    {
      name: "the last assignment wins",
      text:
        `${IMAGE}PublishPort=\${P}:80\n[Service]\nEnvironment=P=1\nEnvironment=P=18107\n`,
      ports: [[null, "18107", "80"]],
    },
    {
      name: "$$ is a dollar sign, not a variable",
      text:
        `${IMAGE}ContainerName=web-$$x\nPublishPort=18108:80\n[Service]\nEnvironment=x=1\n`,
      ports: [[null, "18108", "80"]],
      resource: "web-$x",
    },
    {
      name: "ContainerName= with a variable",
      text:
        `${IMAGE}ContainerName=web-\${STAGE}\n[Service]\nEnvironment=STAGE=prod\n`,
      ports: [],
      resource: "web-prod",
    },
    {
      name: "values without variables are left alone",
      text: `${IMAGE}PublishPort=18109:80\n`,
      ports: [[null, "18109", "80"]],
      resource: "systemd-web",
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      const { quadlet, findings } = resolve(c.text);
      deepStrictEqual(findings, []);
      deepStrictEqual(
        quadlet.ports.map((p) => [p.hostIp, p.hostPort, p.containerPort]),
        c.ports,
      );
      if (c.resource !== undefined) {
        strictEqual(quadlet.resourceName, c.resource);
      }
    });
  }
});

Deno.test("resolveVariables() resolves VolumeName=, NetworkName= and PodName= too", () => {
  const env = "[Service]\nEnvironment=STAGE=prod\n";
  strictEqual(
    resolve(`[Volume]\nVolumeName=data-\${STAGE}\n${env}`, "data.volume")
      .quadlet.resourceName,
    "data-prod",
  );
  strictEqual(
    resolve(`[Network]\nNetworkName=net-\${STAGE}\n${env}`, "app.network")
      .quadlet.resourceName,
    "net-prod",
  );
  strictEqual(
    resolve(`[Pod]\nPodName=pod-\${STAGE}\n${env}`, "app.pod").quadlet
      .resourceName,
    "pod-prod",
  );
});

Deno.test("resolveVariables() warns, naming file and line, where it cannot resolve", async (t) => {
  const cases: {
    name: string;
    text: string;
    line: number;
    message: RegExp;
    remedy: RegExp;
  }[] = [
    {
      name: "a variable no Environment= sets",
      text: `${IMAGE}PublishPort=127.0.0.1:\${WEB_PORT}:8080\n`,
      line: 3,
      message:
        /Cannot check PublishPort=127\.0\.0\.1:\$\{WEB_PORT\}:8080 against this host: no Environment= in \[Service\] sets \$\{WEB_PORT\}, so systemd expands it to an empty string/,
      remedy:
        /Add Environment=WEB_PORT=… to a \[Service\] section of web\.container/,
    },
    {
      name: "a variable set for the container only",
      text:
        `${IMAGE}Environment=WEB_PORT=18103\nPublishPort=127.0.0.1:\${WEB_PORT}:8080\n`,
      line: 4,
      message:
        /Environment=WEB_PORT=18103 on line 3 is in \[Container\]: that is the container's environment \(podman run --env\)/,
      remedy:
        /Add Environment=WEB_PORT=18103 to a \[Service\] section of web\.container too/,
    },
    {
      name:
        "a variable set on a line with a quote left open (systemd ignores it)",
      text:
        `${IMAGE}PublishPort=127.0.0.1:\${WEB_PORT}:8080\n[Service]\nEnvironment="WEB_PORT=18555\n`,
      line: 3,
      message:
        /no Environment= in \[Service\] sets \$\{WEB_PORT\}, so systemd expands it to an empty string/,
      remedy: /Add Environment=WEB_PORT=…/,
    },
    {
      name: "a variable an EnvironmentFile= may set",
      text:
        `${IMAGE}PublishPort=\${P}:80\n[Service]\nEnvironmentFile=/etc/web.env\n`,
      line: 3,
      message:
        /unless EnvironmentFile=\/etc\/web\.env sets it \(leger does not read that file/,
      remedy: /Add Environment=P=…/,
    },
    {
      name: "a variable reset by an empty Environment=",
      text:
        `${IMAGE}PublishPort=\${P}:80\n[Service]\nEnvironment=P=18110\nEnvironment=\n`,
      line: 3,
      message: /no Environment= in \[Service\] sets \$\{P\}/,
      remedy: /Add Environment=P=…/,
    },
    {
      name: "a word starting with $ that is no name",
      text: `${IMAGE}PublishPort=$P:80\n[Service]\nEnvironment=P=18112\n`,
      line: 3,
      message: /systemd reads a word that starts with \$ as the name of one/,
      remedy: /Write the variable as \$\{NAME\}/,
    },
    {
      name: "a whole-word variable with white space",
      text:
        `${IMAGE}PublishPort=$P\n[Service]\nEnvironment="P=18113:80 18114:80"\n`,
      line: 3,
      message: /splits it into several arguments/,
      remedy: /one value per line/,
    },
    {
      name: "an unset variable in ContainerName=",
      text: `${IMAGE}ContainerName=web-\${STAGE}\n`,
      line: 3,
      message: /Cannot check ContainerName=web-\$\{STAGE\} against this host/,
      remedy: /Add Environment=STAGE=…/,
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      const { quadlet, findings } = resolve(c.text);
      strictEqual(findings.length, 1, JSON.stringify(findings));
      const [finding] = findings;
      strictEqual(finding.code, "ERR_UNIT_INVALID_VALUE");
      strictEqual(finding.severity, "warning");
      strictEqual(finding.file, "web.container");
      strictEqual(finding.line, c.line);
      match(finding.message, c.message);
      match(finding.remedy!, c.remedy);
      // What cannot be resolved is left as written, for the checks to skip.
      const original = toQuadletUnit(
        parseUnit(c.text, { file: "web.container" }),
      );
      deepStrictEqual(quadlet.ports, original.ports);
      strictEqual(quadlet.resourceName, original.resourceName);
    });
  }
});

Deno.test("resolveVariables() names the drop-in a value comes from", () => {
  const dropIn = parseUnit("[Container]\nPublishPort=${P}:80\n", {
    file: "web.container.d/10-port.conf",
  });
  const { findings } = resolve(IMAGE, "web.container", [dropIn]);
  deepStrictEqual(
    findings.map((f) => [f.file, f.line]),
    [["web.container.d/10-port.conf", 2]],
  );
});

Deno.test("resolveVariables() takes [Service] Environment= from a drop-in", () => {
  const dropIn = parseUnit("[Service]\nEnvironment=P=18115\n", {
    file: "web.container.d/10-env.conf",
  });
  const { quadlet, findings } = resolve(
    `${IMAGE}PublishPort=\${P}:80\n`,
    "web.container",
    [dropIn],
  );
  deepStrictEqual(findings, []);
  strictEqual(quadlet.ports[0].hostPort, "18115");
});

Deno.test("resolveVariables() makes a port Podman would reject once expanded an error, naming file, line and the value", async (t) => {
  const SERVICE = "[Service]\nEnvironment=P=18150 Q=1\n";
  const cases: {
    name: string;
    port: string;
    message: RegExp;
    remedy: RegExp;
  }[] = [
    {
      name: "a letter after the variable",
      port: "127.0.0.1:${P}x:80",
      message:
        /systemd expands it to "127\.0\.0\.1:18150x:80", which Podman cannot use: Cannot parse port/,
      remedy: /Fix the Environment= line/,
    },
    {
      name: "two variables out of range together",
      port: "${P}${Q}:80",
      message:
        /systemd expands it to "181501:80", which Podman cannot use: .*65535: current value is 181501/,
      remedy: /Fix the Environment= line/,
    },
    {
      name: "an unclosed ${",
      port: "${:80",
      message: /systemd passes "\$\{:80" to Podman, which cannot use it/,
      remedy: /closing brace/,
    },
    {
      name: "an unclosed ${NAME",
      port: "127.0.0.1:${A:80",
      message: /systemd passes "127\.0\.0\.1:\$\{A:80" to Podman/,
      remedy: /closing brace/,
    },
    {
      name: "$$, which systemd turns into $",
      port: "$$:80",
      message: /systemd passes "\$:80" to Podman, which cannot use it/,
      remedy: /systemd turns \$\$ into a single \$/,
    },
    {
      name: "$$ before a variable name",
      port: "127.0.0.1:$${P}:80",
      message: /systemd passes "127\.0\.0\.1:\$\{P\}:80" to Podman/,
      remedy: /closing brace/,
    },
    {
      name: "$NAME inside a word",
      port: "127.0.0.1:$P:80",
      message: /systemd passes "\$P" on as it is: it expands \$NAME only/,
      remedy: /Write \$\{P\}/,
    },
    {
      name: "a value that is no port",
      port: "${P}:80",
      message: /./,
      remedy: /./,
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      const text = c.name === "a value that is no port"
        ? `${IMAGE}PublishPort=${c.port}\n[Service]\nEnvironment=P=http\n`
        : `${IMAGE}PublishPort=${c.port}\n${SERVICE}`;
      const { quadlet, findings } = resolve(text);
      strictEqual(findings.length, 1, JSON.stringify(findings));
      const [finding] = findings;
      strictEqual(finding.code, "ERR_UNIT_INVALID_VALUE");
      strictEqual(finding.severity, undefined);
      strictEqual(finding.file, "web.container");
      strictEqual(finding.line, 3);
      strictEqual(
        finding.message.startsWith(`Cannot use "PublishPort=${c.port}": `),
        true,
        finding.message,
      );
      match(finding.message, c.message);
      match(finding.remedy!, c.remedy);
      match(finding.remedy!, /web\.container:3/);
      strictEqual(quadlet.ports[0].spec, c.port);
    });
  }
});

Deno.test("resolveVariables() leaves a valid expansion with $$ elsewhere alone", () => {
  const { quadlet, findings } = resolve(
    `${IMAGE}ContainerName=web-$$x\nPublishPort=127.0.0.1:\${P}:80\n[Service]\nEnvironment=P=18150 Q=1\n`,
  );
  deepStrictEqual(findings, []);
  strictEqual(quadlet.ports[0].hostPort, "18150");
});
