import { InvalidArgumentError } from '../errors.js';
import { dtypeOf } from './dtype.js';
import type { PixelArray, Plane } from './types.js';

type Pixels = Plane | PixelArray;

function dataOf(pixels: Pixels): PixelArray {
  return ArrayBuffer.isView(pixels) ? pixels : pixels.data;
}

/** Smallest and largest value, ignoring NaN; `[NaN, NaN]` when there is no number at all. */
export function minMax(pixels: Pixels): [number, number] {
  const data = dataOf(pixels);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min > max ? [NaN, NaN] : [min, max];
}

/** Mean in float64, ignoring NaN (as `numpy.nanmean`). */
export function mean(pixels: Pixels): number {
  const data = dataOf(pixels);
  let sum = 0;
  let count = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v === v) {
      sum += v;
      count++;
    }
  }
  return count === 0 ? NaN : sum / count;
}

export interface HistogramOptions {
  /** Number of equal-width bins. @default 256 */
  bins?: number;
  /** Lower and upper edge; values outside are not counted. @default the data's min and max */
  range?: [number, number];
}

export interface Histogram {
  counts: Float64Array;
  /** `bins + 1` edges; the last bin includes its right edge (as `numpy.histogram`). */
  edges: Float64Array;
}

/** Equal-width histogram with `numpy.histogram` semantics; NaN is skipped. */
export function histogram(pixels: Pixels, options: HistogramOptions = {}): Histogram {
  const data = dataOf(pixels);
  const bins = options.bins ?? 256;
  if (!Number.isInteger(bins) || bins < 1) {
    throw new InvalidArgumentError(`histogram bins must be a positive integer, got ${bins}`);
  }
  let [lo, hi] = options.range ?? minMax(data);
  if (!(lo <= hi)) {
    if (options.range) throw new InvalidArgumentError(`histogram range [${lo}, ${hi}] is empty`);
    lo = 0;
    hi = 1;
  }
  // numpy widens an empty range to ±0.5 so a constant image still has a bin.
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const counts = new Float64Array(bins);
  const edges = new Float64Array(bins + 1);
  for (let b = 0; b <= bins; b++) edges[b] = lo + ((hi - lo) * b) / bins;
  const scale = bins / (hi - lo);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!(v >= lo && v <= hi)) continue;
    let b = Math.floor((v - lo) * scale);
    if (b >= bins) b = bins - 1;
    // Rounding can put a value one bin off its edges; numpy corrects the same way.
    if (v < edges[b]) b--;
    else if (b + 1 < bins && v >= edges[b + 1]) b++;
    counts[b]++;
  }
  return { counts, edges };
}

/**
 * Percentiles with linear interpolation between order statistics (numpy's default method),
 * ignoring NaN (as `numpy.nanpercentile`). `q` is in [0, 100].
 */
export function percentile(pixels: Pixels, q: number): number;
export function percentile(pixels: Pixels, q: readonly number[]): number[];
export function percentile(pixels: Pixels, q: number | readonly number[]): number | number[] {
  const qs = typeof q === 'number' ? [q] : q;
  for (const value of qs) {
    if (!(value >= 0 && value <= 100)) {
      throw new InvalidArgumentError(`percentile must be between 0 and 100, got ${value}`);
    }
  }
  const sorted = sortedNumbers(dataOf(pixels));
  const result = qs.map((value) => interpolateSorted(sorted, value));
  return typeof q === 'number' ? result[0] : result;
}

function interpolateSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const position = (q / 100) * (n - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, n - 1);
  const fraction = position - below;
  const a = sorted[below];
  const b = sorted[above];
  // numpy's lerp: exact at the ends, and stable when a == b.
  return fraction >= 0.5 ? b - (b - a) * (1 - fraction) : a + (b - a) * fraction;
}

/** Sorted non-NaN values; 8/16-bit data is sorted by counting, which is exact and linear. */
function sortedNumbers(data: PixelArray): ArrayLike<number> {
  const dtype = dtypeOf(data);
  if (dtype === 'uint8' || dtype === 'uint16') {
    const counts = new Uint32Array(dtype === 'uint8' ? 256 : 65536);
    for (let i = 0; i < data.length; i++) counts[data[i]]++;
    const out = new Uint16Array(data.length);
    let k = 0;
    for (let v = 0; v < counts.length; v++) {
      const end = k + counts[v];
      if (end > k) out.fill(v, k, end);
      k = end;
    }
    return out;
  }
  const copy = Float64Array.from(data);
  copy.sort();
  // Float64Array.sort puts NaN last; drop them.
  let n = copy.length;
  while (n > 0 && copy[n - 1] !== copy[n - 1]) n--;
  return copy.subarray(0, n);
}
