import { withoutNaN, requireCount, mean, variance } from './helpers.js';

/** Summary statistics of one sample; see {@link describeSample}. */
export interface Description {
  /** Values used (not NaN). */
  n: number;
  /** NaN values left out. */
  nMissing: number;
  mean: number;
  /** Sample standard deviation (ddof 1, NaN when n = 1). */
  sd: number;
  median: number;
  /** 25th percentile, NumPy's default 'linear' method. */
  q1: number;
  /** 75th percentile, NumPy's default 'linear' method. */
  q3: number;
  min: number;
  max: number;
}

/**
 * Summary statistics of a sample, ignoring NaN: what `numpy.nanmean`, `numpy.nanstd(ddof=1)`,
 * `numpy.nanmedian`, `numpy.nanpercentile(…, [25, 75])` (method 'linear': the value at position
 * q·(n − 1) of the sorted sample, interpolated), `numpy.nanmin` and `numpy.nanmax` return.
 *
 * @throws InvalidArgumentError when no value is left.
 */
export function describeSample(values: ArrayLike<number>): Description {
  const { values: kept, missing } = withoutNaN(values);
  requireCount('describe', 'non-NaN value', kept.length, 1, missing);
  const n = kept.length;
  const sorted = kept.slice().sort();
  const middle = n >> 1;
  return {
    n,
    nMissing: missing,
    mean: mean(kept),
    sd: n > 1 ? Math.sqrt(variance(kept, 1)) : NaN,
    median: n % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2,
    q1: linearPercentile(sorted, 0.25),
    q3: linearPercentile(sorted, 0.75),
    min: sorted[0],
    max: sorted[n - 1],
  };
}

/** `np.percentile(sorted, 100·q)` with the 'linear' method, including NumPy's `_lerp`. */
function linearPercentile(sorted: Float64Array, q: number): number {
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  const t = position - below;
  const a = sorted[below];
  const b = sorted[above];
  const difference = b - a;
  // NumPy interpolates from the nearer end, so that t = 1 gives b exactly.
  return t >= 0.5 ? b - difference * (1 - t) : a + difference * t;
}
