// Reused by every call: a name is compared with hundreds of candidates, and
// allocating three rows each time kept the garbage collector busy.
let rows = [0, 1, 2].map(() => new Int32Array(64));

/**
 * The optimal-string-alignment distance between two strings: insertions,
 * deletions, substitutions and swaps of two neighbours each cost 1
 * (`PublishPorts` to `PublishPort` is 1, `ContainerNmae` to `ContainerName` is 1).
 *
 * With `max`, the work stops as soon as the distance is known to exceed it,
 * and `max + 1` is returned: comparing a name with many candidates then costs
 * about `max` rows per candidate, and strings whose lengths differ by more
 * than `max` cost nothing.
 *
 * @param a One string.
 * @param b The other.
 * @param max The largest distance of interest.
 * @returns The distance, or `max + 1` when it is larger than `max`.
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const cols = b.length + 1;
  if (rows[0].length < cols) {
    rows = [0, 1, 2].map(() => new Int32Array(2 * cols));
  }
  // Three rows of the matrix: two above (for swaps), and the current one.
  let [before, above, row] = rows;
  for (let j = 0; j < cols; j++) above[j] = j;
  for (let i = 1; i <= a.length; i++) {
    row[0] = i;
    let least = i;
    const x = a.charCodeAt(i - 1);
    for (let j = 1; j < cols; j++) {
      const y = b.charCodeAt(j - 1);
      let d = Math.min(
        above[j] + 1,
        row[j - 1] + 1,
        above[j - 1] + (x === y ? 0 : 1),
      );
      if (
        i > 1 && j > 1 && x === b.charCodeAt(j - 2) &&
        a.charCodeAt(i - 2) === y
      ) {
        d = Math.min(d, before[j - 2] + 1);
      }
      row[j] = d;
      if (d < least) least = d;
    }
    // A row's smallest value never decreases further down.
    if (least > max) return max + 1;
    [before, above, row] = [above, row, before];
  }
  return Math.min(above[b.length], max + 1);
}
