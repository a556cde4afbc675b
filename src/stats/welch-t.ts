import { InvalidArgumentError } from '../errors.js';
import { deviations, dot, mean, requireCount, withoutNaN } from './helpers.js';
import type { Alternative } from './mann-whitney-u.js';
import { studentTCdf, studentTTwoSided } from './special.js';

/** Options of {@link welchT}. */
export interface WelchTOptions {
  /**
   * 'greater': the mean of `a` is larger than that of `b`; 'less': smaller.
   * @default 'two-sided'
   */
  alternative?: Alternative;
}

/** Result of {@link welchT}. */
export interface WelchTResult {
  /** (mean a − mean b)/√(s²a/n1 + s²b/n2). */
  t: number;
  /** Welch–Satterthwaite degrees of freedom. */
  df: number;
  p: number;
  n1: number;
  n2: number;
}

/**
 * Welch's unequal-variances t-test, as `scipy.stats.ttest_ind(a, b, equal_var=False)` (SciPy
 * 1.10): t = (ā − b̄)/√(va/n1 + vb/n2) with sample variances (ddof 1), and the
 * Welch–Satterthwaite df = (va/n1 + vb/n2)² / ((va/n1)²/(n1 − 1) + (vb/n2)²/(n2 − 1)).
 * When both variances are 0 SciPy's conventions hold: df = 1 and t = ±∞ (p = 0) or NaN.
 *
 * NaN values are dropped from each sample (like `nan_policy='omit'`).
 *
 * @throws InvalidArgumentError when a sample has fewer than 2 values.
 */
export function welchT(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: WelchTOptions = {},
): WelchTResult {
  const { alternative = 'two-sided' } = options;
  const first = withoutNaN(a);
  const second = withoutNaN(b);
  const n1 = first.values.length;
  const n2 = second.values.length;
  requireCount('welchT', 'non-NaN values in a', n1, 2, first.missing);
  requireCount('welchT', 'non-NaN values in b', n2, 2, second.missing);
  const [m1, v1] = meanAndVariance(first.values);
  const [m2, v2] = meanAndVariance(second.values);
  const vn1 = v1 / n1;
  const vn2 = v2 / n2;
  let df = (vn1 + vn2) ** 2 / (vn1 ** 2 / (n1 - 1) + vn2 ** 2 / (n2 - 1));
  if (Number.isNaN(df)) df = 1;
  const t = (m1 - m2) / Math.sqrt(vn1 + vn2);
  let p: number;
  if (alternative === 'two-sided') p = studentTTwoSided(t, df)[0];
  else if (alternative === 'less') p = studentTCdf(t, df);
  else if (alternative === 'greater') p = studentTCdf(-t, df);
  else {
    throw new InvalidArgumentError(
      `welchT: alternative must be 'two-sided', 'less' or 'greater' (got ${String(alternative)})`,
    );
  }
  return { t, df, p, n1, n2 };
}

/** Mean and sample variance (ddof 1) as SciPy's `_var`: mean squared deviation × n/(n − 1). */
function meanAndVariance(values: Float64Array): [number, number] {
  const n = values.length;
  const m = mean(values);
  const d = deviations(values, m);
  return [m, (dot(d, d) / n) * (n / (n - 1))];
}
