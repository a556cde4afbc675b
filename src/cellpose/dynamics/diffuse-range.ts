import type { KernelArray } from '../../image/run-chunks.js';

/** Ints per label in the `diffuseRange` slot table. */
export const SLOT_FIELDS = 7;

/**
 * Heat diffusion of the labels `from` ≤ s < `to` (see `masksToFlows`), each writing the
 * unnormalised gradient `[dY, dX]` at its own pixels of `mu`. `arrays` = [local, slots, mu, wasm]:
 * `local` holds every label's pixels as indices of its padded box, raster order, one label after
 * another; `slots` holds SLOT_FIELDS ints per label: offset into `local`, pixel count, source
 * pixel, box width `lx`, box height `ly`, top row − 1, left column − 1; `wasm` is the diffusion
 * kernel's WebAssembly module (`diffuse.wat`), or empty to run it in JavaScript; both give the
 * same heat, bit for bit. `params` = [image width, iterations per box side sum (2)].
 * Self-contained, as `runChunks` sends its text to worker threads; labels are independent, so
 * any split gives the same flows.
 */
export function diffuseRange(
  arrays: readonly KernelArray[],
  params: readonly number[],
  from: number,
  to: number,
): void {
  const [local, slots, mu, wasm] = arrays as [Int32Array, Int32Array, Float64Array, Uint8Array?];
  const [width, perSide] = params;
  const n = mu.length / 2;
  const ONE_NINTH = 1 / 9;
  const kernel = wasm && wasm.length > 0 ? wasmKernel(wasm) : undefined;
  for (let s = from; s < to; s++) {
    const [offset, size, centre, lx, ly, top, left] = slots.subarray(7 * s, 7 * s + 7);
    const pixels = local.subarray(offset, offset + size);
    const runs = rowRuns(pixels, lx);
    const iterations = perSide * (ly + lx);
    const heat = kernel
      ? kernel(runs, centre, lx, ly, iterations)
      : diffuse(runs, centre, lx, ly, iterations);
    for (let m = 0; m < size; m++) {
      const p = pixels[m];
      const i = (top + Math.trunc(p / lx)) * width + (left + (p % lx));
      mu[i] = heat[p + lx] - heat[p - lx];
      mu[n + i] = heat[p + 1] - heat[p - 1];
    }
  }

  /** Mask pixels as row runs (row, first column, end column) of the box: sequential access. */
  function rowRuns(pixels: Int32Array, lx: number): Int32Array {
    const runs: number[] = [];
    for (let m = 0; m < pixels.length;) {
      const start = pixels[m];
      let end = start + 1;
      while (++m < pixels.length && pixels[m] === end) end++;
      runs.push(Math.trunc(start / lx), start % lx, (start % lx) + end - start);
    }
    return Int32Array.from(runs);
  }

  /**
   * `diffuse` in WebAssembly (f64x2 lanes, the same sums in the same order), compiled once per
   * thread; undefined where WebAssembly or its SIMD is refused, and JavaScript runs instead.
   */
  function wasmKernel(bytes: Uint8Array) {
    const cache = globalThis as { [key: symbol]: WebAssembly.Instance | null | undefined };
    const key = Symbol.for('cellscope.diffuse.wasm');
    if (cache[key] === undefined) {
      try {
        // A private copy: the module cannot be compiled from shared memory everywhere.
        cache[key] = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(bytes)));
      } catch {
        cache[key] = null;
      }
    }
    const instance = cache[key];
    if (!instance) return undefined;
    const memory = instance.exports.memory as WebAssembly.Memory;
    const run = instance.exports.diffuse as (...args: number[]) => number;
    return (runs: Int32Array, centre: number, lx: number, ly: number, iterations: number) => {
      // Layout: runs, then the two heat arrays, 16-byte aligned.
      const heatBytes = 8 * lx * ly;
      const a = 16 * Math.ceil((4 * runs.length) / 16);
      const b = a + 16 * Math.ceil(heatBytes / 16);
      const needed = b + heatBytes;
      if (memory.buffer.byteLength < needed) {
        memory.grow(Math.ceil((needed - memory.buffer.byteLength) / 65536));
      }
      new Int32Array(memory.buffer, 0, runs.length).set(runs);
      new Float64Array(memory.buffer, a, (b - a) / 8 + lx * ly).fill(0);
      const result = run(0, runs.length / 3, a, b, lx, centre, iterations);
      return new Float64Array(memory.buffer, result, lx * ly);
    };
  }

  /**
   * Cellpose `_extend_centers`: add 1 at the source, then replace every mask pixel by 1/9 × the
   * sum of its 3 × 3 neighbourhood, all at once (Jacobi), summed in numba's order (centre, up,
   * down, left, right, up-left, up-right, down-left, down-right). `runs` lists the mask pixels
   * of the padded `ly × lx` box as row runs.
   */
  function diffuse(
    runs: Int32Array,
    centre: number,
    lx: number,
    ly: number,
    iterations: number,
  ): Float64Array {
    const centreY = Math.trunc(centre / lx);
    const centreX = centre % lx;
    let current = new Float64Array(ly * lx);
    let next = new Float64Array(ly * lx);
    for (let t = 0; t < iterations; t++) {
      current[centre] += 1;
      // Heat has spread at most t + 1 pixels (Chebyshev) from the source; beyond, 0 + … + 0.
      const reach = t + 1;
      for (let r = 0; r < runs.length; r += 3) {
        const y = runs[r];
        if (y < centreY - reach || y > centreY + reach) continue;
        const base = y * lx;
        const start = base + Math.max(runs[r + 1], centreX - reach);
        const end = base + Math.min(runs[r + 2], centreX + reach + 1);
        let p = start;
        // Four pixels at a time, each summed in Cellpose's order: four independent add chains.
        for (; p + 3 < end; p += 4) {
          const up = p - lx;
          const down = p + lx;
          const u0 = current[up - 1];
          const u1 = current[up];
          const u2 = current[up + 1];
          const u3 = current[up + 2];
          const u4 = current[up + 3];
          const u5 = current[up + 4];
          const c0 = current[p - 1];
          const c1 = current[p];
          const c2 = current[p + 1];
          const c3 = current[p + 2];
          const c4 = current[p + 3];
          const c5 = current[p + 4];
          const d0 = current[down - 1];
          const d1 = current[down];
          const d2 = current[down + 1];
          const d3 = current[down + 2];
          const d4 = current[down + 3];
          const d5 = current[down + 4];
          next[p] = ONE_NINTH * (c1 + u1 + d1 + c0 + c2 + u0 + u2 + d0 + d2);
          next[p + 1] = ONE_NINTH * (c2 + u2 + d2 + c1 + c3 + u1 + u3 + d1 + d3);
          next[p + 2] = ONE_NINTH * (c3 + u3 + d3 + c2 + c4 + u2 + u4 + d2 + d4);
          next[p + 3] = ONE_NINTH * (c4 + u4 + d4 + c3 + c5 + u3 + u5 + d3 + d5);
        }
        for (; p < end; p++) {
          const up = p - lx;
          const down = p + lx;
          next[p] =
            ONE_NINTH *
            (current[p] +
              current[up] +
              current[down] +
              current[p - 1] +
              current[p + 1] +
              current[up - 1] +
              current[up + 1] +
              current[down - 1] +
              current[down + 1]);
        }
      }
      const swap = current;
      current = next;
      next = swap;
    }
    return current;
  }
}
