// One progress bar over a run's passes (nuclei, cells, measuring): each pass reports its own
// done/total, which starts again at 0 (9/9 nuclei tiles, then 0/25 cell tiles); the bar never does.
import type { AnalysisConfig } from 'cellscope/browser';

/** Resolution of the overall bar: done out of this. */
export const PROGRESS_STEPS = 1000;

export interface Pass {
  name: string;
  /** Share of the run's time, relative to the other passes. */
  weight: number;
}

/** The passes of a segmentation run; a Cellpose pass takes far longer than a classical one. */
export function segmentationPasses(config: Pick<AnalysisConfig, 'nuclei' | 'cells'>): Pass[] {
  const weight = (method: string) => (method === 'cellpose' ? 10 : 1);
  return [
    { name: 'nuclei', weight: weight(config.nuclei.method) },
    { name: 'cells', weight: weight(config.cells.method) },
    { name: 'measuring', weight: 1 },
  ];
}

/**
 * Turns per-pass progress into overall progress, `done` of {@link PROGRESS_STEPS}, that only
 * grows: a pass's report places it within that pass's share after the earlier passes'.
 * An unknown pass name keeps the bar where it is.
 */
export function overallProgress(
  passes: readonly Pass[],
  report: (step: string, done: number, total: number) => void,
): (pass: string, step: string, done: number, total: number) => void {
  const sum = passes.reduce((s, p) => s + p.weight, 0) || 1;
  let shown = 0;
  return (pass, step, done, total) => {
    const index = passes.findIndex((p) => p.name === pass);
    if (index >= 0) {
      const before = passes.slice(0, index).reduce((s, p) => s + p.weight, 0);
      const within = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
      const fraction = (before + within * passes[index].weight) / sum;
      shown = Math.max(shown, Math.round(fraction * PROGRESS_STEPS));
    }
    report(step, shown, PROGRESS_STEPS);
  };
}
