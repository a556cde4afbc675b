import { describe, expect, it } from 'vitest';
import {
  argument,
  loadInput,
  loadOutput,
  skimageCases,
  type SkimageCase,
  npyLabels,
} from '../../../../test/skimage-fixtures.js';
import { countedCases, HAS_SHARED } from '../../../../test/shared.js';
import { InvalidArgumentError } from '../../../errors.js';
import type { Labels } from '../../../image/types.js';
import { expandLabels } from '../expand-labels.js';

const expandCases = countedCases(
  skimageCases('labels').filter((c) => c.function === 'skimage.segmentation.expand_labels'),
  6,
  'expand_labels',
);

function fixtureLabels(c: SkimageCase, name: string): Labels {
  return npyLabels(loadInput(c, name));
}

function differingPixels(a: ArrayLike<number>, b: ArrayLike<number>, width: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) out.push(`(${Math.floor(i / width)}, ${i % width}): ${a[i]} vs ${b[i]}`);
  }
  return out;
}

describe.skipIf(!HAS_SHARED)('expandLabels against skimage.segmentation.expand_labels', () => {
  // distances 1, 3 and 10 on both scenes.
  for (const c of expandCases) {
    // `equidistant_pixels` counts pixels decided by SciPy's tie-breaking: they must match too.
    it(`${c.id} (${String(c.equidistant_pixels)} equidistant pixels)`, () => {
      const labels = fixtureLabels(c, 'label_image');
      const expected = loadOutput(c, 'result').data as Int32Array;
      const result = expandLabels(labels, { distance: argument<number>(c, 'distance') });
      expect(result.width).toBe(labels.width);
      expect(result.height).toBe(labels.height);
      expect(differingPixels(result.data, expected, labels.width)).toEqual([]);
    });
  }
});

describe('expandLabels', () => {
  /** Two single pixels 6 columns apart on one row of 9 × 1. */
  const pair: Labels = { width: 9, height: 1, data: Uint32Array.of(0, 3, 0, 0, 0, 0, 0, 9, 0) };

  it('grows each label by at most the distance', () => {
    expect([...expandLabels(pair).data]).toEqual([3, 3, 3, 0, 0, 0, 9, 9, 9]);
    expect([...expandLabels(pair, { distance: 2 }).data]).toEqual([3, 3, 3, 3, 0, 9, 9, 9, 9]);
  });

  it('gives a pixel equally near two labels to the earlier one, as SciPy’s indices do', () => {
    // Column 4 is 3 px from both: SciPy's row pass keeps the earlier column.
    expect([...expandLabels(pair, { distance: 3 }).data]).toEqual([3, 3, 3, 3, 3, 9, 9, 9, 9]);
  });

  it('fills everything with distance Infinity and nothing with distance 0', () => {
    expect([...expandLabels(pair, { distance: Infinity }).data]).toEqual([
      3, 3, 3, 3, 3, 9, 9, 9, 9,
    ]);
    expect([...expandLabels(pair, { distance: 0 }).data]).toEqual([...pair.data]);
  });

  it('uses Euclidean distance: a diagonal step is √2', () => {
    const dot: Labels = { width: 3, height: 3, data: Uint32Array.of(0, 0, 0, 0, 5, 0, 0, 0, 0) };
    expect([...expandLabels(dot, { distance: 1 }).data]).toEqual([0, 5, 0, 5, 5, 5, 0, 5, 0]);
    expect([...expandLabels(dot, { distance: Math.SQRT2 }).data]).toEqual(Array(9).fill(5));
  });

  it('never overwrites labelled pixels', () => {
    const touching: Labels = { width: 4, height: 1, data: Uint32Array.of(1, 1, 2, 2) };
    expect([...expandLabels(touching, { distance: 10 }).data]).toEqual([1, 1, 2, 2]);
  });

  it('returns an empty image for empty input and for an image without labels', () => {
    expect(expandLabels({ width: 0, height: 0, data: new Uint32Array(0) })).toEqual({
      width: 0,
      height: 0,
      data: new Uint32Array(0),
    });
    const blank = expandLabels({ width: 3, height: 2, data: new Uint32Array(6) }, { distance: 5 });
    expect([...blank.data]).toEqual([0, 0, 0, 0, 0, 0]);
    const one = expandLabels({ width: 1, height: 1, data: Uint32Array.of(4) });
    expect([...one.data]).toEqual([4]);
  });

  it('rejects a negative or NaN distance', () => {
    expect(() => expandLabels(pair, { distance: -1 })).toThrow(InvalidArgumentError);
    expect(() => expandLabels(pair, { distance: NaN })).toThrow(InvalidArgumentError);
  });
});
