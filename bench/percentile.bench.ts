import { bench, describe } from 'vitest';
import { numpyPercentiles } from '../src/image/numpy-percentile.js';
import { fluorescenceStack } from './tiff-fixtures.js';

// The 1st and 99th percentiles of one 1011 × 1557 uint16 plane, as Cellpose's normalize99 takes
// them: sorting a copy (the code before) against counting (uint16) and radix selection (the same
// values as float32, which is what normalize99 receives). Each group prints the speed-up.

const nuclei = fluorescenceStack().planes[0].data as Uint16Array;
const asFloat32 = Float32Array.from(nuclei);
const QS = [1, 99];

/** The old path: sort a copy, then NumPy's linear percentile on it. */
function sortedPercentiles(data: Float32Array): number[] {
  const sorted = data.slice().sort();
  const n = sorted.length;
  return QS.map((q) => {
    const virtual = (n - 1) * (q / 100);
    const below = Math.floor(virtual);
    const [a, b] = [sorted[below], sorted[Math.min(below + 1, n - 1)]];
    const gamma = virtual - below;
    const diff = Math.fround(b - a);
    return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
  });
}

// Timing a wrong answer says nothing.
const expected = sortedPercentiles(asFloat32);
for (const data of [nuclei, asFloat32]) {
  const got = numpyPercentiles(data, QS, { float32Difference: true });
  if (got.some((v, i) => v !== expected[i])) throw new Error(`${got} ≠ sorted ${expected}`);
}

describe('p1 and p99 of a 1011 × 1557 uint16 plane', () => {
  bench('sort a float32 copy (before)', () => {
    sortedPercentiles(asFloat32);
  });
  bench('count the uint16 values', () => {
    numpyPercentiles(nuclei, QS, { float32Difference: true });
  });
  bench('radix-select the float32 values', () => {
    numpyPercentiles(asFloat32, QS, { float32Difference: true });
  });
});
