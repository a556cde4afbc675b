import { InvalidArgumentError } from '../errors.js';
import { completePairs, deviations, dot, isConstant, mean, requireCount } from './helpers.js';
import { studentTQuantile } from './special.js';

/** Options of {@link regressionBand}. */
export interface RegressionBandOptions {
  /** x positions of the band. @default 100 evenly spaced points from min(x) to max(x) */
  at?: ArrayLike<number>;
  /** Confidence level of the band, in (0, 1). @default 0.95 */
  level?: number;
}

/** A fitted line with its confidence band; see {@link regressionBand}. */
export interface RegressionBand {
  x: Float64Array;
  /** Fitted mean intercept + slope·x. */
  y: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
}

/**
 * The least-squares line (`scipy.stats.linregress`) and the pointwise confidence band of its
 * mean: ŷ(x₀) ± t_{(1+level)/2, n−2} · s · √(1/n + (x₀ − x̄)²/Σ(x − x̄)²), s² = Σ residual²/(n − 2).
 * This is the band seaborn's `regplot` shades, computed analytically: seaborn (0.12) estimates it
 * by bootstrapping the fit 1000 times and taking percentiles, so its band is a noisy version of
 * this one. The default `at` is seaborn's grid (`np.linspace(x.min(), x.max(), 100)`).
 *
 * Pairs in which x or y is NaN are dropped.
 *
 * @throws InvalidArgumentError when the lengths differ, fewer than 3 complete pairs remain, all x
 * are equal, or the level is not in (0, 1).
 */
export function regressionBand(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  options: RegressionBandOptions = {},
): RegressionBand {
  const { level = 0.95 } = options;
  if (!(level > 0 && level < 1)) {
    throw new InvalidArgumentError(`regressionBand: level must be in (0, 1) (got ${level})`);
  }
  const pairs = completePairs('regressionBand', x, y);
  const n = pairs.x.length;
  requireCount('regressionBand', 'complete (x, y) pairs', n, 3, pairs.missing);
  if (isConstant(pairs.x)) {
    throw new InvalidArgumentError(
      'regressionBand: all x values are identical, so no line can be fitted',
    );
  }
  const xMean = mean(pairs.x);
  const yMean = mean(pairs.y);
  const dx = deviations(pairs.x, xMean);
  const dy = deviations(pairs.y, yMean);
  const sxx = dot(dx, dx);
  const slope = dot(dx, dy) / sxx;
  const intercept = yMean - slope * xMean;
  const residuals = new Float64Array(n);
  for (let i = 0; i < n; i++) residuals[i] = pairs.y[i] - (intercept + slope * pairs.x[i]);
  const s = Math.sqrt(dot(residuals, residuals) / (n - 2));
  const tq = studentTQuantile((1 + level) / 2, n - 2);

  const at = Float64Array.from(options.at ?? linspace(pairs.x, 100));
  const fitted = new Float64Array(at.length);
  const lower = new Float64Array(at.length);
  const upper = new Float64Array(at.length);
  for (let i = 0; i < at.length; i++) {
    const x0 = at[i];
    fitted[i] = intercept + slope * x0;
    const half = tq * s * Math.sqrt(1 / n + (x0 - xMean) ** 2 / sxx);
    lower[i] = fitted[i] - half;
    upper[i] = fitted[i] + half;
  }
  return { x: at, y: fitted, lower, upper };
}

/** `np.linspace(min, max, count)` over the values' range. */
function linspace(values: Float64Array, count: number): Float64Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const step = (hi - lo) / (count - 1);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = i * step + lo;
  out[count - 1] = hi;
  return out;
}
