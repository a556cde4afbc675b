import { describe, expect, it } from 'vitest';
import { HAS_SHARED, readSharedBytes } from '../../../test/shared.js';
import type { Labels } from '../../image/types.js';
import { decodeTiffArray } from '../../io/tiff/read.js';
import { seededRandom } from '../../synth/random.js';
import { minCostAssignment } from '../assignment.js';
import { matchLabels } from '../matching.js';

/** A label image with axis-aligned rectangles [label, top, left, height, width]. */
function rectangles(width: number, height: number, boxes: number[][]): Labels {
  const data = new Uint32Array(width * height);
  for (const [label, top, left, h, w] of boxes) {
    for (let y = top; y < top + h; y++) data.fill(label, y * width + left, y * width + left + w);
  }
  return { width, height, data };
}

describe('matchLabels', () => {
  it('scores a shifted square with its closed-form IoU', () => {
    // 10×10 squares shifted by 2 columns: intersection 80, union 120, IoU 2/3.
    const truth = rectangles(30, 30, [[1, 5, 5, 10, 10]]);
    const pred = rectangles(30, 30, [
      [7, 5, 7, 10, 10],
      [9, 20, 20, 3, 3],
    ]);
    const [at50, at75] = matchLabels(pred, truth, { iouThresholds: [0.5, 0.75] });
    expect(at50).toMatchObject({
      nPred: 2,
      nTrue: 1,
      tp: 1,
      fp: 1,
      fn: 0,
      precision: 0.5,
      recall: 1,
    });
    expect(at50.f1).toBeCloseTo(2 / 3, 12);
    expect(at50.meanMatchedIoU).toBeCloseTo(2 / 3, 12);
    expect(at50.matches).toEqual([{ pred: 7, truth: 1, iou: at50.meanMatchedIoU }]);
    expect(at75).toMatchObject({ tp: 0, fp: 2, fn: 1, f1: 0, meanMatchedIoU: 0 });
  });

  it('maximises the number of matches below IoU 0.5, where greedy picking fails', () => {
    // Pred 1 overlaps truth 2 best (IoU 4/12) and truth 1 less (4/14); pred 2 only truth 2 (2/8).
    // Greedy by IoU pairs pred 1 with truth 2 and leaves one match; the optimum has two.
    const truth = rectangles(16, 2, [
      [1, 0, 0, 1, 10],
      [2, 0, 10, 2, 4],
    ]);
    const pred = rectangles(16, 2, [
      [1, 0, 6, 1, 8],
      [2, 1, 10, 1, 2],
    ]);
    const [scores] = matchLabels(pred, truth, { iouThresholds: [0.25] });
    expect(scores.tp).toBe(2);
    expect(scores.matches).toEqual([
      { pred: 1, truth: 1, iou: 4 / 14 },
      { pred: 2, truth: 2, iou: 2 / 8 },
    ]);
  });

  it('gives perfect scores for an image against itself and zeros for an empty prediction', () => {
    const truth = rectangles(20, 20, [
      [3, 0, 0, 4, 4],
      [5, 10, 10, 5, 2],
    ]);
    expect(matchLabels(truth, truth)[0]).toMatchObject({
      tp: 2,
      f1: 1,
      meanMatchedIoU: 1,
      panopticQuality: 1,
    });
    const empty = rectangles(20, 20, []);
    expect(matchLabels(empty, truth)[0]).toMatchObject({
      tp: 0,
      fn: 2,
      f1: 0,
      precision: 0,
      recall: 0,
    });
  });

  it.skipIf(!HAS_SHARED)('matches the 65 manually labelled dsb2018 nuclei to themselves', () => {
    const labels = decodeTiffArray(readSharedBytes('data/dsb2018-nuclei-256/labels.tif'));
    const truth: Labels = { width: 256, height: 256, data: Uint32Array.from(labels.data) };
    expect(matchLabels(truth, truth)[0]).toMatchObject({ nTrue: 65, tp: 65, f1: 1 });
  });
});

describe('minCostAssignment', () => {
  it('finds the optimum of small random problems (checked by brute force)', () => {
    const random = seededRandom(3);
    for (let trial = 0; trial < 200; trial++) {
      const rows = 1 + Math.floor(random() * 4);
      const cols = rows + Math.floor(random() * 3);
      const cost = Float64Array.from({ length: rows * cols }, () => Math.round(random() * 20) - 10);
      const assignment = minCostAssignment(cost, rows, cols);
      expect(new Set(assignment).size).toBe(rows);
      const total = Array.from(assignment).reduce((s, c, r) => s + cost[r * cols + c], 0);
      expect(total).toBe(bruteForceMinimum(cost, rows, cols));
    }
  });
});

function bruteForceMinimum(cost: Float64Array, rows: number, cols: number): number {
  let best = Infinity;
  const used = new Array<boolean>(cols).fill(false);
  const visit = (row: number, sum: number): void => {
    if (row === rows) {
      best = Math.min(best, sum);
      return;
    }
    for (let c = 0; c < cols; c++) {
      if (used[c]) continue;
      used[c] = true;
      visit(row + 1, sum + cost[row * cols + c]);
      used[c] = false;
    }
  };
  visit(0, 0);
  return best;
}
