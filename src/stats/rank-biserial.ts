import { mannWhitneyU } from './mann-whitney-u.js';

/**
 * The rank-biserial correlation of two samples, from the Mann–Whitney U of `a` (see
 * {@link mannWhitneyU}, `scipy.stats.mannwhitneyu(a, b).statistic`): r = 2U/(n1·n2) − 1, which is
 * P(a > b) − P(a < b) over all (a, b) pairs (Kerby 2014, "simple difference formula"; the same
 * number as Cliff's δ). +1 when every value of `a` exceeds every value of `b`, −1 for the reverse,
 * 0 for identical samples.
 *
 * NaN values are dropped from each sample.
 *
 * @throws InvalidArgumentError when a sample is empty.
 */
export function rankBiserial(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const { u, n1, n2 } = mannWhitneyU(a, b, { method: 'asymptotic' });
  return (2 * u) / (n1 * n2) - 1;
}
