import { describe, expect, it } from 'vitest';
import {
  argmaxNumpy,
  fma32,
  fma64,
  numpyFloatMean,
  numpyFloatSum,
  numpyLog32,
  numpyLog64,
  pairwiseSum32,
} from '../numpy-float.js';

describe('fused multiply-add', () => {
  it('fma64 rounds once: (1 + 2⁻⁵²)(1 − 2⁻⁵²) − 1 = −2⁻¹⁰⁴ exactly', () => {
    const a = 1 + 2 ** -52;
    const b = 1 - 2 ** -52;
    expect(a * b - 1).toBe(0);
    expect(fma64(a, b, -1)).toBe(-(2 ** -104));
  });

  it('fma64 rounds to nearest-even, or toward zero when asked', () => {
    // 1 + 2⁻⁵³ + 2⁻⁶⁰ lies just above the midpoint between 1 and 1 + 2⁻⁵².
    expect(fma64(1, 1, 2 ** -53 + 2 ** -60)).toBe(1 + 2 ** -52);
    expect(fma64(1, 1, 2 ** -53 + 2 ** -60, true)).toBe(1);
    expect(fma64(-1, 1, -(2 ** -53) - 2 ** -60, true)).toBe(-1);
    expect(fma64(0, 5, 3)).toBe(3);
  });

  it('fma32 is not fooled when the double sum lands on a float32 midpoint', () => {
    // (1 + 2⁻¹²)² = 1 + 2⁻¹¹ + 2⁻²⁴ is the midpoint between two float32s; + 2⁻⁷⁰ tips it up.
    const a = 1 + 2 ** -12;
    const exact = 1 + 2 ** -11 + 2 ** -23;
    expect(Math.fround(a * a + 2 ** -70)).toBe(1 + 2 ** -11);
    expect(fma32(a, a, 2 ** -70)).toBe(exact);
    expect(fma32(a, a, -(2 ** -70))).toBe(1 + 2 ** -11);
    expect(fma32(2, 3, 1)).toBe(7);
  });
});

describe('NumPy summation', () => {
  it('float32 sums round like NumPy: 20 × 0.3f sums to 6.000001f, mean 0.30000004f', () => {
    // np.full(20, 0.3, np.float32).sum() == np.float32(6.000001); .mean() == np.float32(0.30000004)
    const values = new Float32Array(20).fill(0.3);
    expect(pairwiseSum32(values, 0, 20)).toBe(Math.fround(6.000001));
    expect(numpyFloatMean(values, 0, 20, true)).toBe(Math.fround(0.30000004));
  });

  it('sums exactly representable data exactly, in chunks of any size', () => {
    const values = Float64Array.from({ length: 20_000 }, (_, i) => i);
    expect(numpyFloatSum(values, 0, values.length, false)).toBe((19_999 * 20_000) / 2);
    expect(numpyFloatSum(Float32Array.from(values.subarray(0, 1000)), 0, 1000, true)).toBe(499_500);
    expect(numpyFloatMean(values, 0, 0, false)).toBeNaN();
  });
});

describe('NumPy log', () => {
  it('is exact where the answer is: log 1 = 0, log 2ᵏ = k·ln 2 rounded once', () => {
    expect(numpyLog64(1)).toBe(0);
    expect(numpyLog64(2)).toBe(Math.LN2);
    expect(numpyLog64(1024)).toBe(10 * Math.LN2);
    expect(numpyLog32(1)).toBe(0);
  });

  it('is within a few ulp of the true logarithm', () => {
    for (const x of [1e-300, 0.001, 0.7, 1.5, 3, 1000, 123456.789, 1e300]) {
      const l = Math.log(x);
      expect(Math.abs(numpyLog64(x) - l)).toBeLessThanOrEqual(4 * Number.EPSILON * Math.abs(l));
    }
    for (const x of [1e-30, 0.001, 0.7, 1.5, 3, 1000, 123456.789, 1e30].map(Math.fround)) {
      const l = Math.log(x);
      expect(Math.abs(numpyLog32(x) - l)).toBeLessThanOrEqual(4 * 2 ** -23 * Math.abs(l));
    }
  });

  it('handles the special values like np.log', () => {
    for (const log of [numpyLog32, numpyLog64]) {
      expect(log(0)).toBe(-Infinity);
      expect(log(Infinity)).toBe(Infinity);
      expect(log(-1)).toBeNaN();
      expect(log(NaN)).toBeNaN();
    }
  });
});

describe('argmaxNumpy', () => {
  it('returns the first maximum, or the first NaN', () => {
    expect(argmaxNumpy([1, 3, 3, 2])).toBe(1);
    expect(argmaxNumpy([1, NaN, 5, NaN])).toBe(1);
    expect(argmaxNumpy([-Infinity, -Infinity])).toBe(0);
  });
});
