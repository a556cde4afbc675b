import { loadCellposeModel } from '../cellpose/model.js';
import { segmentCellpose } from '../cellpose/segment-cellpose.js';
import { matchLabels, type MatchingScores } from '../evaluate/matching.js';
import { createStack } from '../image/stack.js';
import type { Labels, Plane } from '../image/types.js';
import { segmentNucleiClassical } from '../segment/nuclei.js';

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

export interface EvaluateMethodsOptions {
  /** `classical`, or a Cellpose model name or .pth path. */
  methods: string[];
  /** Object diameter in px given to every method; estimated when left out. */
  diameter?: number;
  iou: number[];
  download?: boolean;
  /** Threads for Cellpose's network and dynamics. @default the machine's cores */
  threads?: number;
}

export interface MethodScores {
  method: string;
  objects: number;
  seconds: number;
  scores: MatchingScores[];
}

/**
 * Segments one single-channel image with each method (classical nuclei, or Cellpose with
 * channels [0, 0]) and scores each against the truth: the side-by-side comparison
 * `cellscope evaluate --image` prints.
 */
export async function evaluateMethods(
  image: Plane,
  truth: Labels,
  options: EvaluateMethodsOptions,
): Promise<MethodScores[]> {
  const results: MethodScores[] = [];
  for (const method of options.methods) {
    const started = performance.now();
    let labels: Labels;
    if (method === 'classical') {
      labels = segmentNucleiClassical(image, { diameterPx: options.diameter }).labels;
    } else {
      const model = await loadCellposeModel(method, {
        download: options.download,
        threads: options.threads,
      });
      try {
        const result = await segmentCellpose(createStack([image]), {
          model,
          channels: [0, 0],
          diameter: options.diameter ?? 'auto',
          threads: options.threads,
        });
        labels = result.masks;
      } finally {
        await model.release();
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const scores = matchLabels(labels, truth, { iouThresholds: options.iou });
    results.push({ method, objects: scores[0]?.nPred ?? 0, seconds, scores });
  }
  return results;
}

/** One row per method: F1 (and precision, recall) at each IoU threshold, side by side. */
export function formatMethodScores(results: MethodScores[], trueObjects: number): string {
  const thresholds = results[0]?.scores.map((s) => s.iouThreshold) ?? [];
  const header = [
    'method',
    'objects',
    ...thresholds.flatMap((t) => [`F1@${t}`, `P@${t}`, `R@${t}`]),
    'mean IoU',
    'seconds',
  ];
  const rows = results.map((r) => [
    r.method,
    String(r.objects),
    ...r.scores.flatMap((s) => [s.f1.toFixed(3), s.precision.toFixed(3), s.recall.toFixed(3)]),
    (r.scores[0]?.meanMatchedIoU ?? NaN).toFixed(3),
    r.seconds.toFixed(2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [`${trueObjects} true objects`, line(header), ...rows.map(line)].join('\n');
}
