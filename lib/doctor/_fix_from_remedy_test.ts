import { strictEqual } from "node:assert/strict";
import { fixFromRemedy } from "./_fix_from_remedy.ts";

Deno.test("fixFromRemedy() keeps the commands a remedy quotes, else the remedy as a comment", () => {
  strictEqual(
    fixFromRemedy(
      "Run `sudo systemctl start tailscaled`, then `sudo tailscale up`",
    ),
    "sudo systemctl start tailscaled\nsudo tailscale up",
  );
  strictEqual(
    fixFromRemedy(
      "Run `sudo tailscale up`, then `leger auth status` again",
      /^leger /,
    ),
    "sudo tailscale up",
  );
  // A flag or a file name is no command: the whole remedy, as a comment.
  strictEqual(
    fixFromRemedy(
      "Install the `tailscale` CLI, or run leger with `--allow-net=x` added to its flags",
    ),
    "# Install the `tailscale` CLI, or run leger with `--allow-net=x` added to its flags",
  );
  strictEqual(fixFromRemedy("Free some space"), "# Free some space");
});
