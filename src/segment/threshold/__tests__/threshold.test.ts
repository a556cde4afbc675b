import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../errors.js';
import type { PixelArray, Plane } from '../../../image/types.js';
import {
  skimageHistogram,
  threshold,
  THRESHOLD_METHODS,
  thresholdIsodata,
  thresholdIsodataAll,
  thresholdLi,
  thresholdMean,
  thresholdOtsu,
  thresholdTriangle,
  thresholdYen,
  type ThresholdMethod,
} from '../index.js';

const row = <T extends PixelArray>(data: T): Plane<T> => ({ width: data.length, height: 1, data });

const byMethod: Record<ThresholdMethod, (plane: Plane) => number> = {
  otsu: (p) => thresholdOtsu(p),
  li: (p) => thresholdLi(p),
  triangle: (p) => thresholdTriangle(p),
  yen: (p) => thresholdYen(p),
  mean: (p) => thresholdMean(p),
  isodata: (p) => thresholdIsodata(p),
};

describe('degenerate images give a defined number', () => {
  it.each(THRESHOLD_METHODS)('%s: no pixel, or no finite pixel, gives 0', (method) => {
    const f = byMethod[method];
    expect(f(row(new Uint8Array(0)))).toBe(0);
    expect(f({ width: 0, height: 5, data: new Float32Array(0) })).toBe(0);
    expect(f(row(new Float32Array([NaN, NaN, NaN])))).toBe(0);
    expect(f(row(new Float64Array([NaN, Infinity, -Infinity])))).toBe(0);
  });

  it.each(THRESHOLD_METHODS)('%s: one value (or one pixel) gives that value', (method) => {
    const f = byMethod[method];
    expect(f(row(new Uint8Array([7, 7, 7, 7])))).toBe(7);
    expect(f(row(new Uint16Array([1234])))).toBe(1234);
    expect(f(row(new Int16Array([-3, -3])))).toBe(-3);
    expect(f(row(new Float64Array([-2.5, -2.5, NaN, -2.5])))).toBe(-2.5);
    if (method !== 'mean') expect(f(row(new Float32Array(20).fill(0.3)))).toBe(Math.fround(0.3));
  });

  it('mean of a constant float32 image is NumPy float32 mean, as skimage returns it', () => {
    // skimage 0.19.3: threshold_mean(np.full((4, 5), 0.3, np.float32)) == np.float32(0.30000004)
    expect(thresholdMean({ width: 5, height: 4, data: new Float32Array(20).fill(0.3) })).toBe(
      Math.fround(0.30000004),
    );
  });

  it('isodata with every threshold gives one value for degenerate images', () => {
    expect(thresholdIsodataAll(row(new Uint8Array(0)))).toEqual([0]);
    expect(thresholdIsodataAll(row(new Float32Array(3).fill(0.5)))).toEqual([0.5]);
  });

  it('a one-bin float histogram gives its centre', () => {
    const plane = row(new Float64Array([0, 1, 3]));
    for (const f of [thresholdOtsu, thresholdYen, thresholdIsodata, thresholdTriangle]) {
      expect(f(plane, { nbins: 1 })).toBe(1.5);
    }
  });
});

describe('non-finite pixels are left out', () => {
  const clean = row(new Float32Array([0.1, 0.5, 0.9, 0.2, 0.85, 0.15, 0.12]));
  const dirty = row(
    new Float32Array([0.1, NaN, 0.5, Infinity, 0.9, 0.2, 0.85, -Infinity, 0.15, 0.12]),
  );
  it.each(THRESHOLD_METHODS)('%s equals the value without them', (method) => {
    const f = byMethod[method];
    expect(f(dirty)).toBe(f(clean));
  });

  it('and from the histogram', () => {
    expect(skimageHistogram(dirty)).toEqual(skimageHistogram(clean));
    expect(skimageHistogram(row(new Float32Array([NaN]))).counts).toHaveLength(0);
  });
});

describe('small images with answers in closed form', () => {
  // Three pixels of 3 and one of 9: integer histogram 3..9 with counts [3, 0, 0, 0, 0, 0, 1].
  const twoValues = row(new Uint8Array([3, 3, 3, 9]));

  it('histogram: one bin per integer from min to max', () => {
    const { counts, binCenters } = skimageHistogram(twoValues);
    expect(Array.from(counts)).toEqual([3, 0, 0, 0, 0, 0, 1]);
    expect(Array.from(binCenters)).toEqual([3, 4, 5, 6, 7, 8, 9]);
  });

  it('otsu: every split between the values separates them equally well; the first wins', () => {
    expect(thresholdOtsu(twoValues)).toBe(3);
  });

  it('isodata: the first t with (mean(≤ t) + mean(> t)) / 2 − t in [0, 1) is (3 + 9) / 2', () => {
    expect(thresholdIsodata(twoValues)).toBe(6);
    expect(thresholdIsodataAll(twoValues)).toEqual([6]);
  });

  it('mean: (3 · 3 + 9) / 4', () => {
    expect(thresholdMean(twoValues)).toBe(4.5);
  });

  it('li: a class mean of 0 after shifting makes the iteration stop at the minimum', () => {
    expect(thresholdLi(twoValues)).toBe(3);
  });

  it('float32 histogram: 4 bins over [0, 1] have centres 1/8, 3/8, 5/8, 7/8', () => {
    const plane = row(new Float32Array([0, 0.2, 0.3, 0.6, 1]));
    const { counts, binCenters } = skimageHistogram(plane, { nbins: 4 });
    expect(Array.from(counts)).toEqual([2, 1, 1, 1]);
    expect(Array.from(binCenters)).toEqual([0.125, 0.375, 0.625, 0.875]);
  });

  it('a bimodal image is split between its modes by every method', () => {
    const data = new Uint16Array(400);
    for (let i = 0; i < 400; i++) data[i] = i < 300 ? 100 + (i % 7) : 900 + (i % 11);
    for (const method of THRESHOLD_METHODS) {
      const t = threshold(row(data), { method });
      expect(t, method).toBeGreaterThanOrEqual(106);
      expect(t, method).toBeLessThan(900);
    }
  });
});

describe('threshold (dispatcher)', () => {
  const plane = row(new Float32Array([0.1, 0.5, 0.9, 0.2, 0.85, 0.15, 0.12, 0.7]));

  it.each(THRESHOLD_METHODS)('method %s gives the function’s value', (method) => {
    expect(threshold(plane, { method })).toBe(byMethod[method](plane));
  });

  it('passes nbins and Li options through', () => {
    expect(threshold(plane, { method: 'otsu', nbins: 16 })).toBe(
      thresholdOtsu(plane, { nbins: 16 }),
    );
    expect(threshold(plane, { method: 'li', tolerance: 0.1, initialGuess: 0.4 })).toBe(
      thresholdLi(plane, { tolerance: 0.1, initialGuess: 0.4 }),
    );
  });

  it('returns a fixed value as given', () => {
    expect(threshold(plane, { value: 0.42 })).toBe(0.42);
    expect(() => threshold(plane, { value: NaN })).toThrow(InvalidArgumentError);
  });

  it('rejects unknown methods and bad options', () => {
    expect(() => threshold(plane, { method: 'minimum' as ThresholdMethod })).toThrow(
      InvalidArgumentError,
    );
    expect(() => thresholdOtsu(plane, { nbins: 0 })).toThrow(InvalidArgumentError);
    expect(() => thresholdLi(plane, { initialGuess: 5 })).toThrow(InvalidArgumentError);
    expect(() => thresholdLi(plane, { tolerance: -1 })).toThrow(InvalidArgumentError);
  });

  it('refuses integer ranges too wide for one bin per value', () => {
    const wide = row(new Uint32Array([0, 4_000_000_000]));
    expect(() => thresholdOtsu(wide)).toThrow(InvalidArgumentError);
    expect(thresholdMean(wide)).toBe(2_000_000_000);
  });
});
