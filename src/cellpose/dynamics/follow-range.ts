import type { KernelArray } from '../../image/run-chunks.js';

/**
 * Follows the foreground pixels `from` ≤ k < `to` through their Euler steps (see `followFlows`):
 * `arrays` = [steps, pixels, ys, xs, wasm], `params` = [width, height, niter, interp ? 1 : 0].
 * `wasm` is the interpolated walk's WebAssembly module (`follow.wat`), or empty to run it in
 * JavaScript; both give the same positions, bit for bit. Self-contained, as `runChunks` sends its
 * text to worker threads; every pixel is independent, so any split gives the same positions.
 */
export function followRange(
  arrays: readonly KernelArray[],
  params: readonly number[],
  from: number,
  to: number,
): void {
  const [steps, pixels, ys, xs, wasm] = arrays as [
    Float32Array,
    Uint32Array,
    Float32Array,
    Float32Array,
    Uint8Array?,
  ];
  const [width, height, niter, interp] = params;
  /** Positions are compared with a checkpoint taken every this many steps, to detect short cycles. */
  const CYCLE_WINDOW = 8;
  const kernel = interp === 1 && wasm && wasm.length > 0 ? wasmKernel(wasm) : undefined;
  if (kernel) {
    kernel();
  } else if (interp === 1) {
    for (let k = from; k < to; k += 2) {
      followPairInterpolated(
        steps,
        width,
        height,
        niter,
        pixels,
        k,
        Math.min(k + 1, to - 1),
        ys,
        xs,
      );
    }
  } else {
    for (let k = from; k < to; k++) followNearest(steps, width, height, niter, pixels, k, ys, xs);
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

  /**
   * The interpolated walk in WebAssembly (`follow.wat`: four pixels at a time, the same float32
   * and float64 operations in the same order), compiled once per thread, with the step field
   * copied into its memory once per field (which then stays at the largest field's size, 8 bytes
   * a pixel, for the thread's life); undefined where WebAssembly or its SIMD is refused.
   * Besides the checkpoint, it stops a pixel as soon as a step leaves it in place (exact: a fixed
   * point stays fixed).
   */
  function wasmKernel(bytes: Uint8Array) {
    const cache = globalThis as { [key: symbol]: State | undefined };
    const key = Symbol.for('cellscope.follow.wasm');
    const state = (cache[key] ??= compile(bytes));
    const { instance } = state;
    if (!instance) return undefined;
    const memory = instance.exports.memory as WebAssembly.Memory;
    const follow = instance.exports.follow as (...args: number[]) => void;
    const BATCH = 16384;
    // Layout: the step field, then a batch of pixel indices, then their (y, x) pairs.
    const pixelsAt = 16 * Math.ceil((4 * steps.length) / 16);
    const outAt = pixelsAt + 4 * BATCH;
    const needed = outAt + 8 * BATCH;
    return () => {
      if (memory.buffer.byteLength < needed) {
        memory.grow(Math.ceil((needed - memory.buffer.byteLength) / 65536));
      }
      if (state.steps?.deref() !== steps) {
        new Float32Array(memory.buffer, 0, steps.length).set(steps);
        state.steps = new WeakRef(steps);
      }
      const batch = new Uint32Array(memory.buffer, pixelsAt, BATCH);
      const out = new Float32Array(memory.buffer, outAt, 2 * BATCH);
      for (let k = from; k < to; k += BATCH) {
        const count = Math.min(BATCH, to - k);
        batch.set(pixels.subarray(k, k + count));
        follow(pixelsAt, count, outAt, 0, width, height, niter);
        for (let j = 0; j < count; j++) {
          ys[k + j] = out[2 * j];
          xs[k + j] = out[2 * j + 1];
        }
      }
    };
  }

  /** A thread's compiled module, and the step field its memory holds. */
  interface State {
    instance: WebAssembly.Instance | null;
    steps?: WeakRef<Float32Array>;
  }

  function compile(bytes: Uint8Array): State {
    try {
      // A private copy: the module cannot be compiled from shared memory everywhere.
      return { instance: new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(bytes))) };
    } catch {
      return { instance: null };
    }
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
}
