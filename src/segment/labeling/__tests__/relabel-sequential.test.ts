import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../errors.js';
import type { Labels } from '../../../image/types.js';
import { relabelSequential } from '../relabel-sequential.js';

function labels(width: number, height: number, values: number[]): Labels {
  return { width, height, data: Uint32Array.from(values) };
}

describe('relabelSequential', () => {
  it('renumbers ascending labels 1..n as skimage.segmentation.relabel_sequential', () => {
    // relabel_sequential([[0, 5, 5], [9, 0, 2]]) → [[0, 2, 2], [3, 0, 1]], inverse [0, 2, 5, 9].
    const result = relabelSequential(labels(3, 2, [0, 5, 5, 9, 0, 2]));
    expect(Array.from(result.labels.data)).toEqual([0, 2, 2, 3, 0, 1]);
    expect(result.count).toBe(3);
    expect(Array.from(result.inverseMap)).toEqual([0, 2, 5, 9]);
    expect([...result.forwardMap]).toEqual([
      [0, 0],
      [2, 1],
      [5, 2],
      [9, 3],
    ]);
  });

  it('starts at offset, with zeros below it in the inverse map', () => {
    const result = relabelSequential(labels(3, 2, [0, 5, 5, 9, 0, 2]), { offset: 5 });
    expect(Array.from(result.labels.data)).toEqual([0, 6, 6, 7, 0, 5]);
    expect(Array.from(result.inverseMap)).toEqual([0, 0, 0, 0, 0, 2, 5, 9]);
  });

  it('handles ids far beyond the pixel count', () => {
    const result = relabelSequential(labels(2, 2, [4_000_000_000, 0, 7, 4_000_000_000]));
    expect(Array.from(result.labels.data)).toEqual([2, 0, 1, 2]);
    expect(Array.from(result.inverseMap)).toEqual([0, 7, 4_000_000_000]);
    expect(result.forwardMap.get(4_000_000_000)).toBe(2);
  });

  it('leaves an empty or all-background image empty', () => {
    const empty = relabelSequential(labels(0, 0, []));
    expect(empty.count).toBe(0);
    expect(Array.from(empty.inverseMap)).toEqual([0]);
    const background = relabelSequential(labels(2, 1, [0, 0]));
    expect(Array.from(background.labels.data)).toEqual([0, 0]);
    expect(background.count).toBe(0);
  });

  it('rejects an offset below 1', () => {
    expect(() => relabelSequential(labels(1, 1, [1]), { offset: 0 })).toThrow(InvalidArgumentError);
    expect(() => relabelSequential(labels(1, 1, [1]), { offset: 1.5 })).toThrow(
      InvalidArgumentError,
    );
  });
});
