import { InvalidArgumentError } from '../../errors.js';
import type { Plane } from '../../image/types.js';
import { thresholdIsodata } from './isodata.js';
import { thresholdLi, type LiOptions } from './li.js';
import { thresholdMean } from './mean.js';
import { thresholdOtsu } from './otsu.js';
import { thresholdTriangle } from './triangle.js';
import { thresholdYen } from './yen.js';

/** The global threshold methods, by their scikit-image names. */
export const THRESHOLD_METHODS = ['otsu', 'li', 'triangle', 'yen', 'mean', 'isodata'] as const;
export type ThresholdMethod = (typeof THRESHOLD_METHODS)[number];

/** Compute the threshold from the image with one of the global methods. */
export interface AutomaticThresholdOptions extends LiOptions {
  method: ThresholdMethod;
  /** Bins of the histogram of a float image (otsu, triangle, yen, isodata). @default 256 */
  nbins?: number;
}

/** Use a threshold chosen by the caller, in the image's units. */
export interface FixedThresholdOptions {
  value: number;
}

export type ThresholdOptions = AutomaticThresholdOptions | FixedThresholdOptions;

/**
 * The global threshold of a plane: computed by `method` (exactly scikit-image 0.19.3's value,
 * see {@link thresholdOtsu} and the others) or the fixed `value`. Foreground is
 * `pixel > threshold`, as in skimage. `tolerance` and `initialGuess` apply to Li only.
 */
export function threshold(plane: Plane, options: ThresholdOptions): number {
  if ('value' in options) {
    if (!Number.isFinite(options.value)) {
      throw new InvalidArgumentError(
        `a fixed threshold must be a finite number, got ${options.value}`,
      );
    }
    return options.value;
  }
  const { method, nbins } = options;
  switch (method) {
    case 'otsu':
      return thresholdOtsu(plane, { nbins });
    case 'li':
      return thresholdLi(plane, {
        tolerance: options.tolerance,
        initialGuess: options.initialGuess,
      });
    case 'triangle':
      return thresholdTriangle(plane, { nbins });
    case 'yen':
      return thresholdYen(plane, { nbins });
    case 'mean':
      return thresholdMean(plane);
    case 'isodata':
      return thresholdIsodata(plane, { nbins });
    default:
      throw new InvalidArgumentError(
        `unknown threshold method ${String(method)}; expected one of ${THRESHOLD_METHODS.join(', ')}`,
      );
  }
}
