import type { Plane } from '../../image/types.js';
import { numpyFloatMean } from '../../image/numpy-float.js';
import { thresholdValues, type ThresholdValues } from './values.js';

/**
 * The mean pixel value, exactly as `skimage.filters.threshold_mean` (0.19.3, `np.mean`):
 * integer images give the float64 mean; float32 images NumPy's float32 mean (pairwise sum in
 * float32), which for a constant image can differ from the value in the last bit (twenty pixels
 * of 0.3f give 0.30000004, as in skimage). Foreground is `pixel > threshold`.
 *
 * Non-finite pixels are ignored (skimage returns NaN or ±Infinity); an image without a finite
 * pixel gives 0.
 */
export function thresholdMean(plane: Plane): number {
  return meanOf(thresholdValues(plane));
}

/** `np.mean` of the finite values. Internal to the threshold module. */
export function meanOf(input: ThresholdValues): number {
  const { values, kind } = input;
  const n = values.length;
  if (n === 0) return 0;
  if (kind === 'integer') {
    // NumPy sums integers in float64; below 2^53 every partial sum is exact, in any order.
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[i];
    return sum / n;
  }
  return numpyFloatMean(values, 0, n, kind === 'float32');
}
