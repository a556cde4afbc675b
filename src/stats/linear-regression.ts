import { InvalidArgumentError } from '../errors.js';
import { numpyFloatMean } from '../image/numpy-float.js';
import { completePairs, deviations, dot, isConstant, mean, requireCount } from './helpers.js';
import { studentTTwoSided } from './special.js';

/** Least-squares line y = intercept + slope·x; see {@link linearRegression}. */
export interface LinearRegressionResult {
  slope: number;
  intercept: number;
  /** Pearson correlation of x and y (0 when y is constant). */
  r: number;
  /** Two-sided p-value for slope = 0 (Student t, n − 2 degrees of freedom). */
  p: number;
  /** Standard error of the slope. */
  stderr: number;
  /** Standard error of the intercept. */
  interceptStderr: number;
  /** Pairs used (those without NaN). */
  n: number;
}

/** SciPy's guard against division by zero when |r| = 1. */
const TINY = 1e-20;

/**
 * Ordinary least-squares regression of y on x, as `scipy.stats.linregress(x, y)` (SciPy 1.10):
 * slope = sxy/sxx, r = sxy/√(sxx·syy), t = r·√((n − 2)/(1 − r²)) for the p-value,
 * stderr = √((1 − r²)·syy/sxx/(n − 2)), interceptStderr = stderr·√(sxx/n + x̄²).
 * With n = 2 the line is exact: p = 1 if y₀ = y₁ else 0, and both standard errors are 0.
 *
 * Pairs in which x or y is NaN are dropped (SciPy would return NaN).
 *
 * A `Float32Array` x or y is treated as SciPy treats a float32 array: the covariances are float64,
 * but the means that enter `intercept` and `interceptStderr` are NumPy's float32 means, which
 * moves those two by up to ~1e-7 relative. Pass float64 data for the
 * full precision.
 *
 * @throws InvalidArgumentError when the lengths differ, fewer than 2 complete pairs remain, or
 * all x are equal (no line can be fitted).
 */
export function linearRegression(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
): LinearRegressionResult {
  const pairs = completePairs('linearRegression', x, y);
  const n = pairs.x.length;
  requireCount('linearRegression', 'complete (x, y) pairs', n, 2, pairs.missing);
  if (isConstant(pairs.x)) {
    throw new InvalidArgumentError(
      'linearRegression: all x values are identical, so no line can be fitted',
    );
  }
  const xMean = mean(pairs.x);
  const yMean = mean(pairs.y);
  // np.cov(x, y, bias=1) (always float64): mean products of deviations.
  const dx = deviations(pairs.x, xMean);
  const dy = deviations(pairs.y, yMean);
  // linregress's own np.mean keeps float32 data in float32.
  const xFloat32 = x instanceof Float32Array;
  const yFloat32 = y instanceof Float32Array;
  const xMeanOut = xFloat32 ? numpyFloatMean(pairs.x, 0, n, true) : xMean;
  const yMeanOut = yFloat32 ? numpyFloatMean(pairs.y, 0, n, true) : yMean;
  const sxx = dot(dx, dx) / n;
  const sxy = dot(dx, dy) / n;
  const syy = dot(dy, dy) / n;
  const r = syy === 0 ? 0 : Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
  const slope = sxy / sxx;
  const intercept = yMeanOut - slope * xMeanOut;
  if (n === 2) {
    const p = pairs.y[0] === pairs.y[1] ? 1 : 0;
    return { slope, intercept, r, p, stderr: 0, interceptStderr: 0, n };
  }
  const df = n - 2;
  const t = r * Math.sqrt(df / ((1 - r + TINY) * (1 + r + TINY)));
  const p = studentTTwoSided(t, df)[0];
  const stderr = Math.sqrt(((1 - r * r) * syy) / sxx / df);
  const interceptStderr = stderr * Math.sqrt(sxx + xMeanOut * xMeanOut);
  return { slope, intercept, r, p, stderr, interceptStderr, n };
}
