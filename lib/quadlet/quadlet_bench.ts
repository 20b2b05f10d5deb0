/**
 * Throughput of reading quadlet units: parse, drop-in merge and typed view,
 * over Podman's test corpus and over 10,000 generated units of realistic
 * deployments. The project's target is 20,000 units/s or more.
 *
 * Run with `deno bench --allow-read lib/quadlet/quadlet_bench.ts`.
 *
 * @module
 */
import { LegerError } from "../errors/mod.ts";
import { mergeDropIns, selectDropIns } from "../unit/drop_ins.ts";
import { needsCorpus, PODMAN_CORPUS } from "../unit/_fixtures.ts";
import { parseUnit } from "../unit/parse_unit.ts";
import type { UnitFile } from "../unit/types.ts";
import { quadletKindOf } from "./kind.ts";
import { toQuadletUnit } from "./to_quadlet_unit.ts";

const UNIT_DIR = "/home/user/.config/containers/systemd/app";

interface Folder {
  /** Every file path relative to the folder. */
  paths: string[];
  texts: Map<string, string>;
}

function readFolder(root: URL): Folder {
  const paths: string[] = [];
  const texts = new Map<string, string>();
  const walk = (dir: URL, prefix: string) => {
    for (const entry of Deno.readDirSync(dir)) {
      if (entry.isDirectory) {
        walk(new URL(`${entry.name}/`, dir), `${prefix}${entry.name}/`);
      } else {
        paths.push(prefix + entry.name);
        texts.set(
          prefix + entry.name,
          Deno.readTextFileSync(new URL(entry.name, dir)),
        );
      }
    }
  };
  walk(root, "");
  return { paths: paths.sort(), texts };
}

/** Ten thousand units: groups of a container with its volume and network. */
function generateFolder(count: number): Folder {
  const texts = new Map<string, string>();
  for (let i = 0; texts.size < count; i++) {
    const app = `app${i}`;
    texts.set(
      `${app}.container`,
      [
        "[Unit]",
        `Description=Application ${i}`,
        `Requires=${app}-db.service`,
        `After=${app}-db.service`,
        "",
        "[Container]",
        `Image=ghcr.io/example/${app}:1.${i % 50}.0`,
        `ContainerName=${app}`,
        `PublishPort=127.0.0.1:${10000 + i}:8080`,
        `PublishPort=${20000 + (i % 40000)}:9090/udp`,
        `Secret=${app}_api_key,type=env,target=API_KEY`,
        `Secret=${app}_tls,target=/etc/tls/key.pem,mode=0400`,
        `Volume=${app}.volume:/var/lib/${app}:Z`,
        `Volume=./config/${app}:/etc/${app}:ro`,
        `Mount=type=tmpfs,destination=/tmp,tmpfs-size=64M`,
        `Network=${app}.network`,
        `EnvironmentFile=${app}.env`,
        "Environment=LOG_LEVEL=info TZ=UTC",
        "HealthCmd=curl -fsS http://localhost:8080/health",
        "HealthInterval=30s",
        "Notify=healthy",
        "",
        "[Service]",
        "Restart=always",
        "TimeoutStartSec=900",
        "",
        "[Install]",
        "WantedBy=default.target",
        "",
      ].join("\n"),
    );
    texts.set(
      `${app}.volume`,
      `[Volume]\nVolumeName=${app}-data\nLabel=app=${app}\n`,
    );
    texts.set(
      `${app}.network`,
      `[Network]\nNetworkName=${app}-net\nSubnet=10.${i % 250}.${
        (i >> 8) % 250
      }.0/24\nLabel=app=${app}\n`,
    );
  }
  const paths = [...texts.keys()].slice(0, count).sort();
  return { paths, texts };
}

/** Parses, merges drop-ins and builds the typed view of every unit. */
function readUnits(folder: Folder): number {
  // selectDropIns scans every path it is given: handing it only the *.conf
  // files keeps a folder of n units from costing n² (4.6 s for 10,000 units).
  const candidates = folder.paths.filter((path) => path.endsWith(".conf"));
  const siblings = new Map<string, UnitFile>();
  for (const path of folder.paths) {
    if (quadletKindOf(path) === null || path.includes(".d/")) continue;
    try {
      const unit = parseUnit(folder.texts.get(path)!, { file: path });
      const dropIns = selectDropIns(path, candidates);
      siblings.set(
        path,
        dropIns.length === 0 ? unit : mergeDropIns(
          unit,
          dropIns.map((dropIn) =>
            parseUnit(folder.texts.get(dropIn)!, { file: dropIn })
          ),
        ),
      );
    } catch (err) {
      if (!(err instanceof LegerError)) throw err;
    }
  }
  let converted = 0;
  for (const unit of siblings.values()) {
    try {
      toQuadletUnit(unit, { siblings, unitDir: UNIT_DIR });
      converted++;
    } catch (err) {
      if (!(err instanceof LegerError)) throw err;
    }
  }
  return converted;
}

const corpus: Folder = PODMAN_CORPUS
  ? readFolder(PODMAN_CORPUS)
  : { paths: [], texts: new Map() };
const generated = generateFolder(10_000);
const parsedGenerated = new Map<string, UnitFile>(
  generated.paths.map((
    path,
  ) => [path, parseUnit(generated.texts.get(path)!, { file: path })]),
);

Deno.bench({
  ...needsCorpus("parse + drop-ins + typed view: Podman corpus (312 units)"),
  group: "corpus",
  fn: () => {
    readUnits(corpus);
  },
});

Deno.bench({
  name: "parse + drop-ins + typed view: 10,000 generated units",
  group: "generated",
  baseline: true,
  fn: () => {
    readUnits(generated);
  },
});

Deno.bench({
  name: "parse only: 10,000 generated units",
  group: "generated",
  fn: () => {
    for (const path of generated.paths) {
      parseUnit(generated.texts.get(path)!, { file: path });
    }
  },
});

Deno.bench({
  name: "typed view only: 10,000 generated units",
  group: "generated",
  fn: () => {
    for (const unit of parsedGenerated.values()) {
      toQuadletUnit(unit, { siblings: parsedGenerated, unitDir: UNIT_DIR });
    }
  },
});
