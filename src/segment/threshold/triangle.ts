import type { Plane } from '../../image/types.js';
import { binCenter, binnedHistogram } from './histogram.js';
import { degenerateThreshold, thresholdValues } from './values.js';

export interface TriangleOptions {
  /** Bins of the histogram of a float image; integer images ignore it. @default 256 */
  nbins?: number;
}

/**
 * The triangle threshold (Zack, Rogers & Latt 1977), exactly as
 * `skimage.filters.threshold_triangle` (0.19.3): on the longer side of the histogram peak, the
 * bin farthest below the line from the peak to the last non-empty bin. Foreground is
 * `pixel > threshold`.
 *
 * Non-finite pixels are ignored. A constant image gives its value (skimage raises for it), an
 * image without a finite pixel gives 0, a single-bin histogram its centre.
 */
export function thresholdTriangle(plane: Plane, options: TriangleOptions = {}): number {
  const input = thresholdValues(plane);
  const degenerate = degenerateThreshold(input);
  if (degenerate !== undefined) return degenerate;
  const hist = binnedHistogram(input, options.nbins ?? 256);
  const { counts } = hist;
  const n = counts.length;
  let peak = 0;
  for (let i = 1; i < n; i++) if (counts[i] > counts[peak]) peak = i;
  let low = 0;
  while (counts[low] === 0) low++;
  let high = n - 1;
  while (counts[high] === 0) high--;
  const peakHeight = counts[peak];
  // Work on the longer tail; flip the histogram so that it lies to the left of the peak.
  const flip = peak - low < high - peak;
  if (flip) {
    low = n - high - 1;
    peak = n - peak - 1;
  }
  const width = peak - low;
  if (width === 0) return binCenter(hist, peak);
  const norm = Math.sqrt(peakHeight * peakHeight + width * width);
  const heightNorm = peakHeight / norm;
  const widthNorm = width / norm;
  let best = 0;
  let bestLength = -Infinity;
  for (let x = 0; x < width; x++) {
    const bin = x + low;
    const y = counts[flip ? n - 1 - bin : bin];
    const length = heightNorm * x - widthNorm * y;
    if (length > bestLength) {
      bestLength = length;
      best = x;
    }
  }
  let level = best + low;
  if (flip) level = n - level - 1;
  return binCenter(hist, level);
}
