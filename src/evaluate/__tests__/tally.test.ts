import { describe, expect, it } from 'vitest';
import type { Labels } from '../../image/types.js';
import { matchLabels } from '../matching.js';
import { addScores, emptyTally, meanImageF1, pooledF1 } from '../tally.js';

/** A 1-px-high strip of objects: `row[i]` is pixel i's label. */
const strip = (row: number[]): Labels => ({
  width: row.length,
  height: 1,
  data: Uint32Array.from(row),
});

describe('score tally', () => {
  it('pools counts over images and averages their F1, closed form', () => {
    const tally = emptyTally(2);
    // Image 1: two true objects, both found exactly: TP 2 at both thresholds, F1 1.
    addScores(
      tally,
      matchLabels(strip([1, 1, 0, 2, 2]), strip([1, 1, 0, 2, 2]), { iouThresholds: [0.5, 0.75] }),
    );
    // Image 2: the one true object (4 px) found as 3 px (IoU 0.75), plus a false object.
    // At 0.5: TP 1, FP 1, FN 0 (F1 2/3); at 0.75 the same (IoU ≥ 0.75 matches).
    addScores(
      tally,
      matchLabels(strip([5, 5, 5, 0, 0, 6]), strip([3, 3, 3, 3, 0, 0]), {
        iouThresholds: [0.5, 0.75],
      }),
    );
    expect(tally.tp).toEqual([3, 3]);
    expect(tally.fp).toEqual([1, 1]);
    expect(tally.fn).toEqual([0, 0]);
    expect(pooledF1(tally, 0)).toBeCloseTo(6 / 7, 12);
    expect(meanImageF1(tally, 0)).toBeCloseTo((1 + 2 / 3) / 2, 12);
  });

  it('weighs each image the same in the mean, each object in the pool', () => {
    const tally = emptyTally(1);
    // Ten objects all found, then one image whose single object is missed.
    const ten = strip(Array.from({ length: 20 }, (_, i) => (i % 2 ? 0 : i / 2 + 1)));
    addScores(tally, matchLabels(ten, ten));
    addScores(tally, matchLabels(strip([0, 0]), strip([1, 1])));
    expect(pooledF1(tally, 0)).toBeCloseTo(20 / 21, 12);
    expect(meanImageF1(tally, 0)).toBeCloseTo(0.5, 12);
  });
});
