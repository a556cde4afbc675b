import type { Plane } from '../../image/types.js';
import { binCenter, binnedHistogram, type BinnedHistogram } from './histogram.js';
import { argmaxNumpy } from '../../image/numpy-float.js';
import { degenerateThreshold, thresholdValues } from './values.js';

export interface OtsuOptions {
  /** Bins of the histogram of a float image; integer images ignore it. @default 256 */
  nbins?: number;
}

/**
 * Otsu's threshold, exactly as `skimage.filters.threshold_otsu` (0.19.3): the histogram bin
 * centre that maximises the between-class variance. On an integer image the histogram has one
 * bin per value from the minimum to the maximum, so the threshold is an integer; on a float
 * image it is one of `nbins` float bin centres. Foreground is `pixel > threshold`.
 *
 * Non-finite pixels are ignored. A constant image gives its value, an image without a finite
 * pixel gives 0, a single-bin histogram its centre.
 */
export function thresholdOtsu(plane: Plane, options: OtsuOptions = {}): number {
  const input = thresholdValues(plane);
  const degenerate = degenerateThreshold(input);
  if (degenerate !== undefined) return degenerate;
  const hist = binnedHistogram(input, options.nbins ?? 256);
  if (hist.counts.length === 1) return binCenter(hist, 0);
  return binCenter(hist, otsuIndex(hist));
}

/** Index of the bin maximising `w1 · w2 · (μ1 − μ2)²`, with NumPy's float64 cumulative sums. */
function otsuIndex(hist: BinnedHistogram): number {
  const { counts } = hist;
  const n = counts.length;
  const variance = new Float64Array(n - 1);
  if (hist.kind === 'integer') {
    // Integer counts × integer centres: every partial sum is exact, so the class-2 sums are
    // the totals minus the class-1 sums, as NumPy's reversed cumsum gives them.
    let totalWeight = 0;
    let totalMoment = 0;
    for (let i = 0; i < n; i++) {
      totalWeight += counts[i];
      totalMoment += counts[i] * (hist.firstCenter + i);
    }
    let weight1 = 0;
    let moment1 = 0;
    for (let i = 0; i < n - 1; i++) {
      weight1 += counts[i];
      moment1 += counts[i] * (hist.firstCenter + i);
      const weight2 = totalWeight - weight1;
      const mean1 = moment1 / weight1;
      const mean2 = (totalMoment - moment1) / weight2;
      const d = mean1 - mean2;
      variance[i] = weight1 * weight2 * (d * d);
    }
    return argmaxNumpy(variance);
  }
  const { centers } = hist;
  // Float centres: the reversed cumulative sums round differently from the forward ones.
  const weight2 = new Float64Array(n);
  const moment2 = new Float64Array(n);
  let w = 0;
  let m = 0;
  for (let i = n - 1; i >= 0; i--) {
    w += counts[i];
    m += counts[i] * centers[i];
    weight2[i] = w;
    moment2[i] = m;
  }
  let weight1 = 0;
  let moment1 = 0;
  for (let i = 0; i < n - 1; i++) {
    weight1 += counts[i];
    moment1 += counts[i] * centers[i];
    const mean1 = moment1 / weight1;
    const mean2 = moment2[i + 1] / weight2[i + 1];
    const d = mean1 - mean2;
    variance[i] = weight1 * weight2[i + 1] * (d * d);
  }
  return argmaxNumpy(variance);
}
