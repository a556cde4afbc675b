/**
 * Cellpose 3's `eval` defaults (flow_threshold, cellprob_threshold, min_size): the one source for
 * the dynamics, the analysis config, the CLI and the app.
 */
export const CELLPOSE_DEFAULTS = {
  /** Largest flow error a mask may have (`remove_bad_flow_masks`). */
  flowThreshold: 0.4,
  /** Foreground is `cellprob >` this logit. */
  cellprobThreshold: 0,
  /** Masks smaller than this many pixels are dropped. */
  minSize: 15,
} as const;
