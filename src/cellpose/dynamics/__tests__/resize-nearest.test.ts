import { describe, expect, it } from 'vitest';
import { HAS_SHARED } from '../../../../test/shared.js';
import { InvalidArgumentError } from '../../../errors.js';
import { resizeNearest } from '../resize-nearest.js';
import { countDiffering, labelsOf, manifest, npy } from './fixtures.js';

describe.skipIf(!HAS_SHARED)('resizeNearest against OpenCV 4.6 INTER_NEAREST fixtures', () => {
  const resize = manifest().transforms.resize;
  for (const key of ['labels_up_61x89', 'labels_down_19x27']) {
    it(`${key}, pixel for pixel`, () => {
      const source = labelsOf(npy(resize.labels));
      const expected = labelsOf(npy(resize[key]));
      const out = resizeNearest(source, expected.height, expected.width);
      expect([out.height, out.width]).toEqual(resize[key].shape);
      expect(countDiffering(out.data, expected.data)).toBe(0);
    });
  }
});

describe('resizeNearest in closed form', () => {
  const labels = { width: 3, height: 2, data: Uint32Array.from([1, 2, 3, 4, 5, 6]) };

  it('repeats pixels when enlarging by an integer factor', () => {
    const out = resizeNearest(labels, 4, 6);
    expect(Array.from(out.data)).toEqual([
      1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 4, 4, 5, 5, 6, 6,
    ]);
  });

  it('takes the top-left source pixel of each block when shrinking (legacy, not centred)', () => {
    const out = resizeNearest(labels, 1, 2);
    // x · (1 / (2 / 3)) = 0, 1.5 → columns 0 and 1.
    expect(Array.from(out.data)).toEqual([1, 2]);
  });

  it('rejects a bad size', () => {
    expect(() => resizeNearest(labels, 0, 2)).toThrow(InvalidArgumentError);
    expect(() => resizeNearest(labels, 2.5, 2)).toThrow(InvalidArgumentError);
  });
});
