import denoJson from "../deno.json" with { type: "json" };

/** leger's version, from deno.json. */
export const VERSION: string = denoJson.version;
