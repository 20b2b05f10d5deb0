/**
 * How long {@linkcode pullImages} takes for 8 missing images when each
 * `podman pull` takes ~50 ms: one after another (`concurrency: 1`, ~400 ms)
 * against the default of 4 at once (~100 ms) and all 8 at once (~50 ms). The
 * runner is a fake, so this measures leger's scheduling, not a registry; the
 * real `podman pull` is measured on the e2e host.
 *
 * Run with `deno bench lib/deploy/pull_images_bench.ts`.
 *
 * @module
 */
import type { Runner } from "../adapters/run.ts";
import { deployContext } from "./context.ts";
import type { ImageToPull } from "./images_to_pull.ts";
import { pullImages } from "./pull_images.ts";

const PULL_MS = 50;
const IMAGES: ImageToPull[] = Array.from({ length: 8 }, (_, i) => ({
  image: `quay.io/leger/bench-${i}:1`,
  unit: `app-${i}.container`,
  file: `app-${i}.container`,
  line: 2,
  policy: "missing",
}));

/** No image is present; every pull takes {@linkcode PULL_MS}. */
const slowRegistry: Runner = (_bin, args) => {
  if (args[0] === "image") {
    return Promise.resolve({ code: 1, stdout: "", stderr: "" });
  }
  return new Promise((resolve) =>
    setTimeout(
      () => resolve({ code: 0, stdout: "sha256:1\n", stderr: "" }),
      PULL_MS,
    )
  );
};

const context = deployContext({
  scope: "user",
  home: "/home/bench",
  cwd: "/",
  env: () => undefined,
  runner: slowRegistry,
});

for (
  const [name, concurrency, baseline] of [
    ["one after another", 1, true],
    ["4 at once (default)", 4, false],
    ["8 at once", 8, false],
  ] as const
) {
  Deno.bench({
    name: `pullImages() 8 images of ${PULL_MS} ms, ${name}`,
    group: "pull 8 images",
    baseline,
    n: 10,
    warmup: 1,
    async fn() {
      await pullImages(IMAGES, context, { concurrency });
    },
  });
}
