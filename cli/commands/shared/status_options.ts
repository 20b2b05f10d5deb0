import type { Scope } from "../../../lib/state/paths.ts";

/** The options of `leger status`. */
export interface StatusOptions {
  /** Only this deployment; every installed one when absent. */
  deployment?: string;
  /** Redraw every 2 seconds until Ctrl-C (a terminal only). */
  watch: boolean;
  /** `--scope`, or the default of the user running leger. */
  scope?: Scope;
  /** Print one JSON document. */
  json: boolean;
}
