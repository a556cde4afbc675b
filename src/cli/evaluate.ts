import type { MatchingScores } from '../evaluate/matching.js';

/** Human-readable `cellscope evaluate` output: one row per IoU threshold. */
export function formatMatching(scores: MatchingScores[]): string {
  const header = ['IoU ≥', 'TP', 'FP', 'FN', 'precision', 'recall', 'F1', 'mean IoU', 'PQ'];
  const rows = scores.map((s) => [
    String(s.iouThreshold),
    String(s.tp),
    String(s.fp),
    String(s.fn),
    s.precision.toFixed(3),
    s.recall.toFixed(3),
    s.f1.toFixed(3),
    s.meanMatchedIoU.toFixed(3),
    s.panopticQuality.toFixed(3),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padStart(widths[i])).join('  ');
  const first = scores[0];
  return [
    `${first?.nPred ?? 0} predicted objects, ${first?.nTrue ?? 0} true objects`,
    line(header),
    ...rows.map(line),
  ].join('\n');
}
