import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../errors.js';
import type { Mask } from '../../../image/types.js';
import { binaryClosing } from '../binary-closing.js';
import { binaryDilation } from '../binary-dilation.js';
import { binaryErosion } from '../binary-erosion.js';
import { binaryOpening } from '../binary-opening.js';
import { disk } from '../disk.js';
import type { FootprintOptions } from '../footprint.js';
import { diskReach } from '../reach.js';
import { bruteDilation, bruteErosion, randomFootprint, randomMask } from './brute-force.js';

const OPS = {
  erosion: [binaryErosion, bruteErosion],
  dilation: [binaryDilation, bruteDilation],
  opening: [binaryOpening, (m: Mask, f: Mask) => bruteDilation(bruteErosion(m, f), f)],
  closing: [binaryClosing, (m: Mask, f: Mask) => bruteErosion(bruteDilation(m, f), f)],
} as const;

/** Sizes around and below the footprint, so borders on every side matter. */
const SIZES = [
  [1, 1],
  [1, 17],
  [19, 1],
  [5, 4],
  [23, 9],
  [40, 37],
];

function mask(rows: number[][]): Mask {
  return { width: rows[0].length, height: rows.length, data: Uint8Array.from(rows.flat()) };
}

describe('disk', () => {
  it('is skimage.morphology.disk: dx² + dy² ≤ r²', () => {
    expect(Array.from(disk(0).data)).toEqual([1]);
    expect(disk(2)).toEqual(
      mask([
        [0, 0, 1, 0, 0],
        [0, 1, 1, 1, 0],
        [1, 1, 1, 1, 1],
        [0, 1, 1, 1, 0],
        [0, 0, 1, 0, 0],
      ]),
    );
  });

  it('rejects negative and fractional radii', () => {
    expect(() => disk(-1)).toThrow(InvalidArgumentError);
    expect(() => disk(1.5)).toThrow(InvalidArgumentError);
  });
});

describe.each(Object.entries(OPS))('binary %s', (_name, [op, brute]) => {
  it('equals the brute-force definition for disk radii 0..15, borders included', () => {
    for (let radius = 0; radius <= 15; radius++) {
      const footprint = disk(radius);
      for (const [k, [width, height]] of SIZES.entries()) {
        for (const density of [0.15, 0.5, 0.9]) {
          const image = randomMask(width, height, 100 * radius + 10 * k + density * 10, density);
          const expected = brute(image, footprint);
          expect(op(image, { radius }).data).toEqual(expected.data);
        }
      }
    }
  });

  it('equals the brute-force definition for asymmetric footprints (the chord path)', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const footprint = randomFootprint(1 + 2 * (seed % 4), 1 + 2 * ((seed * 3) % 5), seed);
      for (const [width, height] of SIZES) {
        const image = randomMask(width, height, seed * 31 + width, 0.5);
        expect(op(image, { footprint }).data).toEqual(brute(image, footprint).data);
      }
    }
  });

  it('takes the disk path for a footprint equal to a disk, with the same result', () => {
    const image = randomMask(64, 48, 5, 0.5);
    for (const radius of [1, 4, 9]) {
      expect(op(image, { footprint: disk(radius) }).data).toEqual(op(image, { radius }).data);
    }
  });

  it('uses the cross (disk(1)) by default and leaves a mask unchanged with radius 0', () => {
    const image = randomMask(30, 20, 3, 0.5);
    expect(op(image).data).toEqual(op(image, { radius: 1 }).data);
    expect(op(image, { radius: 0 }).data).toEqual(image.data);
  });

  it('handles empty, all-background and all-foreground images', () => {
    for (const [width, height] of [
      [0, 0],
      [0, 3],
      [4, 0],
    ]) {
      const out = op({ width, height, data: new Uint8Array(0) }, { radius: 3 });
      expect(out).toEqual({ width, height, data: new Uint8Array(0) });
    }
    const zeros = { width: 9, height: 7, data: new Uint8Array(63) };
    const ones = { width: 9, height: 7, data: new Uint8Array(63).fill(1) };
    for (const radius of [0, 1, 5, 40]) {
      expect(op(zeros, { radius }).data).toEqual(zeros.data);
      // Outside counts as foreground for erosion: a full image survives any disk.
      expect(op(ones, { radius }).data).toEqual(ones.data);
    }
  });

  it('reads any nonzero pixel as foreground and writes 0/1', () => {
    const image = randomMask(25, 25, 9, 0.5);
    const scaled = { ...image, data: image.data.map((v) => v * 255) };
    expect(op(scaled, { radius: 2 }).data).toEqual(op(image, { radius: 2 }).data);
  });

  it('rejects bad footprints', () => {
    const image = randomMask(5, 5, 1);
    const even = { width: 2, height: 3, data: new Uint8Array(6).fill(1) };
    expect(() => op(image, { footprint: even })).toThrow(InvalidArgumentError);
    expect(() => op(image, { radius: -2 })).toThrow(InvalidArgumentError);
    const both = { radius: 1, footprint: disk(1) } as unknown as FootprintOptions;
    expect(() => op(image, both)).toThrow(InvalidArgumentError);
  });
});

describe('both disk methods', () => {
  it('agree with the brute-force erosion and dilation whichever is chosen', () => {
    for (let radius = 0; radius <= 15; radius++) {
      const footprint = disk(radius);
      for (const [k, [width, height]] of SIZES.entries()) {
        const image = randomMask(width, height, 7 * radius + k, 0.2 + k / 10);
        const eroded = bruteErosion(image, footprint).data;
        const dilated = bruteDilation(image, footprint).data;
        for (const method of ['runs', 'columns'] as const) {
          expect(diskReach(image, radius, false, true, method).data).toEqual(eroded);
          expect(diskReach(image, radius, true, false, method).data).toEqual(dilated);
        }
      }
    }
  });
});

describe('empty footprint', () => {
  it('erodes to all foreground and dilates to all background, as scipy', () => {
    const image = mask([
      [0, 1, 0],
      [1, 1, 0],
    ]);
    const footprint = { width: 3, height: 3, data: new Uint8Array(9) };
    expect(Array.from(binaryErosion(image, { footprint }).data)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(Array.from(binaryDilation(image, { footprint }).data)).toEqual([0, 0, 0, 0, 0, 0]);
  });
});

describe('border rule', () => {
  it('erosion keeps an object touching the border on that side; dilation does not wrap', () => {
    const image = mask([
      [1, 1, 1, 0, 0, 0],
      [1, 1, 1, 0, 0, 0],
      [1, 1, 1, 0, 0, 0],
      [0, 0, 0, 0, 0, 0],
    ]);
    expect(binaryErosion(image, { radius: 1 })).toEqual(
      mask([
        [1, 1, 0, 0, 0, 0],
        [1, 1, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0],
      ]),
    );
    expect(binaryDilation(image, { radius: 1 })).toEqual(
      mask([
        [1, 1, 1, 1, 0, 0],
        [1, 1, 1, 1, 0, 0],
        [1, 1, 1, 1, 0, 0],
        [1, 1, 1, 0, 0, 0],
      ]),
    );
  });

  it('dilation with an off-centre footprint shifts as the Minkowski sum (scipy)', () => {
    // footprint [[0, 1, 1]] (offsets 0 and +1): a pixel at column 2 grows to columns 2..3,
    // and erosion of its complement removes columns 1..2.
    const footprint = mask([[0, 1, 1]]);
    const point = mask([[0, 0, 1, 0, 0]]);
    expect(Array.from(binaryDilation(point, { footprint }).data)).toEqual([0, 0, 1, 1, 0]);
    const hole = mask([[1, 1, 0, 1, 1]]);
    expect(Array.from(binaryErosion(hole, { footprint }).data)).toEqual([1, 0, 0, 1, 1]);
  });
});
