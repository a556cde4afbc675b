import { pooledStandardizedDifference } from './helpers.js';

/**
 * Cohen's d with the pooled standard deviation: (ā − b̄)/s, where
 * s² = ((n1 − 1)·s²a + (n2 − 1)·s²b)/(n1 + n2 − 2) with sample variances (ddof 1) (Cohen 1988,
 * eq. 2.5.2; SciPy has no function for it). Positive when `a` has the larger mean; ±∞ or NaN
 * when both samples are constant.
 *
 * NaN values are dropped from each sample.
 *
 * @throws InvalidArgumentError when a sample is empty or n1 + n2 < 3.
 */
export function cohensD(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return pooledStandardizedDifference('cohensD', a, b, 3).d;
}
