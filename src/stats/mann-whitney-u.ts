import { InvalidArgumentError } from '../errors.js';
import { averageRanks, requireCount, withoutNaN } from './helpers.js';
import { normalSf } from './special.js';

/** Which alternative hypothesis a p-value is for (as SciPy's `alternative`). */
export type Alternative = 'two-sided' | 'less' | 'greater';

/** Options of {@link mannWhitneyU}. */
export interface MannWhitneyUOptions {
  /**
   * 'greater': values of `a` tend to be larger than those of `b`; 'less': smaller.
   * @default 'two-sided'
   */
  alternative?: Alternative;
  /**
   * 'exact' (the permutation distribution of U; needs samples without ties), 'asymptotic'
   * (normal approximation with tie and continuity corrections), or 'auto' as SciPy 1.10 chooses:
   * exact when n1 ≤ 8 or n2 ≤ 8 and no value is tied, asymptotic otherwise.
   * @default 'auto'
   */
  method?: 'auto' | 'exact' | 'asymptotic';
}

/** Result of {@link mannWhitneyU}. */
export interface MannWhitneyUResult {
  /** U of `a`: the number of (a, b) pairs with a > b, ties counted ½ (SciPy's `statistic`). */
  u: number;
  p: number;
  n1: number;
  n2: number;
  /** How p was computed. */
  method: 'exact' | 'asymptotic';
}

/**
 * The Mann–Whitney U (Wilcoxon rank-sum) test, as `scipy.stats.mannwhitneyu(a, b)` with SciPy
 * 1.10's defaults (`use_continuity=True`, `method='auto'`). Note that 'auto' picks the exact
 * distribution when either sample has at most 8 values (and nothing is tied), not only when both
 * do. The asymptotic p uses the tie-corrected variance n1·n2/12·(n + 1 − Σ(t³ − t)/(n(n − 1))) and
 * subtracts ½ from |U − n1·n2/2|; p is clipped to 1.
 *
 * NaN values are dropped from each sample (like `nan_policy='omit'`).
 *
 * @throws InvalidArgumentError when a sample is empty, or `method: 'exact'` is asked for tied data.
 */
export function mannWhitneyU(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: MannWhitneyUOptions = {},
): MannWhitneyUResult {
  const { alternative = 'two-sided', method = 'auto' } = options;
  const first = withoutNaN(a);
  const second = withoutNaN(b);
  const n1 = first.values.length;
  const n2 = second.values.length;
  requireCount('mannWhitneyU', 'non-NaN value in a', n1, 1, first.missing);
  requireCount('mannWhitneyU', 'non-NaN value in b', n2, 1, second.missing);
  const all = new Float64Array(n1 + n2);
  all.set(first.values);
  all.set(second.values, n1);
  const { ranks, tieTerm } = averageRanks(all);
  let rankSum = 0;
  for (let i = 0; i < n1; i++) rankSum += ranks[i];
  const u1 = rankSum - (n1 * (n1 + 1)) / 2;
  const u2 = n1 * n2 - u1;
  let used: 'exact' | 'asymptotic';
  if (method === 'auto') used = (n1 > 8 && n2 > 8) || tieTerm > 0 ? 'asymptotic' : 'exact';
  else if (method === 'exact' || method === 'asymptotic') used = method;
  else throw new InvalidArgumentError(`mannWhitneyU: unknown method ${String(method)}`);
  if (used === 'exact' && tieTerm > 0) {
    throw new InvalidArgumentError(
      "mannWhitneyU: the exact distribution assumes no ties; use method 'asymptotic'",
      { hint: 'tied values are present' },
    );
  }
  let u: number;
  let factor = 1;
  if (alternative === 'greater') u = u1;
  else if (alternative === 'less') u = u2;
  else if (alternative === 'two-sided') {
    u = Math.max(u1, u2);
    factor = 2;
  } else {
    throw new InvalidArgumentError(
      `mannWhitneyU: alternative must be 'two-sided', 'less' or 'greater' (got ${String(alternative)})`,
    );
  }
  let p: number;
  if (used === 'exact') {
    p = exactUpperTail(u, n1, n2);
  } else {
    const n = n1 + n2;
    const sd = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
    p = normalSf((u - (n1 * n2) / 2 - 0.5) / sd);
  }
  p = Math.min(1, Math.max(0, p * factor));
  return { u: u1, p, n1, n2, method: used };
}

/**
 * P(U ≥ u) under the null hypothesis, for integer u, as P(U ≤ n1·n2 − u) (U is symmetric). The
 * number of rank arrangements giving each U are the coefficients of the Gaussian binomial
 * [n1 + n2 choose m]_q, built as Π (1 − q^(n+i))/(1 − q^i), i = 1…m, with m = min(n1, n2).
 */
function exactUpperTail(u: number, n1: number, n2: number): number {
  const m = Math.min(n1, n2);
  const n = Math.max(n1, n2);
  const counts = new Float64Array(m * n + m + 1);
  counts[0] = 1;
  let degree = 0;
  for (let i = 1; i <= m; i++) {
    const shift = n + i;
    for (let k = degree + shift; k >= shift; k--) counts[k] -= counts[k - shift];
    degree += shift;
    for (let k = i; k <= degree; k++) counts[k] += counts[k - i];
    degree -= i;
  }
  let total = 0;
  for (let k = 0; k <= degree; k++) total += counts[k];
  const limit = Math.round(m * n - u);
  let below = 0;
  for (let k = 0; k <= limit; k++) below += counts[k];
  return below / total;
}
