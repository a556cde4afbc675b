import { describe, expect, it } from 'vitest';
import { countedCases, HAS_SHARED } from '../../../../test/shared.js';
import {
  argument,
  loadInput,
  loadOutput,
  scalarOutput,
  skimageCases,
  npyPlane as asPlane,
} from '../../../../test/skimage-fixtures.js';
import { InvalidArgumentError } from '../../../errors.js';
import type { Plane } from '../../../image/types.js';
import { seededRandom } from '../../../synth/random.js';
import { bruteLabel, randomMask } from '../../morphology/__tests__/brute-force.js';
import { label } from '../label.js';

function plane(rows: number[][]): Plane<Uint8Array> {
  return { width: rows[0]?.length ?? 0, height: rows.length, data: Uint8Array.from(rows.flat()) };
}

describe.skipIf(!HAS_SHARED)('label matches skimage.measure.label 0.19.3', () => {
  const cases = countedCases(
    skimageCases('morphology').filter((c) => c.function === 'skimage.measure.label'),
    3,
    'label',
  );

  it('has the three cases', () => {
    expect(cases.map((c) => c.id).sort()).toEqual([
      'morphology/label_int_image_conn1',
      'morphology/label_mask_conn1',
      'morphology/label_mask_conn2',
    ]);
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    expect(argument(c, 'background')).toBeNull();
    const connectivity = argument<1 | 2>(c, 'connectivity');
    const { labels, count } = label(asPlane(loadInput(c, 'label_image')), { connectivity });
    const expected = loadOutput(c, 'labels');
    expect([labels.height, labels.width]).toEqual(expected.shape);
    expect(count).toBe(scalarOutput(c, 'num'));
    // Identical numbering, pixel for pixel (int32 or int64 reference).
    const reference = Array.from(expected.data as ArrayLike<number | bigint>, Number);
    expect(Array.from(labels.data)).toEqual(reference);
  });
});

describe('label', () => {
  it('numbers components in raster order of their first pixel', () => {
    const image = plane([
      [0, 0, 0, 1, 1],
      [1, 0, 0, 0, 1],
      [1, 0, 1, 0, 1],
      [0, 1, 0, 0, 1],
    ]);
    expect(Array.from(label(image, { connectivity: 1 }).labels.data)).toEqual([
      0, 0, 0, 1, 1, 2, 0, 0, 0, 1, 2, 0, 3, 0, 1, 0, 4, 0, 0, 1,
    ]);
    // With corners, (2, 2) meets the left object only through (3, 1), a row later.
    const eight = label(image);
    expect(eight.count).toBe(2);
    expect(Array.from(eight.labels.data)).toEqual([
      0, 0, 0, 1, 1, 2, 0, 0, 0, 1, 2, 0, 2, 0, 1, 0, 2, 0, 0, 1,
    ]);
  });

  it('joins a U shape whose arms meet only at the bottom, numbered by its first pixel', () => {
    // The right arm starts a run first seen as a separate component; the merge must keep label 1.
    const image = plane([
      [1, 0, 1, 0, 1],
      [1, 0, 1, 0, 1],
      [1, 1, 1, 0, 1],
      [0, 0, 0, 0, 0],
    ]);
    const { labels, count } = label(image);
    expect(count).toBe(2);
    expect(Array.from(labels.data)).toEqual([
      1, 0, 1, 0, 2, 1, 0, 1, 0, 2, 1, 1, 1, 0, 2, 0, 0, 0, 0, 0,
    ]);
  });

  it('separates touching pixels of different values in an integer image', () => {
    const image: Plane = { width: 4, height: 2, data: Int32Array.from([5, 5, 7, 0, -2, 5, 7, 7]) };
    const { labels, count } = label(image, { connectivity: 1 });
    expect(count).toBe(3);
    expect(Array.from(labels.data)).toEqual([1, 1, 2, 0, 3, 1, 2, 2]);
  });

  it('treats the given background value as background', () => {
    const image = plane([
      [1, 1, 0],
      [0, 1, 0],
    ]);
    const { labels, count } = label(image, { background: 1, connectivity: 1 });
    expect(count).toBe(2);
    expect(Array.from(labels.data)).toEqual([0, 0, 1, 2, 0, 1]);
  });

  it.each([
    ['random masks', 1],
    ['random masks', 2],
  ] as const)('agrees with a flood fill on %s, connectivity %i', (_what, connectivity) => {
    for (let seed = 1; seed <= 40; seed++) {
      const width = 1 + ((seed * 7) % 53);
      const height = 1 + ((seed * 11) % 47);
      const mask = randomMask(width, height, seed, 0.2 + (seed % 7) / 10);
      const expected = bruteLabel(mask, connectivity);
      const actual = label(mask, { connectivity });
      expect(actual.count).toBe(expected.count);
      expect(actual.labels.data).toEqual(expected.labels.data);
    }
  });

  it.each([1, 2] as const)(
    'agrees with a flood fill on random uint16 images, connectivity %i',
    (c) => {
      for (let seed = 1; seed <= 30; seed++) {
        const random = seededRandom(seed);
        const width = 1 + ((seed * 13) % 41);
        const height = 1 + ((seed * 5) % 37);
        const data = new Uint16Array(width * height);
        // Few values, so equal neighbours are common and runs of different values abut.
        for (let i = 0; i < data.length; i++) data[i] = Math.floor(random() * 4) * 1000;
        const image: Plane = { width, height, data };
        for (const background of [0, 1000, 7]) {
          const expected = bruteLabel(image, c, background);
          const actual = label(image, { connectivity: c, background });
          expect(actual.count).toBe(expected.count);
          expect(actual.labels.data).toEqual(expected.labels.data);
        }
      }
    },
  );

  it('scans uint8 images a word at a time correctly at every alignment and background', () => {
    for (let seed = 1; seed <= 24; seed++) {
      const random = seededRandom(seed);
      const width = 3 + ((seed * 17) % 45);
      const height = 2 + ((seed * 7) % 23);
      // Long runs of a few values, so whole words repeat, starting at byte offsets 0..3.
      const shift = seed % 4;
      const buffer = new Uint8Array(width * height + shift);
      let value = 0;
      for (let i = shift; i < buffer.length; i++) {
        if (random() < 0.15) value = [0, 1, 2, 255][Math.floor(random() * 4)];
        buffer[i] = value;
      }
      const image: Plane = { width, height, data: buffer.subarray(shift) };
      for (const background of [0, 255, 2, -1, 300]) {
        for (const connectivity of [1, 2] as const) {
          const expected = bruteLabel(image, connectivity, background);
          const actual = label(image, { connectivity, background });
          expect(actual.count).toBe(expected.count);
          expect(actual.labels.data).toEqual(expected.labels.data);
        }
      }
    }
  });

  it('handles a checkerboard (one run per pixel, more runs than the first guess)', () => {
    const width = 301;
    const height = 257;
    const data = new Uint8Array(width * height).map((_, i) =>
      (Math.floor(i / width) + (i % width)) % 2 === 0 ? 1 : 0,
    );
    const image = { width, height, data };
    expect(label(image, { connectivity: 2 }).count).toBe(1);
    const four = label(image, { connectivity: 1 });
    expect(four.count).toBe((width * height + 1) / 2);
    expect(four.labels.data).toEqual(bruteLabel(image, 1).labels.data);
  });

  describe('degenerate images', () => {
    it('0 × 0, 0 × 5 and 5 × 0 give no components', () => {
      for (const [width, height] of [
        [0, 0],
        [0, 5],
        [5, 0],
      ]) {
        const { labels, count } = label({ width, height, data: new Uint8Array(0) });
        expect(count).toBe(0);
        expect(labels).toMatchObject({ width, height });
        expect(labels.data.length).toBe(0);
      }
    });

    it('1 × 1', () => {
      expect(label(plane([[0]])).count).toBe(0);
      const one = label(plane([[1]]));
      expect(one.count).toBe(1);
      expect(Array.from(one.labels.data)).toEqual([1]);
    });

    it('1 × N and N × 1', () => {
      const row = plane([[1, 1, 0, 1, 0, 0, 1, 1, 1]]);
      expect(Array.from(label(row).labels.data)).toEqual([1, 1, 0, 2, 0, 0, 3, 3, 3]);
      const column = { width: 1, height: 9, data: row.data };
      expect(Array.from(label(column).labels.data)).toEqual([1, 1, 0, 2, 0, 0, 3, 3, 3]);
    });

    it('all background and all foreground', () => {
      const empty = label({ width: 6, height: 4, data: new Uint8Array(24) });
      expect(empty.count).toBe(0);
      expect(empty.labels.data.every((v) => v === 0)).toBe(true);
      const full = label({ width: 6, height: 4, data: new Uint8Array(24).fill(1) });
      expect(full.count).toBe(1);
      expect(full.labels.data.every((v) => v === 1)).toBe(true);
    });
  });

  it('rejects float images and bad connectivity', () => {
    const float = { width: 1, height: 1, data: new Float32Array(1) };
    expect(() => label(float)).toThrow(InvalidArgumentError);
    expect(() => label(plane([[1]]), { connectivity: 3 as 1 })).toThrow(InvalidArgumentError);
  });
});
