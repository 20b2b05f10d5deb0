import { deepStrictEqual, rejects, strictEqual } from "node:assert/strict";
import { hostFiles } from "./host_files.ts";

Deno.test("hostFiles() reads, lists and finds files under a root; a missing one is null, not an error", async () => {
  const root = await Deno.makeTempDir();
  await Deno.mkdir(`${root}/etc/containers/containers.conf.d`, {
    recursive: true,
  });
  await Deno.writeTextFile(
    `${root}/etc/containers/containers.conf.d/b.conf`,
    "",
  );
  await Deno.writeTextFile(
    `${root}/etc/containers/containers.conf.d/a.conf`,
    "",
  );
  await Deno.writeTextFile(`${root}/etc/passwd`, "root:x:0:0::/root:/bin/sh\n");
  const files = hostFiles({ root });
  deepStrictEqual(await files.list("/etc/containers/containers.conf.d"), [
    "a.conf",
    "b.conf",
  ]);
  strictEqual(await files.list("/etc/nothing"), null);
  // A path through a file is missing too.
  strictEqual(await files.readText("/etc/passwd/x"), null);
  strictEqual(await files.exists("/etc/passwd"), true);
  strictEqual(await files.exists("/var/lib/systemd/linger/alice"), false);
  // Another failure is the check's to report.
  await rejects(files.readText("/etc"), Error);
  await Deno.remove(root, { recursive: true });
});
