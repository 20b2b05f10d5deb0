// The bookkeeping that install, update and restore share around a change:
// whether `deployments.yaml` already records it, removing its temporary
// staged copy, and the Podman volumes and networks its units create.
import type { QuadletUnit } from "../quadlet/types.ts";
import { readDeployments } from "../state/deployments_file.ts";

/** Whether `deployments.yaml` already names the change (so it is recorded). */
export async function isRecorded(
  stateDir: string,
  name: string,
  changeId: string,
): Promise<boolean> {
  try {
    return (await readDeployments(stateDir)).some((d) =>
      d.name === name && d.change_id === changeId
    );
  } catch {
    // Unreadable: it cannot have been written by this change.
    return false;
  }
}

/** Removes a temporary staged copy, and `staged/` itself when nothing else is staged. */
export async function removeStaged(dir: string): Promise<void> {
  await Deno.remove(dir, { recursive: true }).catch(() => {
    // Already gone.
  });
  await Deno.remove(dir.slice(0, dir.lastIndexOf("/"))).catch(() => {
    // Not empty: staged updates of other deployments stay.
  });
}

/** The Podman volumes and networks that units create (`resourceName` of `.volume`/`.network`). */
export function createdResources(
  units: readonly QuadletUnit[],
): { volumes: string[]; networks: string[] } {
  const named = (kind: string) =>
    units.filter((u) => u.kind === kind && u.resourceName !== null).map((u) =>
      u.resourceName!
    );
  return { volumes: named("volume"), networks: named("network") };
}
