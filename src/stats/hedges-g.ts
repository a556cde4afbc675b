import { pooledStandardizedDifference } from './helpers.js';
import { logBeta, logGamma } from './special.js';

/**
 * Hedges' g: Cohen's d (pooled SD, see {@link cohensD}) times the exact small-sample correction
 * J(ν) = Γ(ν/2)/(√(ν/2)·Γ((ν − 1)/2)) with ν = n1 + n2 − 2 (Hedges 1981, eq. 6c), which makes it
 * an unbiased estimate of the population effect size. The common approximation
 * J ≈ 1 − 3/(4ν − 1) (e.g. pingouin) differs by less than 1e-4 relative for ν ≥ 10.
 *
 * NaN values are dropped from each sample.
 *
 * @throws InvalidArgumentError when a sample is empty or n1 + n2 < 4.
 */
export function hedgesG(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const { d, df } = pooledStandardizedDifference('hedgesG', a, b, 4);
  // Γ(ν/2)/Γ((ν−1)/2) = Γ(½)/B((ν−1)/2, ½), which stays accurate for large ν.
  const j = Math.exp(logGamma(0.5) - logBeta((df - 1) / 2, 0.5)) / Math.sqrt(df / 2);
  return d * j;
}
