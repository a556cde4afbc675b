import { describe, expect, it } from 'vitest';
import {
  argument,
  loadInput,
  loadOutput,
  skimageCases,
  type SkimageCase,
  npyMask,
} from '../../../../test/skimage-fixtures.js';
import { countedCases, HAS_SHARED } from '../../../../test/shared.js';
import { InvalidArgumentError } from '../../../errors.js';
import type { Mask } from '../../../image/types.js';
import { seededRandom } from '../../../synth/random.js';
import { distanceTransform } from '../distance-transform.js';
import { squaredDistanceTransform } from '../squared-distance-transform.js';

/** Every `scipy.ndimage.distance_transform_edt` case (the smoothed watershed inputs are a gaussian). */
const edtCases = countedCases(
  [...skimageCases('morphology'), ...skimageCases('watershed')].filter(
    (c) => c.function === 'scipy.ndimage.distance_transform_edt',
  ),
  5,
  'distance_transform_edt',
);

function fixtureMask(c: SkimageCase): Mask {
  return npyMask(loadInput(c, 'input'));
}

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

/** Positions where two integer arrays differ, as `(row, col)` strings for a readable failure. */
function differingPixels(a: ArrayLike<number>, b: ArrayLike<number>, width: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) out.push(`(${Math.floor(i / width)}, ${i % width}): ${a[i]} vs ${b[i]}`);
  }
  return out;
}

describe.skipIf(!HAS_SHARED)(
  'distanceTransform against scipy.ndimage.distance_transform_edt',
  () => {
    it('has the cases this suite is meant to cover', () => {
      expect(edtCases.map((c) => c.id)).toEqual([
        'morphology/distance_transform_edt_default',
        'morphology/distance_transform_edt_sampling_1_0.5',
        'morphology/distance_transform_edt_indices',
        'watershed/128x128_distance',
        'watershed/144x176_distance',
      ]);
    });

    for (const c of edtCases) {
      it(c.id, () => {
        const mask = fixtureMask(c);
        const sampling = argument<[number, number] | null | undefined>(c, 'sampling') ?? undefined;
        const expected = loadOutput(c, 'distances').data as Float64Array;
        if (argument<boolean | undefined>(c, 'return_indices')) {
          const { distances, indices } = distanceTransform(mask, { sampling, returnIndices: true });
          expect(maxAbsDifference(distances.data, expected)).toBeLessThanOrEqual(1e-9);
          const reference = loadOutput(c, 'indices').data as Int32Array;
          const n = mask.width * mask.height;
          expect(differingPixels(indices.row.data, reference.subarray(0, n), mask.width)).toEqual(
            [],
          );
          expect(differingPixels(indices.col.data, reference.subarray(n), mask.width)).toEqual([]);
        } else {
          const distances = distanceTransform(mask, { sampling });
          expect(distances.width).toBe(mask.width);
          expect(distances.height).toBe(mask.height);
          expect(maxAbsDifference(distances.data, expected)).toBeLessThanOrEqual(1e-9);
        }
      });
    }

    it('gives the same bits as SciPy: sqrt of an exact sum, scaled by the sampling', () => {
      for (const c of edtCases) {
        const sampling = argument<[number, number] | null | undefined>(c, 'sampling') ?? undefined;
        const expected = loadOutput(c, 'distances').data as Float64Array;
        expect(
          maxAbsDifference(distanceTransform(fixtureMask(c), { sampling }).data, expected),
        ).toBe(0);
      }
    });
  },
);

/** A random mask with roughly `backgroundFraction` zero pixels, in small clumps and specks. */
function randomMask(width: number, height: number, seed: number, backgroundFraction: number): Mask {
  const random = seededRandom(seed);
  const data = new Uint8Array(width * height).fill(1);
  for (let i = 0; i < data.length; i++) if (random() < backgroundFraction) data[i] = 0;
  return { width, height, data };
}

/** O(n²) reference: the smallest squared distance to any zero pixel. */
function bruteForceSquared(mask: Mask, [sr, sc]: [number, number]): Float64Array {
  const { width, data } = mask;
  const zeros: number[] = [];
  for (let i = 0; i < data.length; i++) if (data[i] === 0) zeros.push(i);
  const out = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const r = Math.floor(i / width);
    const c = i % width;
    let best = Infinity;
    for (const z of zeros) {
      const dr = (Math.floor(z / width) - r) * sr;
      const dc = ((z % width) - c) * sc;
      best = Math.min(best, dr * dr + dc * dc);
    }
    out[i] = best;
  }
  return out;
}

describe('distanceTransform against brute force', () => {
  const shapes: [number, number, number][] = [
    [1, 1, 0.5],
    [1, 17, 0.2],
    [23, 1, 0.2],
    [31, 47, 0.01],
    [40, 33, 0.05],
    [64, 64, 0.3],
    [29, 71, 0.002],
  ];
  const samplings: [number, number][] = [
    [1, 1],
    [1, 0.5],
    [0.65, 2.3],
    [3, 1],
  ];
  let seed = 1;
  for (const [height, width, fraction] of shapes) {
    for (const sampling of samplings) {
      const s = seed++;
      it(`${height}×${width}, ${fraction * 100}% background, sampling ${sampling}`, () => {
        const mask = randomMask(width, height, s, fraction);
        // Keep at least one zero pixel: the empty case has its own test.
        if (mask.data.every((v) => v !== 0)) mask.data[Math.floor(mask.data.length / 2)] = 0;
        const squared = bruteForceSquared(mask, sampling);
        const { distances, indices } = distanceTransform(mask, { sampling, returnIndices: true });
        const [sr, sc] = sampling;
        const wrong: string[] = [];
        for (let i = 0; i < squared.length; i++) {
          const row = indices.row.data[i];
          const col = indices.col.data[i];
          const dr = (row - Math.floor(i / width)) * sr;
          const dc = (col - (i % width)) * sc;
          // The reported pixel is background, at the minimal distance, and the distance is its.
          const ok =
            mask.data[row * width + col] === 0 &&
            Math.abs(dr * dr + dc * dc - squared[i]) <= 1e-9 * squared[i] &&
            Math.abs(distances.data[i] - Math.sqrt(squared[i])) <= 1e-9;
          if (!ok) wrong.push(`pixel ${i}: (${row}, ${col}) at ${distances.data[i]}`);
        }
        expect(wrong).toEqual([]);
        const squaredPlane = squaredDistanceTransform(mask, { sampling });
        expect(maxAbsDifference(squaredPlane.data, squared)).toBeLessThanOrEqual(1e-9);
      });
    }
  }
});

describe('distanceTransform on degenerate images', () => {
  it('returns empty planes for an empty image', () => {
    for (const [width, height] of [
      [0, 0],
      [0, 5],
      [7, 0],
    ]) {
      const mask: Mask = { width, height, data: new Uint8Array(0) };
      const { distances, indices } = distanceTransform(mask, { returnIndices: true });
      expect(distances).toEqual({ width, height, data: new Float64Array(0) });
      expect(indices.row.data.length).toBe(0);
      expect(indices.col.data.length).toBe(0);
    }
  });

  it('gives 0 and each pixel itself where everything is background', () => {
    const mask: Mask = { width: 3, height: 2, data: new Uint8Array(6) };
    const { distances, indices } = distanceTransform(mask, { returnIndices: true });
    expect([...distances.data]).toEqual([0, 0, 0, 0, 0, 0]);
    expect([...indices.row.data]).toEqual([0, 0, 0, 1, 1, 1]);
    expect([...indices.col.data]).toEqual([0, 1, 2, 0, 1, 2]);
  });

  it('measures to SciPy’s phantom pixel (-1, 0) where there is no background at all', () => {
    const mask: Mask = { width: 3, height: 2, data: new Uint8Array(6).fill(1) };
    const sampling: [number, number] = [2, 0.5];
    const { distances, indices } = distanceTransform(mask, { sampling, returnIndices: true });
    for (let r = 0; r < 2; r++) {
      for (let c = 0; c < 3; c++) {
        const expected = Math.sqrt(((r + 1) * 2) ** 2 + (c * 0.5) ** 2);
        expect(distances.data[r * 3 + c]).toBe(expected);
      }
    }
    expect([...indices.row.data]).toEqual([-1, -1, -1, -1, -1, -1]);
    expect([...indices.col.data]).toEqual([0, 0, 0, 0, 0, 0]);
    expect([...squaredDistanceTransform(mask).data]).toEqual([1, 2, 5, 4, 5, 8]);
  });

  it('handles 1 × 1 images', () => {
    const fg = distanceTransform(
      { width: 1, height: 1, data: Uint8Array.of(1) },
      { returnIndices: true },
    );
    expect([...fg.distances.data, ...fg.indices.row.data, ...fg.indices.col.data]).toEqual([
      1, -1, 0,
    ]);
    const bg = distanceTransform(
      { width: 1, height: 1, data: Uint8Array.of(0) },
      { returnIndices: true },
    );
    expect([...bg.distances.data, ...bg.indices.row.data, ...bg.indices.col.data]).toEqual([
      0, 0, 0,
    ]);
  });

  it('does not treat the image border as background', () => {
    // One zero pixel at the left end of a row: distances grow all the way to the right border.
    const data = Uint8Array.of(0, 1, 1, 1, 1);
    expect([...distanceTransform({ width: 5, height: 1, data }).data]).toEqual([0, 1, 2, 3, 4]);
  });

  it('breaks ties as SciPy does', () => {
    // The centre of a 3 × 3 block is equally near its four edge midpoints. Its column offers the
    // upper one, (0, 1), but the row pass keeps the earlier column, (1, 0): SciPy reports [1, 0].
    const data = Uint8Array.of(1, 0, 1, 0, 1, 0, 1, 0, 1);
    const { indices } = distanceTransform({ width: 3, height: 3, data }, { returnIndices: true });
    expect([indices.row.data[4], indices.col.data[4]]).toEqual([1, 0]);
    // Alone in a column, the tie between the rows above and below goes to the upper one.
    const column = Uint8Array.of(0, 1, 0);
    const vertical = distanceTransform(
      { width: 1, height: 3, data: column },
      { returnIndices: true },
    );
    expect(vertical.indices.row.data[1]).toBe(0);
  });

  it('reads any pixel type: non-zero (NaN included) is foreground', () => {
    const data = Float32Array.of(0.5, 0, NaN, -2);
    const distances = distanceTransform({ width: 4, height: 1, data });
    expect([...distances.data]).toEqual([1, 0, 1, 2]);
  });

  it('rejects bad sampling and mismatched data', () => {
    const mask: Mask = { width: 2, height: 2, data: new Uint8Array(4) };
    expect(() => distanceTransform(mask, { sampling: [1, 0] })).toThrow(InvalidArgumentError);
    expect(() => distanceTransform(mask, { sampling: [1, -1] })).toThrow(InvalidArgumentError);
    expect(() => distanceTransform(mask, { sampling: [1, NaN] })).toThrow(InvalidArgumentError);
    expect(() => distanceTransform(mask, { sampling: [1] as unknown as [number, number] })).toThrow(
      InvalidArgumentError,
    );
    expect(() => distanceTransform({ width: 3, height: 2, data: new Uint8Array(4) })).toThrow(
      InvalidArgumentError,
    );
  });
});
