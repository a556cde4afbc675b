import { InvalidArgumentError } from '../errors.js';
import type { SizeModel } from './size-model.js';

/** One training image for a size model: its style and its true median diameter. */
export interface SizeSample {
  /** The style vector `cellposeStyle` gives for the (rescaled) image. */
  style: ArrayLike<number>;
  /** The median equivalent-circle diameter of the image's labels, px, at the size it was run. */
  diameter: number;
}

export interface FitSizeModelOptions {
  /** The network's diam_mean (px). */
  diamMean: number;
  /** Ridge penalty λ in `(X Xᵀ + λI) A = X y`. @default 1 (Cellpose's) */
  l2Regularization?: number;
}

/**
 * Fits Cellpose's size model (`train.train_size`): ridge regression from the centred styles to
 * `y = log(diameter) − log(diamMean)`, `A = (X Xᵀ + λI)⁻¹ X (y − ymean)` with `X` the styles
 * minus their mean `smean`. A sample's diameter is its labels' median at the scale the style was
 * taken (Cellpose adds `log(scale)` to the unscaled image's; the same number).
 *
 * @throws InvalidArgumentError for no samples, styles of different lengths, or a diameter or
 *   diamMean that is not a positive number.
 */
export function fitSizeModel(
  samples: readonly SizeSample[],
  options: FitSizeModelOptions,
): SizeModel {
  const { diamMean, l2Regularization = 1 } = options;
  if (samples.length === 0)
    throw new InvalidArgumentError('a size model needs at least one sample');
  if (!(diamMean > 0)) throw new InvalidArgumentError(`diamMean must be positive, got ${diamMean}`);
  const length = samples[0].style.length;
  for (const { style, diameter } of samples) {
    if (style.length !== length) {
      throw new InvalidArgumentError(`styles differ in length: ${style.length} and ${length}`);
    }
    if (!(diameter > 0) || !Number.isFinite(diameter)) {
      throw new InvalidArgumentError(
        `a sample's diameter must be a positive number, got ${diameter}`,
      );
    }
  }
  const n = samples.length;
  const smean = new Float64Array(length);
  for (const { style } of samples) for (let j = 0; j < length; j++) smean[j] += style[j] / n;
  const y = samples.map(({ diameter }) => Math.log(diameter) - Math.log(diamMean));
  const ymean = y.reduce((a, b) => a + b, 0) / n;

  // Normal equations: G = X Xᵀ + λI (length × length), b = X (y − ymean).
  const gram = new Float64Array(length * length);
  const b = new Float64Array(length);
  const x = new Float64Array(length);
  samples.forEach(({ style }, i) => {
    for (let j = 0; j < length; j++) x[j] = style[j] - smean[j];
    for (let j = 0; j < length; j++) {
      b[j] += x[j] * (y[i] - ymean);
      for (let k = 0; k <= j; k++) gram[j * length + k] += x[j] * x[k];
    }
  });
  for (let j = 0; j < length; j++) gram[j * length + j] += l2Regularization;
  return { A: solveSymmetricPositive(gram, b, length), smean, ymean, diamMean };
}

/** Solves `G a = b` for a symmetric positive-definite G (lower triangle used), by Cholesky. */
function solveSymmetricPositive(gram: Float64Array, b: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    for (let k = 0; k <= j; k++) {
      let sum = gram[j * n + k];
      for (let m = 0; m < k; m++) sum -= l[j * n + m] * l[k * n + m];
      l[j * n + k] = j === k ? Math.sqrt(sum) : sum / l[k * n + k];
    }
  }
  const z = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let sum = b[j];
    for (let m = 0; m < j; m++) sum -= l[j * n + m] * z[m];
    z[j] = sum / l[j * n + j];
  }
  const a = new Float64Array(n);
  for (let j = n - 1; j >= 0; j--) {
    let sum = z[j];
    for (let m = j + 1; m < n; m++) sum -= l[m * n + j] * a[m];
    a[j] = sum / l[j * n + j];
  }
  return a;
}
