import { completePairs, deviations, dot, isConstant, mean, requireCount } from './helpers.js';
import { incompleteBetaPair } from './special.js';

/** Pearson's correlation; see {@link pearson}. */
export interface PearsonResult {
  /** Correlation coefficient, in [−1, 1]; NaN when x or y is constant. */
  r: number;
  /** Two-sided p-value for the null hypothesis of no correlation. */
  p: number;
  /** Pairs used (those without NaN). */
  n: number;
}

/**
 * Pearson's product-moment correlation and its two-sided p-value, as `scipy.stats.pearsonr(x, y)`
 * (SciPy 1.10): under the null hypothesis (independent normal samples) r follows a beta
 * distribution on [−1, 1] with a = b = n/2 − 1, and p = 2·P(R ≥ |r|) exactly (no t approximation).
 *
 * Pairs in which x or y is NaN are dropped (SciPy would return NaN). A constant x or y gives
 * r = p = NaN, as in SciPy; with n = 2, r = ±1 and p = 1.
 *
 * @throws InvalidArgumentError when the lengths differ or fewer than 2 complete pairs remain.
 */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): PearsonResult {
  const pairs = completePairs('pearson', x, y);
  const n = pairs.x.length;
  requireCount('pearson', 'complete (x, y) pairs', n, 2, pairs.missing);
  if (isConstant(pairs.x) || isConstant(pairs.y)) return { r: NaN, p: NaN, n };
  if (n === 2) {
    const r = Math.sign(pairs.x[1] - pairs.x[0]) * Math.sign(pairs.y[1] - pairs.y[0]);
    return { r, p: 1, n };
  }
  const xm = deviations(pairs.x, mean(pairs.x));
  const ym = deviations(pairs.y, mean(pairs.y));
  const xNorm = Math.sqrt(dot(xm, xm));
  const yNorm = Math.sqrt(dot(ym, ym));
  // SciPy normalizes each vector before the dot product (no overflow for huge values).
  for (let i = 0; i < n; i++) {
    xm[i] /= xNorm;
    ym[i] /= yNorm;
  }
  const r = Math.max(-1, Math.min(1, dot(xm, ym)));
  // P(R ≥ |r|) for R = 2B − 1, B ~ Beta(ab, ab): the upper tail of B at (|r| + 1)/2.
  const ab = n / 2 - 1;
  const b = (Math.abs(r) + 1) / 2;
  const p = 2 * incompleteBetaPair(ab, ab, 1 - b, b)[0];
  return { r, p, n };
}
