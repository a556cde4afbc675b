import type { Plane } from '../../image/types.js';
import { binCenter, binnedHistogram } from './histogram.js';
import { argmaxNumpy, numpyLog32 } from '../../image/numpy-float.js';
import { degenerateThreshold, thresholdValues } from './values.js';

const F32 = Math.fround;

export interface YenOptions {
  /** Bins of the histogram of a float image; integer images ignore it. @default 256 */
  nbins?: number;
}

/**
 * Yen's threshold, exactly as `skimage.filters.threshold_yen` (0.19.3): the bin centre that
 * maximises `log((P1 (1 − P1))² / (ΣP1² · ΣP2²))` (Yen, Chang & Chang 1995). skimage works
 * in float32 here (probabilities, cumulative sums and NumPy's float32 `log`), and so does this.
 * Foreground is `pixel > threshold`.
 *
 * Non-finite pixels are ignored. A constant image gives its value (skimage answers v − 0.498 for
 * a constant float image, an artefact of 0/0 in its criterion), an image without a finite pixel
 * gives 0, a single-bin histogram its centre.
 */
export function thresholdYen(plane: Plane, options: YenOptions = {}): number {
  const input = thresholdValues(plane);
  const degenerate = degenerateThreshold(input);
  if (degenerate !== undefined) return degenerate;
  const hist = binnedHistogram(input, options.nbins ?? 256);
  const { counts } = hist;
  const n = counts.length;
  if (n === 1) return binCenter(hist, 0);
  let total = 0;
  for (let i = 0; i < n; i++) total += counts[i];
  const totalF32 = F32(total);
  const pmf = new Float32Array(n);
  for (let i = 0; i < n; i++) pmf[i] = F32(counts[i]) / totalF32;
  // Sum of squared probabilities above each bin, accumulated from the top as np.cumsum does.
  const upperSquares = new Float32Array(n);
  let acc = 0;
  for (let i = n - 1; i >= 0; i--) {
    acc = F32(acc + F32(pmf[i] * pmf[i]));
    upperSquares[i] = acc;
  }
  const crit = new Float32Array(n - 1);
  let p1 = 0;
  let p1Squares = 0;
  for (let i = 0; i < n - 1; i++) {
    p1 = F32(p1 + pmf[i]);
    p1Squares = F32(p1Squares + F32(pmf[i] * pmf[i]));
    const inverse = F32(1 / F32(p1Squares * upperSquares[i + 1]));
    const spread = F32(p1 * F32(1 - p1));
    crit[i] = numpyLog32(F32(inverse * F32(spread * spread)));
  }
  return binCenter(hist, argmaxNumpy(crit));
}
