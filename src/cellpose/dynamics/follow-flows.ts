import { foregroundPixels, foregroundThreshold } from './foreground.js';
import type { CellProbability, FlowField, FlowPositions } from './types.js';
import { checkFlowField, checkNiter, checkNumber, checkPlane, checkSameSize } from './validate.js';

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

/** Positions are compared with a checkpoint taken every this many steps, to detect short cycles. */
const CYCLE_WINDOW = 8;

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
  checkFlowField(dP);
  checkPlane(cellprob, 'cellprob');
  checkSameSize(dP, cellprob, 'dP and cellprob');
  const niter = checkNiter(options.niter);
  const threshold = checkNumber(options.cellprobThreshold ?? 0, 'cellprobThreshold');
  const interp = options.interp ?? true;
  const { width, height } = dP;
  const pixels = foregroundPixels(cellprob, threshold);
  const steps = stepField(dP, cellprob, threshold);
  const count = pixels.length;
  const ys = new Float32Array(count);
  const xs = new Float32Array(count);
  if (interp) {
    for (let k = 0; k < count; k += 2) {
      followPairInterpolated(
        steps,
        width,
        height,
        niter,
        pixels,
        k,
        Math.min(k + 1, count - 1),
        ys,
        xs,
      );
    }
  } else {
    for (let k = 0; k < count; k++) followNearest(steps, width, height, niter, pixels, k, ys, xs);
  }
  return { width, height, pixels, y: ys, x: xs };
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

/**
 * Follows pixels `k0` and `k1` (may be equal) through their steps, interleaved: one trajectory
 * alone is a chain of dependent float operations, two give the CPU independent work. Each pixel
 * stops at its own last step. The step map depends only on the position, so when a position
 * repeats the checkpoint (taken every CYCLE_WINDOW steps), the trajectory is periodic with period
 * `t − checkpoint` and the remaining steps reduce modulo that period: same result, fewer steps.
 */
function followPairInterpolated(
  steps: Float32Array,
  width: number,
  height: number,
  niter: number,
  pixels: Uint32Array,
  k0: number,
  k1: number,
  ys: Float32Array,
  xs: Float32Array,
): void {
  const fround = Math.fround;
  const lastY = height - 1;
  const lastX = width - 1;
  let ya = Math.floor(pixels[k0] / width);
  let xa = pixels[k0] - ya * width;
  let checkYa = ya;
  let checkXa = xa;
  let checkTa = 0;
  let endA = niter;
  let searchingA = true;
  let yb = Math.floor(pixels[k1] / width);
  let xb = pixels[k1] - yb * width;
  let checkYb = yb;
  let checkXb = xb;
  let checkTb = 0;
  let endB = niter;
  let searchingB = true;
  for (let t = 0; t < endA || t < endB;) {
    t++;
    if (t <= endA) {
      const y0 = ya | 0;
      const x0 = xa | 0;
      const fy = ya - y0;
      const fx = xa - x0;
      const gy = 1 - fy;
      const gx = 1 - fx;
      const row0 = y0 * width;
      const row1 = y0 < lastY ? row0 + width : row0;
      const x1 = x0 < lastX ? x0 + 1 : x0;
      const a = 2 * (row0 + x0);
      const b = 2 * (row0 + x1);
      const c = 2 * (row1 + x0);
      const d = 2 * (row1 + x1);
      // map_coordinates as numba types it: v·(1−fy) terms in float64, v·fy products in float32.
      const stepY = fround(
        steps[a] * gy * gx +
          steps[b] * gy * fx +
          fround(steps[c] * fy) * gx +
          fround(fround(steps[d] * fy) * fx),
      );
      const stepX = fround(
        steps[a + 1] * gy * gx +
          steps[b + 1] * gy * fx +
          fround(steps[c + 1] * fy) * gx +
          fround(fround(steps[d + 1] * fy) * fx),
      );
      ya = fround(ya + stepY);
      ya = ya < 0 ? 0 : ya > lastY ? lastY : ya;
      xa = fround(xa + stepX);
      xa = xa < 0 ? 0 : xa > lastX ? lastX : xa;
      if (searchingA) {
        if (ya === checkYa && xa === checkXa) {
          endA = t + ((niter - t) % (t - checkTa));
          searchingA = false;
        } else if (t - checkTa === CYCLE_WINDOW) {
          checkYa = ya;
          checkXa = xa;
          checkTa = t;
        }
      }
    }
    if (t <= endB) {
      const y0 = yb | 0;
      const x0 = xb | 0;
      const fy = yb - y0;
      const fx = xb - x0;
      const gy = 1 - fy;
      const gx = 1 - fx;
      const row0 = y0 * width;
      const row1 = y0 < lastY ? row0 + width : row0;
      const x1 = x0 < lastX ? x0 + 1 : x0;
      const a = 2 * (row0 + x0);
      const b = 2 * (row0 + x1);
      const c = 2 * (row1 + x0);
      const d = 2 * (row1 + x1);
      const stepY = fround(
        steps[a] * gy * gx +
          steps[b] * gy * fx +
          fround(steps[c] * fy) * gx +
          fround(fround(steps[d] * fy) * fx),
      );
      const stepX = fround(
        steps[a + 1] * gy * gx +
          steps[b + 1] * gy * fx +
          fround(steps[c + 1] * fy) * gx +
          fround(fround(steps[d + 1] * fy) * fx),
      );
      yb = fround(yb + stepY);
      yb = yb < 0 ? 0 : yb > lastY ? lastY : yb;
      xb = fround(xb + stepX);
      xb = xb < 0 ? 0 : xb > lastX ? lastX : xb;
      if (searchingB) {
        if (yb === checkYb && xb === checkXb) {
          endB = t + ((niter - t) % (t - checkTb));
          searchingB = false;
        } else if (t - checkTb === CYCLE_WINDOW) {
          checkYb = yb;
          checkXb = xb;
          checkTb = t;
        }
      }
    }
  }
  ys[k0] = ya;
  xs[k0] = xa;
  ys[k1] = yb;
  xs[k1] = xb;
}

/** steps2D: the step read at the truncated position; same cycle shortcut, one pixel at a time. */
function followNearest(
  steps: Float32Array,
  width: number,
  height: number,
  niter: number,
  pixels: Uint32Array,
  k: number,
  ys: Float32Array,
  xs: Float32Array,
): void {
  const fround = Math.fround;
  const lastY = height - 1;
  const lastX = width - 1;
  let y = Math.floor(pixels[k] / width);
  let x = pixels[k] - y * width;
  let checkY = y;
  let checkX = x;
  let checkT = 0;
  let end = niter;
  let searching = true;
  for (let t = 0; t < end;) {
    const a = 2 * ((y | 0) * width + (x | 0));
    y = fround(y + steps[a]);
    y = y < 0 ? 0 : y > lastY ? lastY : y;
    x = fround(x + steps[a + 1]);
    x = x < 0 ? 0 : x > lastX ? lastX : x;
    t++;
    if (searching) {
      if (y === checkY && x === checkX) {
        end = t + ((niter - t) % (t - checkT));
        searching = false;
      } else if (t - checkT === CYCLE_WINDOW) {
        checkY = y;
        checkX = x;
        checkT = t;
      }
    }
  }
  ys[k] = y;
  xs[k] = x;
}
