/**
 * The plan of a deployment: what `leger deploy install --dry-run --json` and
 * `leger validate --json` print. Keys are snake_case; renaming one breaks
 * users' scripts.
 *
 * @module
 */
import type { ErrorCode } from "../errors/codes.ts";
import type { Normalisation, SourceInfo } from "../source/types.ts";

/** A port of a service in the plan. */
export interface PlanPort {
  host_ip: string | null;
  host_port: string | null;
  container_port: string;
  protocol: "tcp" | "udp" | "sctp";
}

/** A secret a service mounts. */
export interface PlanSecret {
  name: string;
  type: "env" | "mount";
  target: string | null;
}

/** One quadlet unit of the deployment and the service it becomes. */
export interface PlanService {
  unit: string;
  kind: string;
  service: string;
  image: string | null;
  ports: PlanPort[];
  secrets: PlanSecret[];
  /** Volume and mount sources (Podman volume names or absolute host paths). */
  volumes: string[];
  networks: string[];
}

/** An error or conflict found while planning. */
export interface PlanProblem {
  code: ErrorCode;
  message: string;
  file?: string;
  line?: number;
  remedy?: string;
}

/** The whole plan document. */
export interface DeploymentPlan {
  deployment: string;
  source: SourceInfo;
  scope: "user" | "system";
  files: { name: string; sha256: string }[];
  services: PlanService[];
  secrets_required: string[];
  /** Podman volumes the deployment creates (from its `.volume` units). */
  volumes: string[];
  /** Podman networks the deployment creates (from its `.network` units). */
  networks: string[];
  /** What leger changed in the staged copy to cope with known defects of the source. */
  normalisations: Normalisation[];
  conflicts: PlanProblem[];
  errors: PlanProblem[];
  /** What Podman and systemd accept but probably does not do what was meant. */
  warnings: PlanProblem[];
  valid: boolean;
}
