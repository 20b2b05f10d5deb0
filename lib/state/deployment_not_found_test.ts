import { deepStrictEqual } from "node:assert/strict";
import {
  deploymentNotFound,
  type DeploymentNotFoundOptions,
} from "./deployment_not_found.ts";

Deno.test("deploymentNotFound() lists the deployments there are and suggests the closest", async (t) => {
  const cases: {
    name: string;
    named: string | undefined;
    options: DeploymentNotFoundOptions;
    message: string;
    remedy: string;
  }[] = [
    {
      name: "a misspelt name",
      named: "wbe",
      options: { known: ["db", "web"], scope: "user" },
      message:
        'Cannot find the installed deployment "wbe" in the user scope: installed are db, web',
      remedy: "Did you mean `web`?",
    },
    {
      name: "a name in another case",
      named: "Web",
      options: { known: ["db", "web"], what: "staged", scope: "system" },
      message:
        'Cannot find the staged deployment "Web" in the system scope: staged are db, web',
      remedy: "Did you mean `web`?",
    },
    {
      name: "a name near none",
      named: "mail",
      options: { known: ["db", "web"] },
      message:
        'Cannot find the installed deployment "mail": installed are db, web',
      remedy: "Name one of them, such as `db`",
    },
    {
      name: "a name near none, with the caller's remedy",
      named: "mail",
      options: { known: ["web"], remedy: "Install it" },
      message: 'Cannot find the installed deployment "mail": installed are web',
      remedy: "Install it",
    },
    {
      name: "a near name wins over the caller's remedy",
      named: "wb",
      options: { known: ["web"], remedy: "Install it" },
      message: 'Cannot find the installed deployment "wb": installed are web',
      remedy: "Did you mean `web`?",
    },
    {
      name: "nothing installed",
      named: "web",
      options: { known: [], scope: "user" },
      message:
        'Cannot find the installed deployment "web" in the user scope: nothing is installed',
      remedy:
        "Install one with `leger deploy install --source <folder>`; `leger deploy list` shows what is installed in every scope you can see",
    },
    {
      name: "nothing staged, none named",
      named: undefined,
      options: { known: [], what: "staged" },
      message: "Cannot choose a deployment: nothing is staged",
      remedy:
        "Stage an update of an installed deployment with `leger staged stage NAME` (or `leger deploy update NAME --dry-run`)",
    },
    {
      name: "several, none named",
      named: undefined,
      options: { known: ["db", "web"], scope: "user" },
      message:
        "Cannot choose a deployment in the user scope: 2 are installed (db, web)",
      remedy: "Name one of them, such as `db`",
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      const error = deploymentNotFound(c.named, c.options);
      deepStrictEqual(
        [error.code, error.message, error.remedy],
        ["ERR_DEPLOYMENT_NOT_FOUND", c.message, c.remedy],
      );
    });
  }
});
