import type { KernelArray } from '../../image/run-chunks.js';

/** Ints per label in the `diffuseRange` slot table. */
export const SLOT_FIELDS = 7;

/**
 * Heat diffusion of the labels `from` ≤ s < `to` (see `masksToFlows`), each writing the
 * unnormalised gradient `[dY, dX]` at its own pixels of `mu`. `arrays` = [local, slots, mu]:
 * `local` holds every label's pixels as indices of its padded box, raster order, one label after
 * another; `slots` holds SLOT_FIELDS ints per label: offset into `local`, pixel count, source
 * pixel, box width `lx`, box height `ly`, top row − 1, left column − 1. `params` = [image width,
 * iterations per box side sum (2)]. Self-contained, as `runChunks` sends its text to worker
 * threads; labels are independent, so any split gives the same flows.
 */
export function diffuseRange(
  arrays: readonly KernelArray[],
  params: readonly number[],
  from: number,
  to: number,
): void {
  const [local, slots, mu] = arrays as [Int32Array, Int32Array, Float64Array];
  const [width, perSide] = params;
  const n = mu.length / 2;
  const ONE_NINTH = 1 / 9;
  for (let s = from; s < to; s++) {
    const [offset, size, centre, lx, ly, top, left] = slots.subarray(7 * s, 7 * s + 7);
    const pixels = local.subarray(offset, offset + size);
    const heat = diffuse(pixels, centre, lx, ly, perSide * (ly + lx));
    for (let m = 0; m < size; m++) {
      const p = pixels[m];
      const i = (top + Math.trunc(p / lx)) * width + (left + (p % lx));
      mu[i] = heat[p + lx] - heat[p - lx];
      mu[n + i] = heat[p + 1] - heat[p - 1];
    }
  }

  /**
   * Cellpose `_extend_centers`: add 1 at the source, then replace every mask pixel by 1/9 × the
   * sum of its 3 × 3 neighbourhood, all at once (Jacobi), summed in numba's order (centre, up,
   * down, left, right, up-left, up-right, down-left, down-right). `pixels` lists the mask pixels
   * of the padded `ly × lx` box in raster order.
   */
  function diffuse(
    pixels: Int32Array,
    centre: number,
    lx: number,
    ly: number,
    iterations: number,
  ): Float64Array {
    // Mask pixels as row runs [start, end) of box indices: sequential access in the hot loop.
    const runRow: number[] = [];
    const runStart: number[] = [];
    const runEnd: number[] = [];
    for (let m = 0; m < pixels.length;) {
      const start = pixels[m];
      let end = start + 1;
      while (++m < pixels.length && pixels[m] === end) end++;
      runRow.push(Math.trunc(start / lx));
      runStart.push(start % lx);
      runEnd.push((start % lx) + end - start);
    }
    const runs = runRow.length;
    const centreY = Math.trunc(centre / lx);
    const centreX = centre % lx;
    let current = new Float64Array(ly * lx);
    let next = new Float64Array(ly * lx);
    for (let t = 0; t < iterations; t++) {
      current[centre] += 1;
      // Heat has spread at most t + 1 pixels (Chebyshev) from the source; beyond, 0 + … + 0.
      const reach = t + 1;
      for (let r = 0; r < runs; r++) {
        const y = runRow[r];
        if (y < centreY - reach || y > centreY + reach) continue;
        const base = y * lx;
        const start = base + Math.max(runStart[r], centreX - reach);
        const end = base + Math.min(runEnd[r], centreX + reach + 1);
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
