import { InvalidArgumentError } from '../errors.js';
import { nanCount, orderStatistics } from './order-statistics.js';
import type { PixelArray } from './types.js';

export interface NumpyPercentileOptions {
  /**
   * Round the difference of the two order statistics to float32, as NumPy does for float32
   * data. @default false
   */
  float32Difference?: boolean;
  /**
   * `'propagate'`: any NaN makes every percentile NaN (`numpy.percentile`); `'omit'`: NaN are
   * left out (`numpy.nanpercentile`). @default 'propagate'
   */
  nan?: 'propagate' | 'omit';
}

/**
 * NumPy 1.24 `percentile(x, q)` with the default 'linear' method, for each `q` in [0, 100]:
 * `v = (n − 1)·(q/100)` in float64, `d = b − a` of the order statistics around v, then `a + d·g`
 * below g = 0.5 and `b − d·(1 − g)` from 0.5 (NumPy's `_lerp`), with NumPy's `_get_indexes`
 * quirk at the top (g = v + 1 there). The order statistics come from counting or selection
 * ({@link orderStatistics}), never from sorting the data; the values are those of a sort.
 * NaN for an array with no (non-NaN) values.
 */
export function numpyPercentiles(
  data: PixelArray,
  qs: readonly number[],
  options: NumpyPercentileOptions = {},
): number[] {
  for (const q of qs) {
    if (!(q >= 0 && q <= 100)) {
      throw new InvalidArgumentError(`percentile must be between 0 and 100, got ${q}`);
    }
  }
  const nans = nanCount(data);
  const n = data.length - nans;
  if (n === 0 || (nans > 0 && (options.nan ?? 'propagate') === 'propagate')) {
    return qs.map(() => NaN);
  }
  const positions = qs.map((q) => {
    const virtual = (n - 1) * (q / 100);
    const top = virtual >= n - 1;
    const below = top ? n - 1 : Math.floor(virtual);
    return { below, above: top ? n - 1 : below + 1, gamma: virtual - (top ? -1 : below) };
  });
  const ranks = positions.flatMap(({ below, above }) => [below, above]);
  const values = orderStatistics(data, ranks, nans);
  return positions.map(({ gamma }, i) => {
    const a = values[2 * i];
    const b = values[2 * i + 1];
    const diff = options.float32Difference ? Math.fround(b - a) : b - a;
    return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
  });
}
