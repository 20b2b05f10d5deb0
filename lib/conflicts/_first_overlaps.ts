import { canonicalAddress } from "./_ip.ts";
import type { PortRange } from "./_port_range.ts";

/** A host port range published at an address, as the conflict checks compare them. */
export interface PortSpot {
  /** `tcp` or `udp`. */
  protocol: string;
  /** The host ports. */
  range: PortRange;
  /** The host address as written, or `null` for every address. */
  address: string | null;
}

const NONE = 0x7fffffff;

/** The structures of one protocol that gather spots of many addresses. */
interface Shared {
  /** Spots at every address (`null`, `::`). */
  any: Structure;
  /** Spots at every IPv4 address (`0.0.0.0`). */
  ipv4: Structure;
  /** Every spot. */
  all: Structure;
  /** Every spot but those at one IPv6 address. */
  allButOneV6: Structure;
}

/** Where a spot goes and where the spots it overlaps are. */
interface Placed {
  range: PortRange;
  added: Structure[];
  searched: Structure[];
}

/**
 * Places spots by how their addresses overlap others (see
 * `addressesOverlap`): every address (`null`, `::`, which also takes IPv4)
 * overlaps all; every IPv4 address (`0.0.0.0`) all but one IPv6 address;
 * one address (or one leger cannot read, as written) only itself and those
 * two.
 */
class Placer {
  #shared = new Map<string, Shared>();
  #groups = new Map<string, Structure>();
  readonly structures: Structure[] = [];

  place(spot: PortSpot): Placed {
    const { protocol, address, range } = spot;
    let shared = this.#shared.get(protocol);
    if (shared === undefined) {
      shared = {
        any: this.#new(),
        ipv4: this.#new(),
        all: this.#new(),
        allButOneV6: this.#new(),
      };
      this.#shared.set(protocol, shared);
    }
    const canonical = address === null ? null : canonicalAddress(address);
    if (address === null || (canonical?.wildcard && canonical.family === 6)) {
      return {
        range,
        added: [shared.any, shared.all, shared.allButOneV6],
        searched: [shared.all],
      };
    }
    if (canonical?.wildcard) {
      return {
        range,
        added: [shared.ipv4, shared.all, shared.allButOneV6],
        searched: [shared.allButOneV6],
      };
    }
    const key = canonical === null
      ? `${protocol} raw ${address}`
      : `${protocol} ${canonical.text}`;
    let group = this.#groups.get(key);
    if (group === undefined) this.#groups.set(key, group = this.#new());
    return canonical?.family === 6
      ? {
        range,
        added: [group, shared.all],
        searched: [group, shared.any],
      }
      : {
        range,
        added: [group, shared.all, shared.allButOneV6],
        searched: [group, shared.any, shared.ipv4],
      };
  }

  #new(): Structure {
    const structure = new Structure();
    this.structures.push(structure);
    return structure;
  }
}

/** Up to this many ranges, a structure is a list to scan: most hold one or two. */
const SMALL = 16;

/**
 * One structure: the lowest index of the spots added so far that hold each
 * port. Past {@linkcode SMALL} ranges it is a segment tree over the ports it
 * is ever asked about (compressed to the ends of those ranges) that lowers a
 * range to a value and gives a range's lowest value in O(log n).
 */
class Structure {
  #planned: PortRange[] = [];
  /** Small: the ranges added and their indexes. */
  #added: [PortRange, number][] | undefined;
  #cuts!: number[];
  #size = 1;
  #low!: Int32Array;
  #lowered!: Int32Array;

  /** Makes `range` one the structure will be asked about. */
  plan(range: PortRange): void {
    this.#planned.push(range);
  }

  /** Builds the tree once every range is planned. */
  build(): void {
    const planned = this.#planned;
    this.#planned = [];
    if (planned.length <= SMALL) {
      this.#added = [];
      return;
    }
    const cuts = new Set<number>();
    for (const [start, end] of planned) cuts.add(start).add(end + 1);
    this.#cuts = [...cuts].sort((a, b) => a - b);
    while (this.#size < this.#cuts.length) this.#size *= 2;
    this.#low = new Int32Array(2 * this.#size).fill(NONE);
    this.#lowered = new Int32Array(2 * this.#size).fill(NONE);
  }

  /** Records that spot `index` holds `range`. */
  add(range: PortRange, index: number): void {
    if (this.#added !== undefined) {
      this.#added.push([range, index]);
      return;
    }
    this.#lower(
      1,
      0,
      this.#size,
      this.#cut(range[0]),
      this.#cut(range[1] + 1),
      index,
    );
  }

  /** The lowest index added that holds a port of `range`, or `NONE`. */
  first(range: PortRange): number {
    if (this.#added !== undefined) {
      let first = NONE;
      for (const [[start, end], index] of this.#added) {
        if (start <= range[1] && range[0] <= end && index < first) {
          first = index;
        }
      }
      return first;
    }
    return this.#first(
      1,
      0,
      this.#size,
      this.#cut(range[0]),
      this.#cut(range[1] + 1),
    );
  }

  #cut(port: number): number {
    const cuts = this.#cuts;
    let low = 0;
    let high = cuts.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (cuts[middle] < port) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  #lower(
    node: number,
    left: number,
    right: number,
    from: number,
    to: number,
    value: number,
  ): void {
    if (to <= left || right <= from) return;
    if (from <= left && right <= to) {
      if (value < this.#lowered[node]) this.#lowered[node] = value;
      if (value < this.#low[node]) this.#low[node] = value;
      return;
    }
    const middle = (left + right) >> 1;
    this.#lower(2 * node, left, middle, from, to, value);
    this.#lower(2 * node + 1, middle, right, from, to, value);
    this.#low[node] = Math.min(
      this.#lowered[node],
      this.#low[2 * node],
      this.#low[2 * node + 1],
    );
  }

  #first(
    node: number,
    left: number,
    right: number,
    from: number,
    to: number,
  ): number {
    if (to <= left || right <= from) return NONE;
    if (from <= left && right <= to) return this.#low[node];
    const middle = (left + right) >> 1;
    return Math.min(
      this.#lowered[node],
      this.#first(2 * node, left, middle, from, to),
      this.#first(2 * node + 1, middle, right, from, to),
    );
  }
}

/**
 * For each spot of `spots`, the first spot it overlaps (same protocol, a
 * common port, addresses that overlap as `addressesOverlap` says): the first
 * of `earlier`, or with `earlier` left out the first spot before it in
 * `spots` itself.
 *
 * Spots are grouped by how their address overlaps others (one address
 * overlaps only itself, `0.0.0.0` and every address), and each group keeps
 * its port ranges in a segment tree: n spots cost O(n log n), where comparing
 * each with each would cost n², and a deployment may publish 35,000 ports
 * in one file.
 *
 * @param spots The spots to check.
 * @param earlier The spots they may conflict with; by default, those before
 * each in `spots`.
 * @returns For each spot, the index of the first spot it overlaps, or -1.
 *
 * @example Usage
 * ```ts
 * import { firstOverlaps } from "./_first_overlaps.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const spots = [
 *   { protocol: "tcp", range: [8080, 8080] as const, address: "127.0.0.1" },
 *   { protocol: "tcp", range: [8080, 8080] as const, address: "127.0.0.2" },
 *   { protocol: "tcp", range: [8000, 8100] as const, address: null },
 * ];
 * deepStrictEqual(firstOverlaps(spots), [-1, -1, 0]);
 * ```
 */
export function firstOverlaps(
  spots: readonly PortSpot[],
  earlier?: readonly PortSpot[],
): number[] {
  const placer = new Placer();
  const items = spots.map((spot) => placer.place(spot));
  for (const { range, searched } of items) {
    for (const structure of searched) structure.plan(range);
  }
  const older = earlier === undefined
    ? items
    : earlier.map((spot) => placer.place(spot));
  for (const { range, added } of older) {
    for (const structure of added) structure.plan(range);
  }
  for (const structure of placer.structures) structure.build();
  const add = ({ range, added }: Placed, index: number) => {
    for (const structure of added) structure.add(range, index);
  };
  if (earlier !== undefined) older.forEach(add);
  return items.map((item, index) => {
    let first = NONE;
    for (const structure of item.searched) {
      first = Math.min(first, structure.first(item.range));
    }
    if (earlier === undefined) add(item, index);
    return first === NONE ? -1 : first;
  });
}
