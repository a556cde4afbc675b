/**
 * NumPy 1.24 `percentile(x, q)` with the default 'linear' method, on values already sorted
 * ascending: `v = (n − 1)·(q/100)` in float64, `d = b − a` in the data's precision (float32 for
 * float32 data), then `a + d·g` below g = 0.5 and `b − d·(1 − g)` from 0.5, in float64. A NaN
 * (sorted last) makes the result NaN, as NumPy does. Internal to the Cellpose transforms.
 */
export function sortedPercentile(
  sorted: Float32Array | Float64Array,
  q: number,
  float32Difference: boolean,
): number {
  const n = sorted.length;
  if (n === 0 || Number.isNaN(sorted[n - 1])) return NaN;
  const virtual = (n - 1) * (q / 100);
  let below = Math.floor(virtual);
  let above = below + 1;
  // numpy's _get_indexes: at or past the last value both ends read the last one.
  if (virtual >= n - 1) below = above = n - 1;
  else if (virtual < 0) below = above = 0;
  const gamma = virtual - (virtual >= n - 1 ? -1 : below);
  const a = sorted[below];
  const b = sorted[above];
  const diff = float32Difference ? Math.fround(b - a) : b - a;
  return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
}

/** A sorted copy of `data` (NaN last, as numpy's sort). */
export function sortedCopy(data: Float32Array | Float64Array): Float32Array | Float64Array {
  const copy = data.slice();
  copy.sort();
  return copy;
}
