import type { Mask, Plane } from '../../image/types.js';
import { checkSampling, euclideanFeatureTransform, maskBytes } from './feature-transform.js';

export interface SquaredDistanceTransformOptions {
  /**
   * Pixel spacing `[rowSpacing, colSpacing]`; distances are squared in those units.
   * @default [1, 1]
   */
  sampling?: readonly [number, number];
}

/**
 * Squared Euclidean distance of every foreground (non-zero) pixel to the nearest background
 * pixel: {@link distanceTransform} without the square root, so comparisons against a radius
 * (`d² ≤ r²`) stay in exact integers when the sampling is 1. Without any zero pixel, measures to
 * SciPy's phantom pixel (row -1, col 0), as {@link distanceTransform} does.
 */
export function squaredDistanceTransform(
  mask: Mask | Plane,
  options: SquaredDistanceTransformOptions = {},
): Plane<Float64Array> {
  const bytes = maskBytes(mask);
  const sampling = checkSampling(options.sampling);
  const { width, height } = mask;
  const data = new Float64Array(width * height);
  euclideanFeatureTransform(bytes, width, height, sampling, { squared: data });
  return { width, height, data };
}
