import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../synth/random.js';
import { numpyPercentiles } from '../numpy-percentile.js';
import { nanCount, orderStatistics } from '../order-statistics.js';
import type { PixelArray } from '../types.js';

/** The sorting reference: a sorted copy (NaN last, −0 before +0), as the code before counting. */
function sortedReference(data: PixelArray): PixelArray {
  const copy = data.slice();
  copy.sort();
  let n = copy.length;
  while (n > 0 && copy[n - 1] !== copy[n - 1]) n--;
  return copy.subarray(0, n);
}

/** NumPy 1.24 linear percentile on sorted values: the formula normalize99 used to call. */
function sortedPercentile(sorted: PixelArray, q: number, float32Difference: boolean): number {
  const n = sorted.length;
  const virtual = (n - 1) * (q / 100);
  let below = Math.floor(virtual);
  let above = below + 1;
  if (virtual >= n - 1) below = above = n - 1;
  const gamma = virtual - (virtual >= n - 1 ? -1 : below);
  const a = sorted[below];
  const b = sorted[above];
  const diff = float32Difference ? Math.fround(b - a) : b - a;
  return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
}

const QS = [0, 0.35, 1, 25, 33.3, 50, 99, 99.8, 100];
const random = seededRandom(17);
const int = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));

/** Arrays of `n` values; 40,001 takes the histogram paths, 5,001 the quickselect. */
function randomArrays(n: number): [string, PixelArray][] {
  return [
    ['uint8', Uint8Array.from({ length: n }, () => int(0, 255))],
    ['uint16', Uint16Array.from({ length: n }, () => int(0, 65535))],
    ['uint16 12-bit', Uint16Array.from({ length: n }, () => int(90, 4095))],
    ['int8', Int8Array.from({ length: n }, () => int(-128, 127))],
    ['int16', Int16Array.from({ length: n }, () => int(-32768, 32767))],
    ['int32', Int32Array.from({ length: n }, () => int(-(2 ** 31), 2 ** 31 - 1))],
    ['uint32', Uint32Array.from({ length: n }, () => int(0, 2 ** 32 - 1))],
    ['float32', Float32Array.from({ length: n }, () => (random() - 0.3) * 1e4)],
    ['float32 integers', Float32Array.from({ length: n }, () => int(0, 4095))],
    ['float64', Float64Array.from({ length: n }, () => (random() - 0.5) * 1e-3)],
    ['float64 repeats', Float64Array.from({ length: n }, () => int(-3, 3) / 7)],
    ['float32 signed zeros', Float32Array.from({ length: n }, () => [-0, 0, -1, 2][int(0, 3)])],
  ].map(([name, data]) => [`${name} × ${n}`, data] as [string, PixelArray]);
}
// Large arrays only of the types that use a 65,536-bin histogram there.
const ARRAYS = [
  ...randomArrays(5001),
  ...randomArrays(40001).filter(([, d]) => d.BYTES_PER_ELEMENT > 1 && !(d instanceof Float64Array)),
];

function edgeCases(): [string, PixelArray][] {
  return [
    ['one value', Float32Array.from([3.5])],
    ['all equal uint16', new Uint16Array(100).fill(7)],
    ['all equal float64', new Float64Array(9).fill(-2.25)],
    ['two values uint8', Uint8Array.from([200, 3])],
    ['two values float32', Float32Array.from([1e-30, -1e30])],
    ['signed zeros float32', Float32Array.from([0, -0, 0, -0, -1, 1, -0])],
    ['signed zeros float64', Float64Array.from([0, -0, -0, 0, 0, -5])],
    ['infinities float32', Float32Array.from([Infinity, -Infinity, 2, -Infinity, 0])],
    ['extremes int32', Int32Array.from([2 ** 31 - 1, -(2 ** 31), 0, -1])],
    ['extremes uint32', Uint32Array.from([2 ** 32 - 1, 0, 2 ** 31, 2 ** 31 - 1])],
    ['extremes int16', Int16Array.from([32767, -32768, -32768, 0])],
    ['subnormals float32', Float32Array.from([1e-45, -1e-45, 0, 1e-40])],
  ];
}

describe('orderStatistics', () => {
  it.each([...ARRAYS, ...edgeCases()])(
    '%s: every rank equals the sorted copy (toEqual tells −0 from +0)',
    (_, data) => {
      const sorted = Array.from(sortedReference(data));
      // Every rank of the small arrays, every 97th of the large (many ranks: gather and sort).
      const step = sorted.length > 10000 ? 97 : 1;
      const many = Array.from(sorted.keys()).filter((rank) => rank % step === 0);
      expect(orderStatistics(data, many)).toEqual(many.map((r) => sorted[r]));
      // Two ranks at a time: the two-pass histogram (or count) rather than gather-and-sort.
      for (const q of [0, 0.01, 0.5, 0.99, 1]) {
        const rank = Math.floor(q * (sorted.length - 1));
        const ranks = [rank, Math.min(rank + 1, sorted.length - 1)];
        expect(orderStatistics(data, ranks)).toEqual(ranks.map((r) => sorted[r]));
      }
    },
  );

  it('leaves NaN out and returns ranks in the order asked', () => {
    const data = Float32Array.from([NaN, 4, -1, NaN, 2]);
    expect(nanCount(data)).toBe(2);
    expect(orderStatistics(data, [2, 0, 1, 0])).toEqual([4, -1, 2, -1]);
    expect(orderStatistics(Float64Array.from([NaN, 1, NaN, 0]), [0, 1])).toEqual([0, 1]);
    expect(() => orderStatistics(data, [3])).toThrow(RangeError);
    expect(() => orderStatistics(data, [0.5])).toThrow(RangeError);
  });

  it('does not modify the data', () => {
    const data = Float64Array.from([3, 1, 2]);
    orderStatistics(data, [0, 1, 2]);
    expect(Array.from(data)).toEqual([3, 1, 2]);
  });

  it('stays exact on a float64 array that defeats median-of-three pivots', () => {
    // An organ-pipe ramp: quickselect degenerates here and must fall back to a sort.
    const n = 4000;
    const data = Float64Array.from({ length: n }, (_, i) => (i < n / 2 ? i : n - i));
    const sorted = sortedReference(data);
    const ranks = [0, 1, 1234, n / 2, n - 2, n - 1];
    expect(orderStatistics(data, ranks)).toEqual(ranks.map((r) => sorted[r]));
  });
});

describe('numpyPercentiles', () => {
  it.each([...ARRAYS, ...edgeCases()])(
    '%s: equals NumPy linear on the sorted copy, bit for bit',
    (_, data) => {
      const sorted = sortedReference(data);
      // [1, 99] takes the two-pass histogram; the nine of QS the gather-and-sort path.
      for (const qs of [[1, 99], [0, 100], QS]) {
        for (const float32Difference of [false, true]) {
          const got = numpyPercentiles(data, qs, { float32Difference });
          qs.forEach((q, i) => expect(got[i]).toBe(sortedPercentile(sorted, q, float32Difference)));
        }
      }
    },
  );

  it('pins NumPy values: np.percentile(np.arange(101), [1, 99]) and [1, 2, 3, 4] at 40', () => {
    expect(
      numpyPercentiles(
        Uint8Array.from({ length: 101 }, (_, i) => i),
        [1, 99],
      ),
    ).toEqual([1, 99]);
    // np.percentile([1, 2, 3, 4], 40) = 2.2 (position 1.2).
    expect(numpyPercentiles(Float64Array.from([4, 1, 3, 2]), [40])).toEqual([2 + (3 - 2) * 0.2]);
  });

  it('propagates NaN like numpy.percentile, or omits it like numpy.nanpercentile', () => {
    const data = Float32Array.from([NaN, 1, 3]);
    expect(numpyPercentiles(data, [50])).toEqual([NaN]);
    expect(numpyPercentiles(data, [50], { nan: 'omit' })).toEqual([2]);
    expect(numpyPercentiles(new Float32Array(0), [50])).toEqual([NaN]);
    expect(() => numpyPercentiles(data, [101])).toThrow(/between 0 and 100/);
  });
});
