import { InvalidArgumentError } from '../errors.js';
import type { Labels } from '../image/types.js';
import { minCostAssignment } from './assignment.js';
import { labelOverlap } from './overlap.js';

/** Detection scores at one IoU threshold (the definitions of StarDist's `matching`). */
export interface MatchingScores {
  iouThreshold: number;
  nPred: number;
  nTrue: number;
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  /** 2·TP / (2·TP + FP + FN). */
  f1: number;
  /** TP / (TP + FP + FN), the "average precision" of the 2018 Data Science Bowl. */
  accuracy: number;
  /** Mean IoU of the matched pairs. */
  meanMatchedIoU: number;
  /** Sum of matched IoUs / number of true objects. */
  meanTrueScore: number;
  /** Panoptic quality: sum of matched IoUs / (TP + FP/2 + FN/2). */
  panopticQuality: number;
  /** The matched pairs, by predicted label. */
  matches: { pred: number; truth: number; iou: number }[];
}

export interface MatchingOptions {
  /** IoU thresholds a pair must reach (≥) to count as a match. @default [0.5] */
  iouThresholds?: readonly number[];
}

/**
 * Matches predicted objects to true ones one-to-one at each IoU threshold: as many matches as
 * possible, ties broken by the larger total IoU (StarDist's rule; unique above 0.5 anyway).
 */
export function matchLabels(
  pred: Labels,
  truth: Labels,
  options: MatchingOptions = {},
): MatchingScores[] {
  const thresholds = options.iouThresholds ?? [0.5];
  for (const t of thresholds) {
    if (!(t > 0 && t <= 1))
      throw new InvalidArgumentError(`IoU threshold must be in (0, 1], got ${t}`);
  }
  const overlap = labelOverlap(pred, truth);
  const scored = overlap.pairs.map(({ pred: p, truth: t, intersection }) => ({
    pred: p,
    truth: t,
    iou:
      intersection /
      ((overlap.predArea.get(p) ?? 0) + (overlap.trueArea.get(t) ?? 0) - intersection),
  }));
  const nPred = overlap.predLabels.length;
  const nTrue = overlap.trueLabels.length;
  return thresholds.map((iouThreshold) => {
    const matches = assign(scored.filter((s) => s.iou >= iouThreshold));
    const tp = matches.length;
    const fp = nPred - tp;
    const fn = nTrue - tp;
    const iouSum = matches.reduce((sum, m) => sum + m.iou, 0);
    const ratio = (a: number, b: number): number => (b > 0 ? a / b : 0);
    return {
      iouThreshold,
      nPred,
      nTrue,
      tp,
      fp,
      fn,
      precision: ratio(tp, tp + fp),
      recall: ratio(tp, tp + fn),
      f1: ratio(2 * tp, 2 * tp + fp + fn),
      accuracy: ratio(tp, tp + fp + fn),
      meanMatchedIoU: ratio(iouSum, tp),
      meanTrueScore: ratio(iouSum, nTrue),
      panopticQuality: ratio(iouSum, tp + fp / 2 + fn / 2),
      matches,
    };
  });
}

type Pair = { pred: number; truth: number; iou: number };

/** One-to-one matching of candidate pairs, solved separately per connected group of candidates. */
function assign(candidates: Pair[]): Pair[] {
  const groups = connectedGroups(candidates);
  const matches: Pair[] = [];
  for (const group of groups) {
    if (group.length === 1) {
      matches.push(group[0]);
      continue;
    }
    const preds = [...new Set(group.map((g) => g.pred))];
    const truths = [...new Set(group.map((g) => g.truth))];
    const transpose = preds.length > truths.length;
    const rows = transpose ? truths : preds;
    const cols = transpose ? preds : truths;
    // Cost favours more matches first (−1 each), then more IoU (< 1 in total per match count).
    const cost = new Float64Array(rows.length * cols.length);
    const scale = 2 * rows.length;
    for (const pair of group) {
      const r = rows.indexOf(transpose ? pair.truth : pair.pred);
      const c = cols.indexOf(transpose ? pair.pred : pair.truth);
      cost[r * cols.length + c] = -1 - pair.iou / scale;
    }
    const assignment = minCostAssignment(cost, rows.length, cols.length);
    assignment.forEach((c, r) => {
      if (c < 0) return;
      const p = transpose ? cols[c] : rows[r];
      const t = transpose ? rows[r] : cols[c];
      const pair = group.find((g) => g.pred === p && g.truth === t);
      if (pair) matches.push(pair);
    });
  }
  return matches.sort((a, b) => a.pred - b.pred);
}

/** Splits candidate pairs into groups that share no predicted or true label with other groups. */
function connectedGroups(pairs: Pair[]): Pair[][] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root) as string;
    parent.set(x, root);
    return root;
  };
  for (const { pred, truth } of pairs) {
    const a = `p${pred}`;
    const b = `t${truth}`;
    if (!parent.has(a)) parent.set(a, a);
    if (!parent.has(b)) parent.set(b, b);
    parent.set(find(a), find(b));
  }
  const groups = new Map<string, Pair[]>();
  for (const pair of pairs) {
    const root = find(`p${pair.pred}`);
    const group = groups.get(root);
    if (group) group.push(pair);
    else groups.set(root, [pair]);
  }
  return [...groups.values()];
}
