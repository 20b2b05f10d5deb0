/** An inclusive range of ports: `[8080, 8080]` for a single port. */
export type PortRange = readonly [number, number];

const PORT_RANGE_REGEXP = /^(\d{1,5})(?:-(\d{1,5}))?$/;

/**
 * Reads a host port as `PublishPort=` gives it (`"8080"`, `"8000-8010"`).
 *
 * @returns The range, or `null` for a value leger cannot compare (a systemd
 * specifier or variable, which is expanded only at start), an empty one, or a
 * range that is out of order or outside 1-65535.
 */
export function parsePortRange(text: string | null): PortRange | null {
  if (text === null) return null;
  const match = PORT_RANGE_REGEXP.exec(text.trim());
  if (match === null) return null;
  const start = Number(match[1]);
  const end = match[2] === undefined ? start : Number(match[2]);
  if (start < 1 || end > 65535 || end < start) return null;
  return [start, end];
}

/** Whether two ranges share a port. */
export function rangesOverlap(a: PortRange, b: PortRange): boolean {
  return a[0] <= b[1] && b[0] <= a[1];
}

/** `8080` or `8000-8010`. */
export function formatPortRange(range: PortRange): string {
  return range[0] === range[1] ? `${range[0]}` : `${range[0]}-${range[1]}`;
}
