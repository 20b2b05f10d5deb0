import { deepStrictEqual } from "node:assert/strict";
import { addressesOverlap } from "./addresses_overlap.ts";
import { firstOverlaps, type PortSpot } from "./_first_overlaps.ts";
import { rangesOverlap } from "./_port_range.ts";

/** The definition: compare each spot with each. */
function naive(
  spots: readonly PortSpot[],
  earlier?: readonly PortSpot[],
): number[] {
  return spots.map((spot, i) =>
    (earlier ?? spots.slice(0, i)).findIndex((other) =>
      other.protocol === spot.protocol &&
      rangesOverlap(other.range, spot.range) &&
      addressesOverlap(other.address, spot.address)
    )
  );
}

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ADDRESSES = [
  null,
  "0.0.0.0",
  "::",
  "[::]",
  "127.0.0.1",
  "127.0.0.2",
  "::1",
  "[::1]",
  "::ffff:127.0.0.1",
  "fe80::1%eth0",
  "not-an-address",
  "also-not",
];

function spots(next: () => number, count: number): PortSpot[] {
  return Array.from({ length: count }, () => {
    const start = 1 + Math.floor(next() * 20);
    const end = next() < 0.7 ? start : start + Math.floor(next() * 6);
    return {
      protocol: next() < 0.8 ? "tcp" : "udp",
      range: [start, end] as const,
      address: ADDRESSES[Math.floor(next() * ADDRESSES.length)],
    };
  });
}

Deno.test("firstOverlaps() finds the first earlier spot each overlaps, as comparing each with each does", () => {
  const next = random(7);
  for (let round = 0; round < 300; round++) {
    // Past 16 ranges a group is a segment tree, below a list: both are met.
    const list = spots(next, 1 + Math.floor(next() * (round < 250 ? 40 : 400)));
    deepStrictEqual(firstOverlaps(list), naive(list), `round ${round}`);
  }
});

Deno.test("firstOverlaps() finds the first spot of another list each overlaps, as comparing each with each does", () => {
  const next = random(11);
  for (let round = 0; round < 300; round++) {
    const size = round < 250 ? 30 : 300;
    const list = spots(next, 1 + Math.floor(next() * size));
    const other = spots(next, Math.floor(next() * size));
    deepStrictEqual(
      firstOverlaps(list, other),
      naive(list, other),
      `round ${round}`,
    );
  }
});

Deno.test("firstOverlaps() gives -1 to a spot that overlaps nothing", () => {
  deepStrictEqual(
    firstOverlaps([
      { protocol: "tcp", range: [80, 80], address: "127.0.0.1" },
      { protocol: "udp", range: [80, 80], address: "127.0.0.1" },
      { protocol: "tcp", range: [81, 90], address: null },
      { protocol: "tcp", range: [80, 80], address: "::1" },
    ]),
    [-1, -1, -1, -1],
  );
});
