/**
 * `deno bench --allow-read lib/unit/parse_unit_bench.ts`: parseUnit over
 * Podman's quadlet test units and over 10,000 generated realistic units.
 * Divide the unit count by the time per iteration for units per second.
 * (Nothing parsed is kept between iterations: holding 10,000 parsed units
 * alive makes every garbage collection slower and the numbers noisy.)
 *
 * @module
 */
import { needsCorpus, PODMAN_CORPUS, readPodmanFixtures } from "./_fixtures.ts";
import { parseUnit } from "./parse_unit.ts";

const GENERATED_COUNT = 10_000;

/** A small deterministic generator (mulberry32), so every run parses the same text. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return function next(): number {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const IMAGES = [
  "docker.io/library/nginx:1.27",
  "ghcr.io/open-webui/open-webui:main",
  "docker.io/qdrant/qdrant:v1.12.1",
  "docker.io/library/postgres:16-alpine",
  "docker.io/grafana/grafana:11.2.0",
  "docker.io/litellm/litellm:main-stable",
];

/**
 * A realistic `.container` unit, about 25–40 lines: comments, the usual
 * sections, repeated keys, quoted values, and sometimes a continued `Exec=`.
 */
function generateUnit(index: number, next: () => number): string {
  const name = `svc-${index}`;
  const lines = [
    `# ${name}: generated for the parseUnit benchmark`,
    "",
    "[Unit]",
    `Description=Service ${index} of the benchmark deployment`,
    "After=network-online.target llm-network.service",
    "Requires=llm-network.service",
    "",
    "[Container]",
    `Image=${IMAGES[Math.floor(next() * IMAGES.length)]}`,
    `ContainerName=${name}`,
    "Network=llm.network",
  ];
  const ports = 1 + Math.floor(next() * 3);
  for (let i = 0; i < ports; i++) {
    lines.push(`PublishPort=127.0.0.1:${8000 + index % 1000 + i}:${80 + i}`);
  }
  const volumes = 1 + Math.floor(next() * 3);
  for (let i = 0; i < volumes; i++) {
    lines.push(`Volume=${name}-data-${i}.volume:/var/lib/data${i}:Z`);
  }
  lines.push("; environment");
  const envs = 2 + Math.floor(next() * 6);
  for (let i = 0; i < envs; i++) {
    lines.push(`Environment=KEY_${i}=value-${index}-${i}`);
  }
  lines.push(`Environment="GREETING=hello world ${index}"`);
  lines.push(`Secret=${name}-token,type=env,target=API_TOKEN`);
  lines.push(`Label=io.leger.deployment=bench`);
  lines.push(`HealthCmd=/usr/bin/curl -fsS http://127.0.0.1:${80}/health`);
  if (next() < 0.3) {
    lines.push("Exec=/usr/bin/server \\", "  --port 80 \\", "  --workers 4");
  }
  lines.push(
    "",
    "[Service]",
    "Restart=always",
    "TimeoutStartSec=900",
    "",
    "[Install]",
    "WantedBy=default.target",
    "",
  );
  return lines.join("\n");
}

const fixtures = PODMAN_CORPUS ? await readPodmanFixtures() : [];
const next = random(42);
const generated = Array.from(
  { length: GENERATED_COUNT },
  (_, i) => generateUnit(i, next),
);

Deno.bench({
  ...needsCorpus(
    `parseUnit() over the ${fixtures.length} Podman fixture files`,
  ),
  group: "fixtures",
  baseline: true,
  fn() {
    for (const { path, text } of fixtures) parseUnit(text, { file: path });
  },
});

Deno.bench({
  name: `parseUnit() over ${GENERATED_COUNT} generated units`,
  group: "generated",
  baseline: true,
  fn() {
    for (let i = 0; i < generated.length; i++) {
      parseUnit(generated[i], { file: "svc.container" });
    }
  },
});
