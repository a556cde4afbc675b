// One progress bar over a run's passes (nuclei, cells, measuring), with an estimate of the time
// left. Each pass reports its network's tiles, and with an 'auto' diameter a Cellpose pass runs
// the network four times (style, size, the large-object check, masks), each counting its tiles
// from 1 again (9/9, then 8/25); the bar and its text never go back.

/** Resolution of the overall bar: done out of this. */
export const PROGRESS_STEPS = 1000;

export interface Pass {
  name: string;
  /** Share of the run's time, relative to the other passes. */
  weight: number;
  /** Relative shares of the pass's network runs, in order. @default one run */
  runs?: readonly number[];
}

/** A config step: only a Cellpose one has (and may estimate) a diameter. */
interface Step {
  method: string;
  diameter?: number | 'auto';
  largeObjectCheck?: boolean;
}

/** The passes of a segmentation run; a Cellpose pass takes far longer than a classical one. */
export function segmentationPasses(config: { nuclei: Step; cells: Step }): Pass[] {
  const pass = (name: string, step: Step): Pass => {
    if (step.method !== 'cellpose') return { name, weight: 1 };
    if (step.diameter !== 'auto') return { name, weight: 10, runs: [1] };
    // The size model's style pass (untiled scale), masks at its guess, the large-object check at
    // half that resolution (more runs only where it follows large objects), then the run.
    return { name, weight: 10, runs: step.largeObjectCheck === false ? [1, 2, 2] : [1, 2, 0.5, 2] };
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
 * grows: a pass's report places it within that pass's share after the earlier passes'. A pass's
 * `done` of 0 marks its start; a report after one with `done === total` starts its next network
 * run. An unknown pass name keeps the bar where it is. Once a twentieth is done, the step text
 * ends with the time left at the pace so far.
 */
export function overallProgress(
  passes: readonly Pass[],
  report: (step: string, done: number, total: number) => void,
  options: OverallProgressOptions = {},
): (pass: string, step: string, done: number, total: number) => void {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const sum = passes.reduce((s, p) => s + p.weight, 0) || 1;
  const runs = passes.map(() => ({ finished: 0, complete: false }));
  let shown = 0;
  return (pass, step, done, total) => {
    const index = passes.findIndex((p) => p.name === pass);
    let text = step;
    if (index >= 0) {
      const { weight, runs: shares = [1] } = passes[index];
      const state = runs[index];
      if (done > 0 && state.complete) {
        state.finished += 1;
        state.complete = false;
      }
      if (total > 0 && done >= total) state.complete = true;
      const within = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
      const shareSum = shares.reduce((s, w) => s + w, 0);
      const run = Math.min(state.finished, shares.length);
      const finishedShare = shares.slice(0, run).reduce((s, w) => s + w, 0);
      const passFraction = Math.min(1, (finishedShare + within * (shares[run] ?? 0)) / shareSum);
      const before = passes.slice(0, index).reduce((s, p) => s + p.weight, 0);
      shown = Math.max(
        shown,
        Math.round(((before + passFraction * weight) / sum) * PROGRESS_STEPS),
      );
      // Runs beyond the expected ones (a followed large object) count as the last.
      const shownRun = Math.min(run + 1, shares.length);
      if (shares.length > 1 && done > 0) text += ` (network ${shownRun} of ${shares.length})`;
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
