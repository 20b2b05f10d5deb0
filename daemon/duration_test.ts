import { strictEqual, throws } from "node:assert/strict";
import { formatDuration, parseDuration } from "./duration.ts";

Deno.test("parseDuration() reads hours, minutes and seconds", () => {
  const cases: [string, number][] = [
    ["1s", 1_000],
    ["30s", 30_000],
    ["90s", 90_000],
    ["5m", 300_000],
    ["1h", 3_600_000],
    ["1h30m", 5_400_000],
    ["2m30s", 150_000],
    ["1h0m5s", 3_605_000],
    ["24h", 86_400_000],
  ];
  for (const [text, ms] of cases) strictEqual(parseDuration(text), ms, text);
});

Deno.test("parseDuration() refuses what is not a duration", () => {
  for (
    const text of [
      "",
      "5",
      "5 m",
      "5min",
      "1.5h",
      "-5m",
      "5m1h",
      "m",
      "5d",
      "5M",
    ]
  ) {
    throws(() => parseDuration(text), {
      name: "SyntaxError",
      message: /expected a number and a unit \(s, m or h\)/,
    }, text);
  }
});

Deno.test("formatDuration() writes the largest units that fit", () => {
  const cases: [number, string][] = [
    [0, "0ms"],
    [250, "250ms"],
    [1_000, "1s"],
    [1_500, "1.5s"],
    [59_900, "59.9s"],
    [90_000, "1m30s"],
    [300_000, "5m"],
    [5_400_000, "1h30m"],
    [86_400_000, "24h"],
  ];
  for (const [ms, text] of cases) {
    strictEqual(formatDuration(ms), text, String(ms));
  }
});
