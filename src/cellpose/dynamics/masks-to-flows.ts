import type { Labels } from '../../image/types.js';
import { labelTable } from './label-table.js';
import type { FlowField } from './types.js';
import { checkLabels } from './validate.js';

/** Where the heat diffusion of one label started. */
export interface MaskCenter {
  readonly label: number;
  /** Row of the source pixel, image coordinates. */
  readonly y: number;
  /** Column of the source pixel, image coordinates. */
  readonly x: number;
  /** Diffusion iterations run for this label: `2 · (boxHeight + 2 + boxWidth + 2)`. */
  readonly iterations: number;
}

export interface MasksToFlowsResult {
  /** Unit-length `[dY, dX]` float64 flows pointing up the heat gradient; 0 on background. */
  readonly flows: FlowField<Float64Array>;
  /** One entry per label present, ascending by label. */
  readonly centers: MaskCenter[];
}

const ONE_NINTH = 1 / 9;

/**
 * Flows from labels by heat diffusion, as Cellpose 3.1 `dynamics.masks_to_flows_cpu` (bit for
 * bit): per label, a unit source at the mask pixel nearest the mean of its pixel coordinates
 * (first in raster order on ties) diffuses over the label's pixels only (Jacobi, 3 × 3 mean,
 * float64) for `2 · (h + 2 + w + 2)` iterations, where `h × w` is its bounding box; the flow is
 * the central-difference gradient, normalised to unit length by `1e-60 + |∇|`.
 *
 * Cellpose uses it to train the network and, in `computeMasks`, to score each mask (flow-error
 * QC). Pixels of other labels count as cold (0) cells, so touching objects do not mix.
 *
 * @param labels Label image; 0 is background. Labels need not be consecutive.
 * @returns all-zero flows and no centres when there is no label.
 * @throws InvalidArgumentError when the data length does not match the size.
 */
export function masksToFlows(labels: Labels): MasksToFlowsResult {
  checkLabels(labels);
  const { width, height, data } = labels;
  const n = width * height;
  const mu = new Float64Array(2 * n);
  const table = labelTable(data, width);
  const centers: MaskCenter[] = [];
  for (let s = 0; s < table.count; s++) {
    const y0 = table.minY[s];
    const x0 = table.minX[s];
    // The box padded by one pixel on each side, as masks_to_flows_cpu.
    const ly = table.maxY[s] - y0 + 3;
    const lx = table.maxX[s] - x0 + 3;
    const size = table.sizes[s];
    const local = new Int32Array(size);
    let sumY = 0;
    let sumX = 0;
    for (let y = y0, m = 0; y <= table.maxY[s]; y++) {
      for (let x = x0; x <= table.maxX[s]; x++) {
        if (table.slot[y * width + x] !== s) continue;
        local[m++] = (y - y0 + 1) * lx + (x - x0 + 1);
        sumY += y - y0 + 1;
        sumX += x - x0 + 1;
      }
    }
    const meanY = sumY / size;
    const meanX = sumX / size;
    let centre = local[0];
    let best = Infinity;
    for (let m = 0; m < size; m++) {
      const dx = (local[m] % lx) - meanX;
      const dy = Math.trunc(local[m] / lx) - meanY;
      const d = dx * dx + dy * dy;
      if (d < best) {
        best = d;
        centre = local[m];
      }
    }
    const iterations = 2 * (ly + lx);
    const heat = diffuse(local, centre, lx, ly, iterations);
    for (let m = 0; m < size; m++) {
      const p = local[m];
      const i = (y0 + Math.trunc(p / lx) - 1) * width + (x0 + (p % lx) - 1);
      mu[i] = heat[p + lx] - heat[p - lx];
      mu[n + i] = heat[p + 1] - heat[p - 1];
    }
    centers.push({
      label: table.values[s],
      y: y0 + Math.trunc(centre / lx) - 1,
      x: x0 + (centre % lx) - 1,
      iterations,
    });
  }
  for (let i = 0; i < n; i++) {
    const dy = mu[i];
    const dx = mu[n + i];
    const norm = 1e-60 + Math.sqrt(dy * dy + dx * dx);
    mu[i] = dy / norm;
    mu[n + i] = dx / norm;
  }
  return { flows: { width, height, data: mu }, centers };
}

/**
 * Cellpose `_extend_centers`: add 1 at the source, then replace every mask pixel by 1/9 × the sum
 * of its 3 × 3 neighbourhood, all at once (Jacobi), summed in numba's order (centre, up, down,
 * left, right, up-left, up-right, down-left, down-right). `local` lists the mask pixels of the
 * padded `ly × lx` box in raster order.
 */
function diffuse(
  local: Int32Array,
  centre: number,
  lx: number,
  ly: number,
  iterations: number,
): Float64Array {
  // Mask pixels as row runs [start, end) of box indices: sequential access in the hot loop.
  const runRow: number[] = [];
  const runStart: number[] = [];
  const runEnd: number[] = [];
  for (let m = 0; m < local.length;) {
    const start = local[m];
    let end = start + 1;
    while (++m < local.length && local[m] === end) end++;
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
    // Heat has spread at most t + 1 pixels (Chebyshev) from the source; beyond, the sum is 0 + … + 0.
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
