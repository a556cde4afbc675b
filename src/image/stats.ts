import { InvalidArgumentError } from '../errors.js';
import { numpyPercentiles } from './numpy-percentile.js';
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
 * ignoring NaN (as `numpy.nanpercentile`). `q` is in [0, 100]. Counts 8/16-bit pixels and
 * selects the others ({@link numpyPercentiles}): the image is never sorted.
 */
export function percentile(pixels: Pixels, q: number): number;
export function percentile(pixels: Pixels, q: readonly number[]): number[];
export function percentile(pixels: Pixels, q: number | readonly number[]): number | number[] {
  const result = numpyPercentiles(dataOf(pixels), typeof q === 'number' ? [q] : q, { nan: 'omit' });
  return typeof q === 'number' ? result[0] : result;
}
