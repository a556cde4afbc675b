import { InvalidArgumentError } from '../errors.js';
import { isConstant, requireCount, sum, withoutNaN } from './helpers.js';

/** Options of {@link gaussianKde}. */
export interface GaussianKdeOptions {
  /**
   * The bandwidth factor, which multiplies the sample standard deviation to give the kernel's:
   * `'scott'` = n^(−1/5), `'silverman'` = (3n/4)^(−1/5), or a number used as the factor itself
   * (SciPy's `bw_method`; seaborn's `bw_adjust` multiplies this factor).
   * @default 'scott'
   */
  bandwidth?: 'scott' | 'silverman' | number;
}

/** A fitted 1-D Gaussian kernel density estimate; see {@link gaussianKde}. */
export interface GaussianKde {
  /** The bandwidth factor (`gaussian_kde.factor`). */
  bandwidth: number;
  /** Kernel variance: sample variance (ddof 1) × factor² (`gaussian_kde.covariance`). */
  kernelVariance: number;
  /** Kernel standard deviation √kernelVariance, the `bw` seaborn's `kdeplot` extends its grid by. */
  kernelSd: number;
  /** Values the estimate is built from (NaN dropped). */
  n: number;
  /** The density at each point (`gaussian_kde.evaluate(points)`). */
  evaluate(points: ArrayLike<number>): Float64Array;
}

/**
 * A 1-D Gaussian kernel density estimate, as `scipy.stats.gaussian_kde(values, bw_method)`
 * (SciPy 1.10, unweighted): a normal kernel of standard deviation factor × sample SD (ddof 1) on
 * every value, each weighted 1/n. seaborn 0.12's `kdeplot(x)` draws this estimate on 200 points
 * from min − 3·kernelSd to max + 3·kernelSd.
 *
 * NaN values are dropped (SciPy would return NaN densities).
 *
 * @throws InvalidArgumentError with fewer than 2 values, when all values are equal (the kernel
 * would have zero width), or for a bandwidth that is not 'scott', 'silverman' or a positive number.
 */
export function gaussianKde(
  values: ArrayLike<number>,
  options: GaussianKdeOptions = {},
): GaussianKde {
  const { bandwidth = 'scott' } = options;
  const { values: data, missing } = withoutNaN(values);
  const n = data.length;
  requireCount('gaussianKde', 'non-NaN values', n, 2, missing);
  if (isConstant(data)) {
    throw new InvalidArgumentError(
      'gaussianKde: all values are identical, so the sample variance (and the kernel width) is 0',
    );
  }
  // SciPy's weights are ones(n)/n, and neff = 1/Σw² summed left to right (Python's sum).
  const w = 1 / n;
  let sumSquares = 0;
  for (let i = 0; i < n; i++) sumSquares += w * w;
  const neff = 1 / sumSquares;
  let factor: number;
  if (bandwidth === 'scott') factor = Math.pow(neff, -1 / 5);
  else if (bandwidth === 'silverman') factor = Math.pow((neff * 3) / 4, -1 / 5);
  else if (typeof bandwidth === 'number' && bandwidth > 0 && Number.isFinite(bandwidth))
    factor = bandwidth;
  else {
    throw new InvalidArgumentError(
      `gaussianKde: bandwidth must be 'scott', 'silverman' or a positive number (got ${String(bandwidth)})`,
    );
  }
  const dataVariance = weightedVariance(data, w);
  const kernelVariance = dataVariance * factor * factor;
  // The kernel SD SciPy evaluates with: Cholesky factor of the data covariance × factor.
  const h = Math.sqrt(dataVariance) * factor;
  const norm = Math.pow(2 * Math.PI, -0.5) / h;
  const scaled = new Float64Array(n);
  for (let i = 0; i < n; i++) scaled[i] = data[i] / h;

  function evaluate(points: ArrayLike<number>): Float64Array {
    const m = points.length;
    const at = new Float64Array(m);
    for (let j = 0; j < m; j++) at[j] = points[j] / h;
    const density = new Float64Array(m);
    // Data point outer, evaluation point inner, as SciPy's gaussian_kernel_estimate sums.
    for (let i = 0; i < n; i++) {
      const xi = scaled[i];
      for (let j = 0; j < m; j++) {
        const r = xi - at[j];
        density[j] += w * (Math.exp(-(r * r) / 2) * norm);
      }
    }
    return density;
  }

  return {
    bandwidth: factor,
    kernelVariance,
    kernelSd: Math.sqrt(kernelVariance),
    n,
    evaluate,
  };
}

/** `np.cov(data, aweights=w)` with all weights w (ddof 1), in NumPy's order of operations. */
function weightedVariance(data: Float64Array, w: number): number {
  const n = data.length;
  const weights = new Float64Array(n).fill(w);
  const v1 = sum(weights);
  const weighted = new Float64Array(n);
  for (let i = 0; i < n; i++) weighted[i] = data[i] * w;
  const average = sum(weighted) / v1;
  for (let i = 0; i < n; i++) weighted[i] = w * w;
  const fact = v1 - sum(weighted) / v1;
  for (let i = 0; i < n; i++) {
    const d = data[i] - average;
    weighted[i] = d * (d * w);
  }
  return sum(weighted) * (1 / fact);
}
