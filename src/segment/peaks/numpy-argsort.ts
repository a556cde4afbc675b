/**
 * NumPy's default `argsort` (`kind='quicksort'`), reproduced index for index.
 *
 * `np.argsort` is not stable: the order it gives equal values is whatever its introsort leaves
 * behind, and scikit-image's peak selection depends on that order. This is a re-implementation of
 * the algorithm of NumPy 1.24 (`aquicksort_` in `numpy/core/src/npysort/quicksort.cpp`, with
 * `aheapsort_` from `npysort_heapsort.h`), so that equal values come out in the same order as
 * there:
 *
 * - partitions of more than 16 elements are split around the median of their first, middle and
 *   last element; the scan from each side stops at elements equal to the pivot (so runs of ties
 *   are spread over both sides), the larger side is put aside and the smaller one split further;
 * - partitions of at most 16 elements are finished by insertion sort (stable within them);
 * - a partition put aside after more than 2·⌊log₂ n⌋ splits is heapsorted instead.
 *
 * In NumPy 1.24 every CPU runs this code for `argsort`, AVX-512 or not: the AVX-512 sort
 * (x86-simd-sort) that 1.24 dispatches to serves `np.sort` of 32-bit int/uint/float only (checked
 * against Debian's NumPy 1.24.2 on an AVX-512 CPU: identical indices, heapsort fallbacks
 * included). Later versions send `argsort` of 32- and 64-bit types to x86-simd-sort instead on
 * AVX-512 CPUs (1.25 on) and on AVX2 ones too (2.0 on), and order ties differently there; this
 * module follows 1.24, i.e. the scalar introsort those versions keep for every other case.
 *
 * Values compare as NumPy compares floats (`DOUBLE_LT`): `a < b`, or `b` is NaN and `a` is not,
 * so NaNs sort last; `-0` equals `0`. Integer values (exact in float64) compare as NumPy compares
 * integers, so the order is also NumPy's for integer dtypes once the values are the ones NumPy
 * sees (e.g. `-x` wrapped around in an unsigned dtype).
 */

/** Partitions of at most this many + 1 elements are insertion-sorted (NumPy's `SMALL_QUICKSORT`). */
const SMALL_QUICKSORT = 15;

/**
 * `np.argsort(values)` (default `kind='quicksort'`) of NumPy 1.24: the indices that sort `values`
 * ascending, equal values in the order NumPy's introsort leaves them. O(n log n).
 */
export function numpyArgsort(values: ArrayLike<number>): Uint32Array {
  const n = values.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  numpyArgsortInto(values, order);
  return order;
}

/**
 * Reorders `order` (indices into `values`, normally `0…n-1` as NumPy starts from) by NumPy 1.24's
 * `aquicksort`, in place. Returns how many partitions fell back to heapsort (0 unless the input
 * defeats the median-of-3 pivot).
 */
export function numpyArgsortInto(values: ArrayLike<number>, order: Uint32Array): number {
  const n = order.length;
  if (n < 2) return 0;
  // keys travel with their indices (key[p] = values[order[p]]): the same comparisons and moves
  // as NumPy's, without reading `values` at random
  const key = new Float64Array(n);
  for (let p = 0; p < n; p++) key[p] = values[order[p]];
  return introsort(key, order, n);
}

/** NumPy's `DOUBLE_LT`: NaN is larger than everything but NaN. */
function less(a: number, b: number): boolean {
  return a < b || (b !== b && a === a);
}

/** Index of the highest set bit (NumPy's `npy_get_msb`), for n ≥ 1. */
function msb(n: number): number {
  let bits = 0;
  while (n > 1) {
    n = Math.floor(n / 2);
    bits++;
  }
  return bits;
}

function introsort(key: Float64Array, order: Uint32Array, n: number): number {
  // pending partitions [lo, hi] and the depth budget each is taken up with
  const pendingLo: number[] = [];
  const pendingHi: number[] = [];
  const pendingDepth: number[] = [];
  let lo = 0;
  let hi = n - 1;
  let depth = 2 * msb(n);
  let heapsorted = 0;
  for (;;) {
    if (depth < 0) {
      heapsort(key, order, lo, hi - lo + 1);
      heapsorted++;
    } else {
      while (hi - lo > SMALL_QUICKSORT) {
        const p = partition(key, order, lo, hi);
        // put the larger side aside, go on with the smaller
        if (p - lo < hi - p) {
          pendingLo.push(p + 1);
          pendingHi.push(hi);
          hi = p - 1;
        } else {
          pendingLo.push(lo);
          pendingHi.push(p - 1);
          lo = p + 1;
        }
        pendingDepth.push(--depth);
      }
      insertionSort(key, order, lo, hi);
    }
    if (pendingLo.length === 0) return heapsorted;
    lo = pendingLo.pop() as number;
    hi = pendingHi.pop() as number;
    depth = pendingDepth.pop() as number;
  }
}

function swap(key: Float64Array, order: Uint32Array, i: number, j: number): void {
  const k = key[i];
  key[i] = key[j];
  key[j] = k;
  const o = order[i];
  order[i] = order[j];
  order[j] = o;
}

/**
 * One quicksort split of `[lo, hi]` (more than 16 elements): sorts first, middle and last
 * element, parks the median at `hi - 1`, scans inwards from both ends stopping at elements not
 * strictly on their side of it, and returns where the pivot lands.
 */
function partition(key: Float64Array, order: Uint32Array, lo: number, hi: number): number {
  const mid = lo + ((hi - lo) >> 1);
  if (less(key[mid], key[lo])) swap(key, order, mid, lo);
  if (less(key[hi], key[mid])) swap(key, order, hi, mid);
  if (less(key[mid], key[lo])) swap(key, order, mid, lo);
  const pivot = key[mid];
  let i = lo;
  let j = hi - 1;
  swap(key, order, mid, j);
  for (;;) {
    do i++;
    while (less(key[i], pivot));
    do j--;
    while (less(pivot, key[j]));
    if (i >= j) break;
    swap(key, order, i, j);
  }
  swap(key, order, i, hi - 1);
  return i;
}

function insertionSort(key: Float64Array, order: Uint32Array, lo: number, hi: number): void {
  for (let i = lo + 1; i <= hi; i++) {
    const k = key[i];
    const o = order[i];
    let j = i;
    while (j > lo && less(k, key[j - 1])) {
      key[j] = key[j - 1];
      order[j] = order[j - 1];
      j--;
    }
    key[j] = k;
    order[j] = o;
  }
}

/** NumPy's `aheapsort_` on the `count` elements from `start` (a max-heap, 1-based as there). */
function heapsort(key: Float64Array, order: Uint32Array, start: number, count: number): void {
  // element m of the 1-based heap is at base + m
  const base = start - 1;
  const siftDown = (top: number, size: number, k: number, o: number): void => {
    let i = top;
    for (let j = 2 * top; j <= size;) {
      if (j < size && less(key[base + j], key[base + j + 1])) j++;
      if (!less(k, key[base + j])) break;
      key[base + i] = key[base + j];
      order[base + i] = order[base + j];
      i = j;
      j += j;
    }
    key[base + i] = k;
    order[base + i] = o;
  };
  let n = count;
  for (let l = n >> 1; l > 0; l--) siftDown(l, n, key[base + l], order[base + l]);
  while (n > 1) {
    const k = key[base + n];
    const o = order[base + n];
    key[base + n] = key[base + 1];
    order[base + n] = order[base + 1];
    n--;
    siftDown(1, n, k, o);
  }
}
