import { InvalidArgumentError } from '../errors.js';
import type { Labels } from '../image/types.js';

/** Pixel counts of every (predicted, true) label pair that overlaps, and each label's area. */
export interface LabelOverlap {
  /** Sorted distinct non-zero labels of each image. */
  predLabels: number[];
  trueLabels: number[];
  predArea: Map<number, number>;
  trueArea: Map<number, number>;
  /** Overlapping pairs: `intersection[k]` pixels are `predLabel[k]` in one image and `trueLabel[k]` in the other. */
  pairs: { pred: number; truth: number; intersection: number }[];
}

/** Counts overlaps in one pass over the pixels (sparse: only pairs that actually touch). */
export function labelOverlap(pred: Labels, truth: Labels): LabelOverlap {
  if (pred.width !== truth.width || pred.height !== truth.height) {
    throw new InvalidArgumentError(
      `label images differ in size: ${pred.width}×${pred.height} vs ${truth.width}×${truth.height}`,
    );
  }
  const predArea = new Map<number, number>();
  const trueArea = new Map<number, number>();
  // Keyed per predicted label: a small Map of true label → count avoids string keys in the hot loop.
  const byPred = new Map<number, Map<number, number>>();
  const p = pred.data;
  const t = truth.data;
  for (let i = 0; i < p.length; i++) {
    const a = p[i];
    const b = t[i];
    if (a !== 0) predArea.set(a, (predArea.get(a) ?? 0) + 1);
    if (b !== 0) trueArea.set(b, (trueArea.get(b) ?? 0) + 1);
    if (a !== 0 && b !== 0) {
      let row = byPred.get(a);
      if (!row) byPred.set(a, (row = new Map()));
      row.set(b, (row.get(b) ?? 0) + 1);
    }
  }
  const pairs: LabelOverlap['pairs'] = [];
  for (const [predLabel, row] of byPred) {
    for (const [trueLabel, intersection] of row)
      pairs.push({ pred: predLabel, truth: trueLabel, intersection });
  }
  pairs.sort((x, y) => x.pred - y.pred || x.truth - y.truth);
  return {
    predLabels: [...predArea.keys()].sort((x, y) => x - y),
    trueLabels: [...trueArea.keys()].sort((x, y) => x - y),
    predArea,
    trueArea,
    pairs,
  };
}
