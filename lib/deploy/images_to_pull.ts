import type { LoadedUnit } from "../quadlet/load_units.ts";
import { lookupAll, lookupLast } from "../unit/lookup.ts";
import type { UnitFile } from "../unit/types.ts";
import { unquote } from "../unit/unquote.ts";

/**
 * What leger does with an image before installing:
 *
 * - `missing`: pull it when it is not in local storage (Podman's default,
 *   `Pull=missing`);
 * - `always`: pull it even when it is (`Pull=always`, `Pull=newer`, and a
 *   `.image` unit's default `Policy=always`), so that the service's own pull
 *   at start finds the layers already there;
 * - `local`: never pull it, but fail early when it is not in local storage
 *   (a `localhost/…` image, `Pull=never`, `Policy=never`).
 */
export type ImagePullPolicy = "missing" | "always" | "local";

/** An image a deployment needs, and the unit that names it. */
export interface ImageToPull {
  /** The reference given to Podman, as written (`docker://` removed). */
  image: string;
  /** The unit that names it, such as `web.container`. */
  unit: string;
  /** The file of the `Image=` entry: the unit itself or the drop-in that set it. */
  file: string;
  /** 1-based line of the `Image=` entry in {@linkcode ImageToPull.file}. */
  line: number;
  /** Whether to pull it, pull it only when missing, or only check it is there. */
  policy: ImagePullPolicy;
}

/** How strongly a policy asks for a pull, to merge the units naming one image. */
const POLICY_RANK: Readonly<Record<ImagePullPolicy, number>> = {
  local: 0,
  missing: 1,
  always: 2,
};

/** containers-transports(5) other than `docker://`: nothing a registry serves. */
const TRANSPORT_REGEXP =
  /^(?:docker-archive|docker-daemon|oci-archive|oci|dir|containers-storage|sif|ostree|tarball):/;

/** Options of `podman run` and `podman image pull` that change what is pulled, or how. */
const PULL_FLAG_REGEXP =
  /(?:^|\s)["']?--(?:arch|os|platform|variant|authfile|creds|cert-dir|tls-verify|decryption-key)(?:[=\s"']|$)/;

/** `.image` keys that change what Podman pulls, or how (podman-systemd.unit(5)). */
const IMAGE_PULL_KEYS = [
  "Arch",
  "OS",
  "Variant",
  "AuthFile",
  "Creds",
  "CertDir",
  "TLSVerify",
  "DecryptionKey",
];

/**
 * Lists the images a deployment needs that leger can pull before it changes
 * anything on the host, once each:
 *
 * - a `.container`'s `Image=`, following its `Pull=`;
 * - a `.volume`'s `Image=` when `Driver=image` (Podman only looks the image
 *   up when it creates the volume; nothing pulls it);
 * - a `.image` unit's `Image=` (not its `ImageTag=`), following its
 *   `Policy=` (`always` by default, as `podman image pull`).
 *
 * Left out: `Image=x.image` and `Image=x.build`, which those units' own
 * services produce at start; a `.build` unit's base images; the images a
 * `.kube` unit's YAML names; images named with a systemd specifier (`%i`) or
 * with a transport other than `docker://` (`oci-archive:/x.tar`); and the
 * units whose `GlobalArgs=`, `ContainersConfModule=`, `PodmanArgs=`
 * (`--arch`, `--authfile`, `--creds`, …) or `.image` keys (`AuthFile=`,
 * `Creds=`, `Arch=`, `AllTags=`, …) change where or how Podman pulls, since
 * leger would not pull as they do. The service still pulls each of those at
 * start. A `localhost/…` image is never pulled (policy `local`): it must have
 * been built or loaded on this host.
 *
 * When several units name one image, it is listed once, with the policy that
 * pulls the most and the unit that asked for it first.
 *
 * @param units The deployment's units, parsed (drop-ins merged) and typed,
 * as `loadUnits` gives them.
 * @returns The images, in the order the units first name them.
 *
 * @example Usage
 * ```ts
 * import { imagesToPull } from "./images_to_pull.ts";
 * import { loadUnits } from "../quadlet/load_units.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const file = (path: string, text: string) => ({ path, bytes: new TextEncoder().encode(text) });
 * const { units } = loadUnits([
 *   file("web.container", "[Container]\nImage=docker.io/library/caddy:2\n"),
 *   file("app.container", "[Container]\nImage=app.build\n"),
 *   file("app.build", "[Build]\nImageTag=localhost/app\n"),
 * ]);
 * deepStrictEqual(imagesToPull(units), [{
 *   image: "docker.io/library/caddy:2",
 *   unit: "web.container",
 *   file: "web.container",
 *   line: 2,
 *   policy: "missing",
 * }]);
 * ```
 */
export function imagesToPull(units: readonly LoadedUnit[]): ImageToPull[] {
  const byImage = new Map<string, ImageToPull>();
  for (const loaded of units) {
    const wanted = imageOf(loaded);
    if (wanted === null) continue;
    const seen = byImage.get(wanted.image);
    if (
      seen === undefined ||
      POLICY_RANK[wanted.policy] > POLICY_RANK[seen.policy]
    ) {
      byImage.set(wanted.image, wanted);
    }
  }
  return [...byImage.values()];
}

function imageOf({ unit, quadlet }: LoadedUnit): ImageToPull | null {
  switch (quadlet.kind) {
    case "container":
      if (pullsItsOwnWay(unit, "Container")) return null;
      return imageEntry(unit, quadlet.file, {
        section: "Container",
        policy: policyOf(value(unit, "Container", "Pull"), "missing"),
      });
    case "volume":
      if (value(unit, "Volume", "Driver") !== "image") return null;
      if (pullsItsOwnWay(unit, "Volume")) return null;
      return imageEntry(unit, quadlet.file, {
        section: "Volume",
        policy: "missing",
      });
    case "image":
      if (
        pullsItsOwnWay(unit, "Image") ||
        IMAGE_PULL_KEYS.some((key) =>
          value(unit, "Image", key) !== undefined
        ) ||
        isTrue(value(unit, "Image", "AllTags"))
      ) return null;
      return imageEntry(unit, quadlet.file, {
        section: "Image",
        policy: policyOf(value(unit, "Image", "Policy"), "always"),
      });
    default:
      return null;
  }
}

/** Whether the unit changes Podman's storage, configuration or pull options. */
function pullsItsOwnWay(unit: UnitFile, section: string): boolean {
  return lookupAll(unit, section, "GlobalArgs").length > 0 ||
    lookupAll(unit, section, "ContainersConfModule").length > 0 ||
    lookupAll(unit, section, "PodmanArgs").some((entry) =>
      PULL_FLAG_REGEXP.test(entry.value)
    );
}

function imageEntry(
  unit: UnitFile,
  name: string,
  options: { section: string; policy: ImagePullPolicy },
): ImageToPull | null {
  const entry = lookupLast(unit, options.section, "Image");
  if (entry === undefined) return null;
  const written = unquote(entry.value);
  if (
    written === "" || written.endsWith(".image") ||
    written.endsWith(".build") || written.includes("%") ||
    TRANSPORT_REGEXP.test(written)
  ) return null;
  const image = written.startsWith("docker://")
    ? written.slice("docker://".length)
    : written;
  return {
    image,
    unit: name,
    file: entry.file,
    line: entry.line,
    policy: image.startsWith("localhost/") ? "local" : options.policy,
  };
}

/** Podman's pull policies (podman-run(1) `--pull`), case-insensitive as Podman reads them. */
function policyOf(
  written: string | undefined,
  fallback: ImagePullPolicy,
): ImagePullPolicy {
  switch (written?.toLowerCase()) {
    case "always":
    case "newer":
      return "always";
    case "never":
      return "local";
    case "missing":
      return "missing";
    default:
      return fallback;
  }
}

/** A key read as Podman's `Lookup` reads it; `undefined` when unset or empty. */
function value(
  unit: UnitFile,
  section: string,
  key: string,
): string | undefined {
  const entry = lookupLast(unit, section, key);
  const text = entry === undefined ? "" : unquote(entry.value);
  return text === "" ? undefined : text;
}

function isTrue(text: string | undefined): boolean {
  return ["1", "yes", "true", "on"].includes(text?.toLowerCase() ?? "");
}
