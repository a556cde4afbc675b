import {
  averageRanks,
  completePairs,
  deviations,
  dot,
  isConstant,
  mean,
  requireCount,
} from './helpers.js';
import { studentTTwoSided } from './special.js';

/** Spearman's rank correlation; see {@link spearman}. */
export interface SpearmanResult {
  /** Rank correlation coefficient, in [−1, 1]; NaN when x or y is constant. */
  rho: number;
  /** Two-sided p-value for the null hypothesis of no correlation. */
  p: number;
  /** Pairs used (those without NaN). */
  n: number;
}

/**
 * Spearman's rank correlation and its two-sided p-value, as `scipy.stats.spearmanr(x, y)`
 * (SciPy 1.10): the Pearson correlation of the ranks (tied values get the average of their ranks),
 * with p from Student's t distribution with n − 2 degrees of freedom, t = ρ·√((n − 2)/(1 − ρ²)).
 *
 * Pairs in which x or y is NaN are dropped (like `nan_policy='omit'`; SciPy's default would
 * return NaN). A constant x or y gives ρ = p = NaN, as in SciPy.
 *
 * @throws InvalidArgumentError when the lengths differ or fewer than 2 complete pairs remain.
 */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): SpearmanResult {
  const pairs = completePairs('spearman', x, y);
  const n = pairs.x.length;
  requireCount('spearman', 'complete (x, y) pairs', n, 2, pairs.missing);
  if (isConstant(pairs.x) || isConstant(pairs.y)) return { rho: NaN, p: NaN, n };
  const rx = averageRanks(pairs.x).ranks;
  const ry = averageRanks(pairs.y).ranks;
  // np.corrcoef: covariance matrix / (n − 1), then divided by each standard deviation in turn.
  const dx = deviations(rx, mean(rx));
  const dy = deviations(ry, mean(ry));
  const cxx = dot(dx, dx) / (n - 1);
  const cyy = dot(dy, dy) / (n - 1);
  const cxy = dot(dx, dy) / (n - 1);
  const rho = Math.max(-1, Math.min(1, cxy / Math.sqrt(cxx) / Math.sqrt(cyy)));
  const dof = n - 2;
  const t = rho * Math.sqrt(Math.max(dof / ((rho + 1) * (1 - rho)), 0));
  return { rho, p: studentTTwoSided(t, dof)[0], n };
}
