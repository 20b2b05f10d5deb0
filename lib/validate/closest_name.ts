import { editDistance } from "./_edit_distance.ts";

/**
 * Picks the candidate closest to a misspelt name, for "Did you mean …?".
 *
 * Names are compared without regard to case (Podman's keys are
 * case-sensitive, so `publishport` is wrong but plainly means `PublishPort`);
 * a candidate is close enough when at most 1 edit away for names of up to 4
 * characters, 2 for up to 8, and 3 beyond. Of equally close candidates the
 * first in `candidates` order wins.
 *
 * @param name The name as written.
 * @param candidates The valid names.
 * @returns The closest valid name, or `undefined` when none is close.
 *
 * @example Usage
 * ```ts
 * import { closestName } from "./closest_name.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const keys = ["Image", "PublishPort", "Volume"];
 * strictEqual(closestName("PublishPorts", keys), "PublishPort");
 * strictEqual(closestName("publishport", keys), "PublishPort");
 * strictEqual(closestName("Restart", keys), undefined);
 * ```
 */
export function closestName(
  name: string,
  candidates: Iterable<string>,
): string | undefined {
  const wanted = name.toLowerCase();
  const limit = wanted.length <= 4 ? 1 : wanted.length <= 8 ? 2 : 3;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    if (candidate === name) continue;
    const distance = editDistance(
      wanted,
      candidate.toLowerCase(),
      bestDistance - 1,
    );
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
