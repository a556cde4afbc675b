import { runChunks } from '../../image/run-chunks.js';
import { foregroundPixels, foregroundThreshold } from './foreground.js';
import { followRange } from './follow-range.js';
import type { CellProbability, FlowField, FlowPositions } from './types.js';
import { checkFlowField, checkNiter, checkNumber } from './validate.js';
import { checkImage, checkSameSize } from '../../image/validate.js';
import { CELLPOSE_DEFAULTS } from '../defaults.js';
import { followWasm } from './wasm/modules.js';

export interface FollowFlowsOptions {
  /**
   * Euler steps; truncated to an integer as Cellpose's `np.uint32(niter)`. Cellpose uses 200, or
   * `defaultNiter` for rescaled images.
   */
  niter: number;
  /** Foreground is `cellprob > cellprobThreshold`, compared in float32 as NumPy does. @default 0 */
  cellprobThreshold?: number;
  /**
   * Sample the flow bilinearly at the current position (Cellpose's default). `false` reads the
   * flow at the truncated position (`steps2D`, what Cellpose's size model uses).
   * @default true
   */
  interp?: boolean;
}

export interface FollowFlowsThreadedOptions extends FollowFlowsOptions {
  /** Threads, this one included; the positions are the same for any count. @default the cores */
  threads?: number;
  /** Pixels a thread takes from the shared counter at a time. @default 4096 */
  chunk?: number;
}

/**
 * Moves every foreground pixel along the flow field, as Cellpose 3.1 `dynamics.follow_flows` on
 * CPU, bit for bit: the step field is `f32(dP · foreground) / 5` (flow outside the foreground is
 * zeroed), positions are float32, and after every step each coordinate is clamped to the image.
 * With `interp`, the step is the bilinear sample of `steps_interp`/`map_coordinates`, including its
 * mixed float32/float64 arithmetic (numba's typing of the expression).
 *
 * Each pixel is followed through all its steps at once. The step map depends only on the
 * position, so once a position repeats (a fixed point or a cycle of up to 8 steps), the final
 * position is read off the cycle instead of iterating on: same result, far fewer steps.
 *
 * @param dP Network flows `[dY, dX]` (about 5 × unit length), float32.
 * @param cellprob Cell probability logits, same size as `dP`.
 * @returns final positions of the foreground pixels in raster order; empty arrays when no pixel
 * is foreground.
 * @throws InvalidArgumentError for mismatched sizes, a negative or non-numeric `niter`, or a NaN
 * threshold.
 */
export function followFlows(
  dP: FlowField,
  cellprob: CellProbability,
  options: FollowFlowsOptions,
): FlowPositions {
  const { steps, pixels, params } = prepare(dP, cellprob, options);
  const ys = new Float32Array(pixels.length);
  const xs = new Float32Array(pixels.length);
  followRange([steps, pixels, ys, xs, followWasm()], params, 0, pixels.length);
  return { width: dP.width, height: dP.height, pixels, y: ys, x: xs };
}

/**
 * `followFlows` with the pixels split over threads (Node worker threads, web workers in the page):
 * the same positions, bit for bit, for any thread count.
 */
export async function followFlowsThreaded(
  dP: FlowField,
  cellprob: CellProbability,
  options: FollowFlowsThreadedOptions,
): Promise<FlowPositions> {
  const { steps, pixels, params } = prepare(dP, cellprob, options);
  const ys = new Float32Array(pixels.length);
  const xs = new Float32Array(pixels.length);
  await runChunks(followRange, [steps, pixels, ys, xs, followWasm()], params, pixels.length, {
    threads: options.threads,
    chunk: options.chunk ?? 4096,
  });
  return { width: dP.width, height: dP.height, pixels, y: ys, x: xs };
}

function prepare(dP: FlowField, cellprob: CellProbability, options: FollowFlowsOptions) {
  checkFlowField(dP);
  checkImage(cellprob, 'cellprob', { minSize: 1 });
  checkSameSize(dP, cellprob, 'dP and cellprob');
  const niter = checkNiter(options.niter);
  const threshold = checkNumber(
    options.cellprobThreshold ?? CELLPOSE_DEFAULTS.cellprobThreshold,
    'cellprobThreshold',
  );
  const interp = options.interp ?? true;
  return {
    pixels: foregroundPixels(cellprob, threshold),
    steps: stepField(dP, cellprob, threshold),
    params: [dP.width, dP.height, niter, interp ? 1 : 0],
  };
}

/** `dP * (cellprob > threshold) / 5.` in float32 (compute_masks), interleaved [dY, dX] per pixel. */
function stepField(dP: FlowField, cellprob: CellProbability, threshold: number): Float32Array {
  const t = foregroundThreshold(threshold);
  const n = cellprob.data.length;
  const steps = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const fg = cellprob.data[i] > t ? 1 : 0;
    steps[2 * i] = (dP.data[i] * fg) / 5;
    steps[2 * i + 1] = (dP.data[n + i] * fg) / 5;
  }
  return steps;
}
