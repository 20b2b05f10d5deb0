import { match, ok } from "node:assert/strict";
import type { DeploymentPlan, PlanService } from "../lib/deploy/plan_types.ts";
import { renderPlan } from "./render_plan.ts";

function unit(
  file: string,
  service: string,
  start: PlanService["start"],
): PlanService {
  return {
    unit: file,
    kind: file.slice(file.lastIndexOf(".") + 1),
    service,
    start,
    started_services: start === "started" ? [service] : [],
    image: null,
    ports: [],
    secrets: [],
    volumes: [],
    networks: [],
  };
}

function plan(services: PlanService[]): DeploymentPlan {
  return {
    deployment: "app",
    source: { type: "local", location: "/srv/app" },
    scope: "user",
    files: [],
    services,
    secrets_required: [],
    secrets_missing: [],
    volumes: [],
    networks: [],
    normalisations: [],
    conflicts: [],
    errors: [],
    warnings: [],
    valid: true,
  };
}

Deno.test("renderPlan() counts as services what deploy list does, not a volume's or network's service", async (t) => {
  for (const terminal of [false, true]) {
    await t.step(`volumes only, terminal: ${terminal}`, () => {
      const text = renderPlan(
        plan([unit("data.volume", "data-volume.service", "dependency")]),
        { terminal },
      );
      match(text, /^Services: none$/m);
      match(text, /^Started with them \(1\):\n(?:.*\n)?.*data\.volume/m);
    });
    await t.step(`a container and a volume, terminal: ${terminal}`, () => {
      const text = renderPlan(
        plan([
          unit("data.volume", "data-volume.service", "dependency"),
          unit("web.container", "web.service", "started"),
        ]),
        { terminal },
      );
      const services = /^Services \(1\):\n([\s\S]*?)\n\n/m.exec(text);
      ok(services !== null, text);
      match(services[1], /web\.service/);
      ok(!services[1].includes("data-volume.service"), text);
      match(text, /^Started with them \(1\):/m);
    });
  }
});
