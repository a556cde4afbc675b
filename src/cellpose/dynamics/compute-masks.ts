import { InvalidArgumentError } from '../../errors.js';
import type { Labels } from '../../image/types.js';
import { fillHolesAndRemoveSmallMasks } from './fill-holes-and-remove-small-masks.js';
import { removeBadFlowMasks, removeBadFlowMasksThreaded } from './flow-error.js';
import { followFlows, followFlowsThreaded } from './follow-flows.js';
import { getMasks } from './get-masks.js';
import { resizeNearest } from './resize-nearest.js';
import type { CellProbability, FlowField } from './types.js';
import { checkNumber } from './validate.js';
import { CELLPOSE_DEFAULTS } from '../defaults.js';

export interface ComputeMasksOptions {
  /**
   * Euler steps, truncated to an integer. `CellposeModel.eval` passes `defaultNiter(...)` (200 at
   * `rescale` 1) unless the user gives one.
   * @default 200
   */
  niter?: number;
  /** Foreground is `cellprob > cellprobThreshold` (logits, compared in float32). @default 0 */
  cellprobThreshold?: number;
  /**
   * Masks whose flow error (`flowErrors`) exceeds this are removed; 0 or less turns the QC off.
   * @default 0.4
   */
  flowThreshold?: number;
  /** Bilinear flow sampling during integration (`false`: Cellpose's size-model mode). @default true */
  interp?: boolean;
  /** Masks with fewer pixels (at output size) are removed; ≤ 0 keeps all. @default 15 */
  minSize?: number;
  /** Masks with more than this fraction of the dynamics-size image are removed. @default 0.4 */
  maxSizeFraction?: number;
  /**
   * `[height, width]` to resize the masks to (nearest neighbour) before hole filling and the size
   * filter: Cellpose's `resample=False` path, where the dynamics run at network size.
   */
  resize?: readonly [number, number];
  /**
   * Copy Cellpose 3.1's small-mask filter bug so the output is identical to Cellpose 3.1.x; see
   * `FillHolesAndRemoveSmallMasksOptions.cellpose31SmallMaskQuirk`. `false` gives Cellpose ≥ 4.0.8.
   * @default true
   */
  cellpose31SmallMaskQuirk?: boolean;
}

/**
 * Masks from network output, as Cellpose 3.1 `dynamics.resize_and_compute_masks` (pixel for
 * pixel): foreground `cellprob > cellprobThreshold`, Euler integration of `dP / 5` (`followFlows`),
 * histogram clustering (`getMasks`, with the `maxSizeFraction` filter), flow-error QC
 * (`removeBadFlowMasks`, when `flowThreshold > 0` and a mask exists), an optional nearest
 * resize (`resizeNearest`), then hole filling and the `minSize` filter
 * (`fillHolesAndRemoveSmallMasks`).
 *
 * @param dP Network flows `[dY, dX]` (about 5 × unit length), at the dynamics resolution.
 * @param cellprob Cell probability logits, same size as `dP`.
 * @returns labels 1..N (0 background) at `resize` size if given, else at the size of `dP`; all
 * zero when no pixel is foreground.
 * @throws InvalidArgumentError for mismatched sizes or out-of-range options.
 */
export function computeMasks(
  dP: FlowField,
  cellprob: CellProbability,
  options: ComputeMasksOptions = {},
): Labels {
  const checked = withDefaults(options);
  const { niter, cellprobThreshold, interp } = checked;
  const positions = followFlows(dP, cellprob, { niter, cellprobThreshold, interp });
  let masks = getMasks(positions, { maxSizeFraction: checked.maxSizeFraction });
  const { flowThreshold } = checked;
  if (checksFlows(masks, flowThreshold)) masks = removeBadFlowMasks(masks, dP, flowThreshold);
  return finishMasks(masks, checked);
}

export interface ComputeMasksThreadedOptions extends ComputeMasksOptions {
  /** Threads for the dynamics; the masks are the same for any count. @default the cores */
  threads?: number;
  /** Pixels a thread takes at a time. @default 4096 */
  chunk?: number;
}

/**
 * `computeMasks` with the flows followed and the flow-error diffusion run on several threads: the
 * same masks, pixel for pixel.
 */
export async function computeMasksThreaded(
  dP: FlowField,
  cellprob: CellProbability,
  options: ComputeMasksThreadedOptions = {},
): Promise<Labels> {
  const checked = withDefaults(options);
  const { niter, cellprobThreshold, interp } = checked;
  const positions = await followFlowsThreaded(dP, cellprob, {
    niter,
    cellprobThreshold,
    interp,
    threads: options.threads,
    chunk: options.chunk,
  });
  let masks = getMasks(positions, { maxSizeFraction: checked.maxSizeFraction });
  const { flowThreshold } = checked;
  if (checksFlows(masks, flowThreshold)) {
    masks = await removeBadFlowMasksThreaded(masks, dP, flowThreshold, options);
  }
  return finishMasks(masks, checked);
}

function withDefaults(options: ComputeMasksOptions) {
  const {
    niter = 200,
    cellprobThreshold = CELLPOSE_DEFAULTS.cellprobThreshold,
    flowThreshold = CELLPOSE_DEFAULTS.flowThreshold,
    interp = true,
    minSize = CELLPOSE_DEFAULTS.minSize,
    maxSizeFraction = 0.4,
    resize,
    cellpose31SmallMaskQuirk = true,
  } = options;
  checkNumber(flowThreshold, 'flowThreshold');
  checkNumber(minSize, 'minSize');
  if (resize !== undefined) {
    const [height, width] = resize;
    if (!Number.isInteger(height) || !Number.isInteger(width) || height < 1 || width < 1) {
      throw new InvalidArgumentError(
        `resize must be [height, width] in positive integers, got [${String(resize)}]`,
      );
    }
  }
  return {
    ...{ niter, cellprobThreshold, flowThreshold, interp, minSize, maxSizeFraction, resize },
    cellpose31SmallMaskQuirk,
  };
}

/** The optional resize, hole filling and the size filter, after clustering and the QC. */
function finishMasks(masks: Labels, options: ReturnType<typeof withDefaults>): Labels {
  const { resize, minSize, cellpose31SmallMaskQuirk } = options;
  const resized = resize === undefined ? masks : resizeNearest(masks, resize[0], resize[1]);
  return fillHolesAndRemoveSmallMasks(resized, { minSize, cellpose31SmallMaskQuirk });
}

/** The flow-error check runs when it is on and some mask exists. */
function checksFlows(masks: Labels, flowThreshold: number): boolean {
  return flowThreshold > 0 && masks.data.some((v) => v !== 0);
}
