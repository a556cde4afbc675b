import { describe, expect, it } from 'vitest';
import { numpyArgsort, numpyArgsortInto } from '../numpy-argsort.js';

/** A reproducible stream of numbers in [0, 1) (a 31-bit LCG). */
function random(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

/** Ascending by NumPy's float order (NaN last), ties by index: what any correct argsort must give up to ties. */
function isSortedPermutation(values: ArrayLike<number>, order: Uint32Array): boolean {
  const seen = new Uint8Array(values.length);
  for (const i of order) {
    if (i >= values.length || seen[i]) return false;
    seen[i] = 1;
  }
  for (let j = 1; j < order.length; j++) {
    const a = values[order[j - 1]];
    const b = values[order[j]];
    if (b < a || (a !== a && b === b)) return false;
  }
  return order.length === values.length;
}

describe('numpyArgsort (NumPy 1.24 argsort, kind="quicksort")', () => {
  it('handles empty and single-element input', () => {
    expect(Array.from(numpyArgsort([]))).toEqual([]);
    expect(Array.from(numpyArgsort([4]))).toEqual([0]);
  });

  it('sorts ascending', () => {
    expect(Array.from(numpyArgsort([3, 1, 2]))).toEqual([1, 2, 0]);
    const next = random(1);
    for (const n of [17, 18, 100, 1000, 12345]) {
      const values = Float64Array.from({ length: n }, () => next());
      expect(isSortedPermutation(values, numpyArgsort(values))).toBe(true);
    }
  });

  it('keeps up to 16 equal values in index order (insertion sort only)', () => {
    expect(Array.from(numpyArgsort(new Float64Array(16)))).toEqual(
      Array.from({ length: 16 }, (_, i) => i),
    );
    expect(Array.from(numpyArgsort([1, 0, 1, 0, 1]))).toEqual([1, 3, 0, 2, 4]);
  });

  it('orders 17 equal values as one median-of-3 partition leaves them', () => {
    // pivot at 8 parked at 15; the scans stop at every element and swap 1↔14, 2↔13, …, 7↔8;
    // the pivot goes back to 8 and both halves (8 each) are insertion-sorted without moves
    expect(Array.from(numpyArgsort(new Float64Array(17)))).toEqual([
      0, 14, 13, 12, 11, 10, 9, 15, 8, 6, 5, 4, 3, 2, 1, 7, 16,
    ]);
  });

  it('compares as NumPy compares floats: NaN last, -0 equal to 0', () => {
    expect(Array.from(numpyArgsort([NaN, 1, -Infinity, NaN, 0, -0]))).toEqual([2, 4, 5, 1, 0, 3]);
    const values = Float64Array.from({ length: 500 }, (_, i) =>
      i % 7 === 0 ? NaN : i % 5 === 0 ? Infinity : (i * 37) % 11,
    );
    const order = numpyArgsort(values);
    expect(isSortedPermutation(values, order)).toBe(true);
    expect(Array.from(order.subarray(500 - 72), (i) => values[i])).toEqual(
      new Array<number>(72).fill(NaN),
    );
  });

  it("falls back to heapsort past 2·⌊log₂ n⌋ splits, with NumPy 1.24.2's order", () => {
    // a median-of-3 killer (McIlroy's adversary) whose last partition is heapsorted with ties;
    // expected: np.argsort of these values with NumPy 1.24.2
    const values = [
      0, 38, 2, 20, 4, 37, 6, 38, 8, 38, 10, 38, 12, 38, 14, 38, 16, 38, 1, 3, 5, 7, 9, 11, 13, 15,
      17, 19, 21, 37, 38, 37, 37, 38, 37, 18, 37,
    ];
    const order = Uint32Array.from(values, (_, i) => i);
    expect(numpyArgsortInto(values, order)).toBe(1);
    expect(Array.from(order)).toEqual([
      0, 18, 2, 19, 4, 20, 6, 21, 8, 22, 10, 23, 12, 24, 14, 25, 16, 26, 35, 27, 3, 28, 32, 29, 5,
      34, 31, 36, 1, 17, 11, 15, 33, 30, 13, 9, 7,
    ]);
    expect(Array.from(numpyArgsort(values))).toEqual(Array.from(order));
  });

  it('stays O(n log n) on ties, runs and sorted input (no heapsort needed)', () => {
    const n = 200_000;
    const inputs = [
      new Float64Array(n),
      Float64Array.from({ length: n }, (_, i) => i),
      Float64Array.from({ length: n }, (_, i) => n - i),
      Float64Array.from({ length: n }, (_, i) => i % 3),
    ];
    for (const values of inputs) {
      const order = Uint32Array.from(values, (_, i) => i);
      expect(numpyArgsortInto(values, order)).toBe(0);
      expect(isSortedPermutation(values, order)).toBe(true);
    }
  });

  it('heapsorts the partitions an organ pipe leaves after the depth limit, as NumPy does', () => {
    // min(i, n - i) defeats the median of 3; NumPy 1.24.2 gives the same order (checked
    // outside the test suite), via 130 heapsorted partitions
    const n = 200_000;
    const values = Float64Array.from({ length: n }, (_, i) => Math.min(i, n - i));
    const order = Uint32Array.from(values, (_, i) => i);
    expect(numpyArgsortInto(values, order)).toBe(130);
    expect(isSortedPermutation(values, order)).toBe(true);
  });
});
