/** Summary statistics the report uses: median, min and max of runs, and latency percentiles. */

export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export function spreadOf(values: readonly number[]): Spread {
  if (values.length === 0) throw new RangeError('spreadOf needs at least one value');
  const sorted = [...values].sort((x, y) => x - y);
  return { median: medianOfSorted(sorted), min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

function medianOfSorted(sorted: readonly number[]): number {
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Nearest-rank percentile (`fraction` in 0..1) of samples that are already sorted ascending. */
export function percentileOfSorted(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) throw new RangeError('percentile of no samples');
  const rank = Math.max(1, Math.ceil(fraction * sorted.length));
  return sorted[rank - 1]!;
}

/** Operations per second from a count and elapsed milliseconds. */
export function perSecond(count: number, elapsedMs: number): number {
  return count / (elapsedMs / 1000);
}
