// One progress bar over a run's passes (nuclei, cells, measuring), with an estimate of the time
// left. Each pass reports its network's tiles, and with an 'auto' diameter a Cellpose pass runs
// the network four times or more (style, size, the large-object check, masks), each counting its
// tiles from 1 again (9/9, then 8/25) and naming its stage; the bar and its text never go back.
import type { CellposeStage } from 'cellscope/browser';

/** Resolution of the overall bar: done out of this. */
export const PROGRESS_STEPS = 1000;

/** One network run of a pass, and its share of the pass's time relative to the others. */
export interface Stage {
  stage: CellposeStage;
  share: number;
}

export interface Pass {
  name: string;
  /** Share of the run's time, relative to the other passes. */
  weight: number;
  /** The pass's network runs, in order. @default one run */
  stages?: readonly Stage[];
}

/** A config step: only a Cellpose one has (and may estimate) a diameter. */
interface Step {
  method: string;
  diameter?: number | 'auto';
  largeObjectCheck?: boolean;
}

/** The passes of a segmentation run; a Cellpose pass takes far longer than a classical one. */
export function segmentationPasses(config: { nuclei: Step; cells: Step }): Pass[] {
  const masks: Stage = { stage: 'masks', share: 2 };
  const pass = (name: string, step: Step): Pass => {
    if (step.method !== 'cellpose') return { name, weight: 1 };
    if (step.diameter !== 'auto') return { name, weight: 10, stages: [masks] };
    // The size model's style pass (untiled scale), masks at its guess, the large-object check at
    // half that resolution (its further runs, where it follows large objects, share its part),
    // then the run.
    const check: Stage[] =
      step.largeObjectCheck === false ? [] : [{ stage: 'large-objects', share: 0.5 }];
    const stages: Stage[] = [
      { stage: 'style', share: 1 },
      { stage: 'size', share: 2 },
      ...check,
      masks,
    ];
    return { name, weight: 10, stages };
  };
  return [
    pass('nuclei', config.nuclei),
    pass('cells', config.cells),
    { name: 'measuring', weight: 1 },
  ];
}

export interface OverallProgressOptions {
  /** The clock, in ms. @default performance.now */
  now?: () => number;
}

/**
 * Turns per-pass progress into overall progress, `done` of {@link PROGRESS_STEPS}, that only
 * grows: a pass's report places it within its stage's share of that pass, after the earlier
 * passes and stages. A report without a stage, or with one the pass does not list, counts in
 * the pass's first stage. An unknown pass name keeps the bar where it is. Once a twentieth is
 * done, the step text ends with the time left at the pace so far.
 */
export function overallProgress(
  passes: readonly Pass[],
  report: (step: string, done: number, total: number) => void,
  options: OverallProgressOptions = {},
): (pass: string, step: string, done: number, total: number, stage?: CellposeStage) => void {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const sum = passes.reduce((s, p) => s + p.weight, 0) || 1;
  let shown = 0;
  return (pass, step, done, total, stage) => {
    const index = passes.findIndex((p) => p.name === pass);
    let text = step;
    if (index >= 0) {
      const { weight, stages = [] } = passes[index];
      const run = Math.max(
        0,
        stages.findIndex((s) => s.stage === stage),
      );
      const within = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
      const shares = stages.length > 0 ? stages.map((s) => s.share) : [1];
      const shareSum = shares.reduce((s, w) => s + w, 0);
      const finishedShare = shares.slice(0, run).reduce((s, w) => s + w, 0);
      const passFraction = (finishedShare + within * shares[run]) / shareSum;
      const before = passes.slice(0, index).reduce((s, p) => s + p.weight, 0);
      shown = Math.max(
        shown,
        Math.round(((before + passFraction * weight) / sum) * PROGRESS_STEPS),
      );
      if (stages.length > 1 && done > 0) text += ` (network ${run + 1} of ${stages.length})`;
    }
    const left = timeLeft(shown / PROGRESS_STEPS, now() - started);
    report(left ? `${text} · ${left}` : text, shown, PROGRESS_STEPS);
  };
}

/** "about 40 s left" at the pace so far; nothing before a twentieth is done or a second gone. */
function timeLeft(fraction: number, elapsedMs: number): string | undefined {
  if (fraction < 0.05 || fraction >= 1 || elapsedMs < 1000) return undefined;
  const seconds = (elapsedMs * (1 - fraction)) / fraction / 1000;
  if (seconds < 60) return `about ${Math.max(1, Math.round(seconds))} s left`;
  return `about ${Math.round(seconds / 60)} min left`;
}
