import { numpyFloatMean, numpyFloatSum } from '../image/numpy-float.js';

/**
 * `np.mean`, `np.std` and `np.median` of one region's intensities, with NumPy 1.24's arithmetic:
 * float32 data stays float32 (pairwise summation, float32 accumulator); integer data is cast to
 * float64. Values come in raster order, as `intensity_image[regionmask]` gives them.
 *
 * Internal to the measure module.
 */

const F32 = Math.fround;

/**
 * `np.mean(values)`; with `sequential`, the per-channel mean of an (n, C) array along axis 0,
 * which NumPy adds row after row (no pairwise summation off the fast axis).
 */
export function numpyMean(
  values: Float32Array | Float64Array,
  n: number,
  float32: boolean,
  sequential = false,
): number {
  if (n === 0) return NaN;
  if (!sequential) return numpyFloatMean(values, 0, n, float32);
  let sum = 0;
  for (let i = 0; i < n; i++) sum = float32 ? F32(sum + values[i]) : sum + values[i];
  return float32 ? F32(sum / n) : sum / n;
}

/** `np.std(values)` (ddof 0): mean, squared deviations, their pairwise sum, / n, sqrt. */
export function numpyStd(
  values: Float32Array | Float64Array,
  n: number,
  float32: boolean,
  scratch: Float32Array | Float64Array,
): number {
  if (n === 0) return NaN;
  const mean = numpyFloatMean(values, 0, n, float32);
  if (float32) {
    for (let i = 0; i < n; i++) {
      const x = F32(values[i] - mean);
      scratch[i] = F32(x * x);
    }
    return F32(Math.sqrt(F32(numpyFloatSum(scratch, 0, n, true) / n)));
  }
  for (let i = 0; i < n; i++) {
    const x = values[i] - mean;
    scratch[i] = x * x;
  }
  return Math.sqrt(numpyFloatSum(scratch, 0, n, false) / n);
}

/**
 * `np.median(values)`: the middle value, or the mean of the middle two (in float32 for float32
 * data); NaN if any value is NaN. Reorders `values` (quickselect, as NumPy's partition).
 */
export function numpyMedian(
  values: Float32Array | Float64Array,
  n: number,
  float32: boolean,
): number {
  if (n === 0) return NaN;
  for (let i = 0; i < n; i++) if (values[i] !== values[i]) return NaN;
  const half = n >> 1;
  const upper = selectKth(values, half, n);
  if (n % 2) return upper;
  // After the selection everything left of `half` is ≤ values[half]: the lower middle is its max.
  let lower = values[0];
  for (let i = 1; i < half; i++) if (values[i] > lower) lower = values[i];
  return float32 ? F32(F32(lower + upper) / 2) : (lower + upper) / 2;
}

/** Reorders `a[0, n)` so that `a[k]` is the k-th smallest and nothing left of it is larger (Hoare). */
function selectKth(a: Float32Array | Float64Array, k: number, n: number): number {
  let lo = 0;
  let hi = n - 1;
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    // Median of three as the pivot, which also sorts a[lo] ≤ a[mid] ≤ a[hi].
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    const pivot = a[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

function swap(a: Float32Array | Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}
