import { InvalidArgumentError } from '../../errors.js';
import type { Plane } from '../../image/types.js';
import { binnedHistogram } from './histogram.js';
import { numpyFloatMean, numpyLog32, numpyLog64 } from '../../image/numpy-float.js';
import { degenerateThreshold, thresholdValues, type ThresholdValues } from './values.js';

const F32 = Math.fround;

/** skimage's loop has no bound; this one stops here if the iteration ever cycles. */
const MAX_ITERATIONS = 10_000;

export interface LiOptions {
  /**
   * Stop when an iteration moves the threshold by no more than this.
   * @default 0.5 for integer images, half the smallest gap between two distinct pixel values
   * for float images (as skimage; 0 also means the default)
   */
  tolerance?: number;
  /**
   * Where the iteration starts, in image units, strictly between the image's minimum and
   * maximum. Li's method can stop in a local optimum when the histogram has several modes.
   * @default the image mean
   */
  initialGuess?: number;
}

/**
 * Li's minimum cross-entropy threshold, exactly as `skimage.filters.threshold_li` (0.19.3):
 * starting from the mean, iterate `t ← (μb − μf) / (ln μb − ln μf)` over the image shifted to
 * start at 0 until t moves by no more than the tolerance (Li & Tam 1998). Integer images iterate
 * on their histogram in float64; float32 images in float32, with NumPy's float32 mean and log.
 * The logarithm is NumPy's own (SVML on x86-64 AVX-512), not `Math.log`: the result depends on
 * its last bits. Foreground is `pixel > threshold`.
 *
 * Non-finite pixels are ignored (skimage ignores NaN too). A constant image gives its value, an
 * image without a finite pixel gives 0 (skimage: NaN).
 */
export function thresholdLi(plane: Plane, options: LiOptions = {}): number {
  const input = thresholdValues(plane);
  const degenerate = degenerateThreshold(input);
  if (degenerate !== undefined) return degenerate;
  const guess = options.initialGuess;
  if (guess !== undefined && !(guess > input.min && guess < input.max)) {
    throw new InvalidArgumentError(
      `initialGuess must lie strictly between the image minimum ${input.min} and maximum ${input.max}, got ${guess}`,
    );
  }
  const tolerance = options.tolerance;
  if (tolerance !== undefined && !(tolerance >= 0)) {
    throw new InvalidArgumentError(`tolerance must be a non-negative number, got ${tolerance}`);
  }
  return input.kind === 'integer'
    ? liInteger(input, tolerance || 0.5, guess)
    : liFloat(input, tolerance || undefined, guess);
}

/** The integer branch: class means from the histogram of the shifted image, all in float64. */
function liInteger(input: ThresholdValues, tolerance: number, guess: number | undefined): number {
  const { min } = input;
  const counts = binnedHistogram(input, 0).counts;
  const n = counts.length;
  let tNext = guess === undefined ? shiftedMean(counts) : guess - min;
  let tCurr = -2 * tolerance;
  for (let iteration = 0; Math.abs(tNext - tCurr) > tolerance; iteration++) {
    if (iteration === MAX_ITERATIONS) break;
    tCurr = tNext;
    // Background: bins whose (shifted) value is <= t; every partial sum is an exact integer.
    const split = Math.min(Math.floor(tCurr), n - 1);
    let backCount = 0;
    let backMoment = 0;
    let foreCount = 0;
    let foreMoment = 0;
    for (let i = 0; i < n; i++) {
      if (i <= split) {
        backCount += counts[i];
        backMoment += counts[i] * i;
      } else {
        foreCount += counts[i];
        foreMoment += counts[i] * i;
      }
    }
    if (backCount === 0 || foreCount === 0) break;
    const meanBack = backMoment / backCount;
    const meanFore = foreMoment / foreCount;
    tNext = (meanBack - meanFore) / (numpyLog64(meanBack) - numpyLog64(meanFore));
  }
  return tNext + min;
}

/** Mean of the image shifted to start at 0, from its histogram (exact sums, as NumPy's). */
function shiftedMean(counts: Uint32Array): number {
  let count = 0;
  let moment = 0;
  for (let i = 0; i < counts.length; i++) {
    count += counts[i];
    moment += counts[i] * i;
  }
  return moment / count;
}

/**
 * The float branch: class means of the shifted pixels with NumPy's `mean`, in the image's
 * precision. Like NumPy, a difference is float32 only when both thresholds are float32 (the
 * first comparison is against the float64 `-2 · tolerance`), and a float64 threshold is rounded
 * to float32 before a float32 image is compared with it.
 */
function liFloat(
  input: ThresholdValues,
  toleranceOption: number | undefined,
  guess: number | undefined,
): number {
  const { values, min } = input;
  const f32 = input.kind === 'float32';
  const n = values.length;
  const shifted = f32 ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) shifted[i] = values[i] - min;
  const tolerance = toleranceOption ?? smallestGap(shifted, f32) / 2;
  const log = f32 ? numpyLog32 : numpyLog64;
  const narrow = f32 ? F32 : (x: number): number => x;
  let tNext = guess === undefined ? numpyFloatMean(shifted, 0, n, f32) : guess - min;
  let nextIsF32 = f32 && guess === undefined;
  let tCurr = -2 * tolerance;
  let currIsF32 = false;
  const fore = f32 ? new Float32Array(n) : new Float64Array(n);
  const back = f32 ? new Float32Array(n) : new Float64Array(n);
  for (let iteration = 0; ; iteration++) {
    const difference = nextIsF32 && currIsF32 ? F32(tNext - tCurr) : tNext - tCurr;
    if (!(Math.abs(difference) > tolerance) || iteration === MAX_ITERATIONS) break;
    tCurr = tNext;
    currIsF32 = nextIsF32;
    const cut = f32 ? F32(tCurr) : tCurr;
    let nFore = 0;
    let nBack = 0;
    for (let i = 0; i < n; i++) {
      const v = shifted[i];
      if (v > cut) fore[nFore++] = v;
      else back[nBack++] = v;
    }
    if (nFore === 0 || nBack === 0) break;
    const meanFore = numpyFloatMean(fore, 0, nFore, f32);
    const meanBack = numpyFloatMean(back, 0, nBack, f32);
    tNext = narrow(narrow(meanBack - meanFore) / narrow(log(meanBack) - log(meanFore)));
    nextIsF32 = f32;
  }
  return nextIsF32 ? F32(tNext + min) : tNext + min;
}

/** `np.min(np.diff(np.unique(values)))`, the difference in the values' precision. */
function smallestGap(values: Float32Array | Float64Array, f32: boolean): number {
  const sorted = values.slice().sort();
  let gap = Infinity;
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] !== sorted[i - 1]) {
      const d = f32 ? F32(sorted[i] - sorted[i - 1]) : sorted[i] - sorted[i - 1];
      if (d < gap) gap = d;
    }
  }
  return gap;
}
