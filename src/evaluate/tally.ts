import type { MatchingScores } from './matching.js';

/** Matching scores gathered over images, at each IoU threshold of `matchLabels`. */
export interface ScoreTally {
  tp: number[];
  fp: number[];
  fn: number[];
  /** Each image's F1, per threshold. */
  imageF1: number[][];
}

export function emptyTally(thresholds: number): ScoreTally {
  const zeros = (): number[] => new Array<number>(thresholds).fill(0);
  return {
    tp: zeros(),
    fp: zeros(),
    fn: zeros(),
    imageF1: Array.from({ length: thresholds }, () => []),
  };
}

/** Adds one image's `matchLabels` scores (one per threshold, in the tally's order). */
export function addScores(tally: ScoreTally, scores: readonly MatchingScores[]): void {
  scores.forEach((s, k) => {
    tally.tp[k] += s.tp;
    tally.fp[k] += s.fp;
    tally.fn[k] += s.fn;
    tally.imageF1[k].push(s.f1);
  });
}

/** F1 over every object of every image: 2·ΣTP / (2·ΣTP + ΣFP + ΣFN). */
export function pooledF1(tally: ScoreTally, threshold: number): number {
  const tp = tally.tp[threshold];
  return (2 * tp) / (2 * tp + tally.fp[threshold] + tally.fn[threshold]);
}

/** The mean of the images' F1, each image weighing the same however many objects it holds. */
export function meanImageF1(tally: ScoreTally, threshold: number): number {
  const f1 = tally.imageF1[threshold];
  return f1.reduce((sum, v) => sum + v, 0) / f1.length;
}
