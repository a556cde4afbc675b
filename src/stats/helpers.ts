import { InvalidArgumentError } from '../errors.js';
import { pairwiseSum64 } from '../image/numpy-float.js';

/** Shared by the functions of `src/stats`; not exported from the package. */

/** The values that are not NaN, as float64, and how many NaN were left out. */
export function withoutNaN(values: ArrayLike<number>): { values: Float64Array; missing: number } {
  const kept = new Float64Array(values.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === v) kept[n++] = v;
  }
  return { values: n === kept.length ? kept : kept.slice(0, n), missing: values.length - n };
}

/** The (x, y) pairs in which neither value is NaN; throws if the lengths differ. */
export function completePairs(
  name: string,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
): { x: Float64Array; y: Float64Array; missing: number } {
  if (x.length !== y.length) {
    throw new InvalidArgumentError(
      `${name}: x and y must have the same length (got ${x.length} and ${y.length})`,
    );
  }
  const xs = new Float64Array(x.length);
  const ys = new Float64Array(y.length);
  let n = 0;
  for (let i = 0; i < x.length; i++) {
    const a = x[i];
    const b = y[i];
    if (a === a && b === b) {
      xs[n] = a;
      ys[n] = b;
      n++;
    }
  }
  return { x: xs.slice(0, n), y: ys.slice(0, n), missing: x.length - n };
}

/** Throws unless at least `needed` values remain after NaN were dropped. */
export function requireCount(
  name: string,
  what: string,
  n: number,
  needed: number,
  missing: number,
): void {
  if (n >= needed) return;
  const dropped = missing > 0 ? ` after dropping ${missing} with NaN` : '';
  throw new InvalidArgumentError(`${name} needs at least ${needed} ${what}; got ${n}${dropped}`);
}

/** `np.sum` of float64 values (NumPy's pairwise summation). */
export function sum(values: Float64Array): number {
  return pairwiseSum64(values, 0, values.length);
}

/** `np.mean` of float64 values. */
export function mean(values: Float64Array): number {
  return sum(values) / values.length;
}

/** `values − center`, elementwise. */
export function deviations(values: Float64Array, center: number): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i] - center;
  return out;
}

/** Σ aᵢ·bᵢ, summed pairwise. */
export function dot(a: Float64Array, b: Float64Array): number {
  const products = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) products[i] = a[i] * b[i];
  return sum(products);
}

/** `np.var(values, ddof)`: squared deviations from the mean, summed pairwise, / (n − ddof). */
export function variance(values: Float64Array, ddof: number): number {
  const d = deviations(values, mean(values));
  return dot(d, d) / (values.length - ddof);
}

/**
 * `scipy.stats.rankdata(values)` (method 'average'): ranks from 1, tied values share the mean of
 * their ranks. Also returns Σ(t³ − t) over the groups of t tied values (the tie correction term).
 */
export function averageRanks(values: Float64Array): { ranks: Float64Array; tieTerm: number } {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) =>
    values[i] < values[j] ? -1 : values[i] > values[j] ? 1 : 0,
  );
  const ranks = new Float64Array(n);
  let tieTerm = 0;
  let start = 0;
  while (start < n) {
    let end = start + 1;
    while (end < n && values[order[end]] === values[order[start]]) end++;
    const rank = (start + 1 + end) / 2; // mean of the ranks start+1 … end
    for (let k = start; k < end; k++) ranks[order[k]] = rank;
    const t = end - start;
    tieTerm += t * t * t - t;
    start = end;
  }
  return { ranks, tieTerm };
}

/** True when every value equals the first (`(x == x[0]).all()`). */
export function isConstant(values: Float64Array): boolean {
  for (let i = 1; i < values.length; i++) if (values[i] !== values[0]) return false;
  return true;
}

/** (ā − b̄)/pooled SD and the pooled degrees of freedom n1 + n2 − 2. */
export function pooledStandardizedDifference(
  name: string,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  minimumTotal: number,
): { d: number; df: number } {
  const first = withoutNaN(a).values;
  const second = withoutNaN(b).values;
  const n1 = first.length;
  const n2 = second.length;
  if (n1 < 1 || n2 < 1 || n1 + n2 < minimumTotal) {
    throw new InvalidArgumentError(
      `${name} needs at least one non-NaN value in each sample and ${minimumTotal} in all; got ${n1} and ${n2}`,
    );
  }
  const m1 = mean(first);
  const m2 = mean(second);
  const d1 = deviations(first, m1);
  const d2 = deviations(second, m2);
  const df = n1 + n2 - 2;
  const pooledSd = Math.sqrt((dot(d1, d1) + dot(d2, d2)) / df);
  return { d: (m1 - m2) / pooledSd, df };
}
