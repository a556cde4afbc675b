import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../errors.js';
import type { Labels, Mask } from '../../../image/types.js';
import { fillHoles } from '../fill-holes.js';
import { removeSmallHoles } from '../remove-small-holes.js';
import { removeSmallObjects } from '../remove-small-objects.js';
import { areasOf, bruteFillHoles, bruteLabel, invert, randomMask } from './brute-force.js';

function mask(rows: number[][]): Mask {
  return { width: rows[0].length, height: rows.length, data: Uint8Array.from(rows.flat()) };
}

/** Keeps components of `image` with at least `minSize` pixels (the definition). */
function bruteRemoveSmall(image: Mask, minSize: number, connectivity: 1 | 2): Mask {
  const { labels, count } = bruteLabel(image, connectivity);
  const areas = areasOf(labels, count);
  const data = labels.data.map((id) => (id !== 0 && areas[id] >= minSize ? 1 : 0));
  return { ...image, data: Uint8Array.from(data) };
}

const SIZES = [
  [1, 1],
  [1, 13],
  [11, 1],
  [6, 5],
  [31, 22],
  [57, 41],
];

describe('fillHoles', () => {
  // A 3 × 3 hole whose only way out is the diagonal step from (1, 3) to (0, 4).
  const image = mask([
    [1, 1, 1, 1, 0, 0],
    [1, 0, 0, 0, 1, 1],
    [1, 0, 0, 0, 1, 1],
    [1, 0, 0, 0, 1, 1],
    [1, 1, 1, 1, 1, 1],
  ]);

  it('fills a hole that leaks only diagonally with the default cross, not with connectivity 2', () => {
    expect(fillHoles(image).data.filter((v) => v === 0).length).toBe(2);
    expect(fillHoles(image, { connectivity: 2 }).data).toEqual(image.data);
  });

  it.each([1, 2] as const)('equals a flood fill from the border, connectivity %i', (c) => {
    for (const [k, [width, height]] of SIZES.entries()) {
      for (const density of [0.2, 0.5, 0.8]) {
        const input = randomMask(width, height, 7 * k + density * 10, density);
        expect(fillHoles(input, { connectivity: c }).data).toEqual(bruteFillHoles(input, c).data);
      }
    }
  });

  it('fills nothing in 1 × N, N × 1, empty and full images', () => {
    const row = mask([[1, 0, 1, 0, 0, 1]]);
    expect(fillHoles(row).data).toEqual(row.data);
    const column = { width: 1, height: 6, data: row.data };
    expect(fillHoles(column).data).toEqual(row.data);
    expect(fillHoles({ width: 0, height: 0, data: new Uint8Array(0) }).data.length).toBe(0);
    const zeros = { width: 5, height: 4, data: new Uint8Array(20) };
    expect(fillHoles(zeros).data).toEqual(zeros.data);
    const ones = { width: 5, height: 4, data: new Uint8Array(20).fill(1) };
    expect(fillHoles(ones).data).toEqual(ones.data);
  });
});

describe('removeSmallObjects', () => {
  it.each([1, 2] as const)('equals the definition on random masks, connectivity %i', (c) => {
    for (const [k, [width, height]] of SIZES.entries()) {
      const input = randomMask(width, height, 3 * k + c, 0.5);
      for (const minSize of [0, 1, 2, 5, 30, 1000]) {
        const expected = bruteRemoveSmall(input, minSize, c);
        expect(removeSmallObjects(input, { minSize, connectivity: c }).data).toEqual(expected.data);
      }
    }
  });

  it('keeps an object of exactly minSize pixels and defaults to minSize 64, connectivity 1', () => {
    const image = mask([
      [1, 1, 0, 1],
      [0, 1, 0, 0],
      [0, 0, 1, 0],
    ]);
    expect(Array.from(removeSmallObjects(image, { minSize: 3 }).data)).toEqual([
      1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0,
    ]);
    expect(Array.from(removeSmallObjects(image, { minSize: 4, connectivity: 2 }).data)).toEqual([
      1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0,
    ]);
    expect(removeSmallObjects(image).data.every((v) => v === 0)).toBe(true);
  });

  it('counts every label id as one object, however many pieces it has', () => {
    const labels: Labels = {
      width: 5,
      height: 2,
      data: Uint32Array.from([3, 0, 3, 9, 9, 0, 7, 0, 0, 9]),
    };
    const out = removeSmallObjects(labels, { minSize: 2 });
    expect(out.data).toBeInstanceOf(Uint32Array);
    expect(Array.from(out.data)).toEqual([3, 0, 3, 9, 9, 0, 0, 0, 0, 9]);
    // The input is left alone.
    expect(labels.data[6]).toBe(7);
    const huge: Labels = { width: 3, height: 1, data: Uint32Array.from([4e9, 4e9, 5]) };
    expect(Array.from(removeSmallObjects(huge, { minSize: 2 }).data)).toEqual([4e9, 4e9, 0]);
  });

  it('handles empty, 1 × 1 and all-foreground images', () => {
    expect(removeSmallObjects({ width: 0, height: 4, data: new Uint8Array(0) }).data.length).toBe(
      0,
    );
    expect(Array.from(removeSmallObjects(mask([[1]]), { minSize: 1 }).data)).toEqual([1]);
    expect(Array.from(removeSmallObjects(mask([[1]]), { minSize: 2 }).data)).toEqual([0]);
    const ones = { width: 8, height: 8, data: new Uint8Array(64).fill(1) };
    expect(removeSmallObjects(ones, { minSize: 64 }).data).toEqual(ones.data);
    expect(removeSmallObjects(ones, { minSize: 65 }).data.every((v) => v === 0)).toBe(true);
  });

  it('rejects other pixel types, NaN sizes and bad connectivity', () => {
    const float = { width: 1, height: 1, data: new Float32Array(1) } as unknown as Mask;
    expect(() => removeSmallObjects(float)).toThrow(InvalidArgumentError);
    expect(() => removeSmallObjects(mask([[1]]), { minSize: NaN })).toThrow(InvalidArgumentError);
    expect(() => removeSmallObjects(mask([[1]]), { connectivity: 0 as 1 })).toThrow(
      InvalidArgumentError,
    );
  });
});

describe('masks with nonzero values other than 1, at unaligned offsets', () => {
  it('read every nonzero byte as foreground', () => {
    for (let shift = 0; shift < 4; shift++) {
      const image = randomMask(37, 29, 40 + shift, 0.5);
      const buffer = new Uint8Array(image.data.length + shift);
      buffer.set(
        image.data.map((v, i) => v * [1, 255, 7][i % 3]),
        shift,
      );
      const odd = { ...image, data: buffer.subarray(shift) };
      for (const connectivity of [1, 2] as const) {
        expect(fillHoles(odd, { connectivity }).data).toEqual(
          fillHoles(image, { connectivity }).data,
        );
        expect(removeSmallObjects(odd, { minSize: 9, connectivity }).data).toEqual(
          removeSmallObjects(image, { minSize: 9, connectivity }).data,
        );
        expect(removeSmallHoles(odd, { areaThreshold: 9, connectivity }).data).toEqual(
          removeSmallHoles(image, { areaThreshold: 9, connectivity }).data,
        );
      }
    }
  });
});

describe('removeSmallHoles', () => {
  it.each([1, 2] as const)(
    'fills background components below the threshold, connectivity %i',
    (c) => {
      for (const [k, [width, height]] of SIZES.entries()) {
        const input = randomMask(width, height, 5 * k + c, 0.6);
        for (const areaThreshold of [0, 1, 3, 30, 10000]) {
          const expected = invert(bruteRemoveSmall(invert(input), areaThreshold, c));
          expect(removeSmallHoles(input, { areaThreshold, connectivity: c }).data).toEqual(
            expected.data,
          );
        }
      }
    },
  );

  it('also fills small background pockets on the border, unlike fillHoles', () => {
    const image = mask([
      [1, 0, 1, 1],
      [1, 1, 1, 1],
      [1, 1, 1, 1],
    ]);
    expect(removeSmallHoles(image, { areaThreshold: 2 }).data.every((v) => v === 1)).toBe(true);
    expect(fillHoles(image).data).toEqual(image.data);
  });

  it('fills an all-background image smaller than the threshold', () => {
    const zeros = { width: 4, height: 4, data: new Uint8Array(16) };
    expect(removeSmallHoles(zeros).data.every((v) => v === 1)).toBe(true);
    expect(removeSmallHoles(zeros, { areaThreshold: 16 }).data).toEqual(zeros.data);
    expect(removeSmallHoles({ width: 0, height: 0, data: new Uint8Array(0) }).data.length).toBe(0);
  });
});
