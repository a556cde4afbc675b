import type { Labels } from '../../image/types.js';
import { runChunks } from '../../image/run-chunks.js';
import { diffuseRange, SLOT_FIELDS } from './diffuse-range.js';
import { labelTable } from './label-table.js';
import type { FlowField } from './types.js';
import { checkImage } from '../../image/validate.js';
import { diffuseWasm } from './wasm/modules.js';

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
  const plan = diffusionPlan(labels);
  diffuseRange(plan.arrays, plan.params, 0, plan.centers.length);
  return finish(labels, plan);
}

/**
 * `masksToFlows` with the labels split over threads (Node worker threads, web workers in the
 * page): the same flows, bit for bit, for any thread count.
 */
export async function masksToFlowsThreaded(
  labels: Labels,
  options: { threads?: number } = {},
): Promise<MasksToFlowsResult> {
  const plan = diffusionPlan(labels);
  // One label per chunk: their sizes differ, so threads take the next label when they are free.
  await runChunks(diffuseRange, plan.arrays, plan.params, plan.centers.length, {
    threads: options.threads,
    chunk: 1,
  });
  return finish(labels, plan);
}

/** Each label's pixels in its padded box and its source pixel, for `diffuseRange`. */
function diffusionPlan(labels: Labels) {
  checkImage(labels, 'labels', { minSize: 1, uint32: true });
  const { width, data } = labels;
  const table = labelTable(data, width);
  let total = 0;
  for (let s = 0; s < table.count; s++) total += table.sizes[s];
  const local = new Int32Array(total);
  const slots = new Int32Array(SLOT_FIELDS * table.count);
  const centers: MaskCenter[] = [];
  for (let s = 0, offset = 0; s < table.count; s++) {
    const y0 = table.minY[s];
    const x0 = table.minX[s];
    // The box padded by one pixel on each side, as masks_to_flows_cpu.
    const ly = table.maxY[s] - y0 + 3;
    const lx = table.maxX[s] - x0 + 3;
    const size = table.sizes[s];
    let sumY = 0;
    let sumX = 0;
    for (let y = y0, m = offset; y <= table.maxY[s]; y++) {
      for (let x = x0; x <= table.maxX[s]; x++) {
        if (table.slot[y * width + x] !== s) continue;
        local[m++] = (y - y0 + 1) * lx + (x - x0 + 1);
        sumY += y - y0 + 1;
        sumX += x - x0 + 1;
      }
    }
    const meanY = sumY / size;
    const meanX = sumX / size;
    let centre = local[offset];
    let best = Infinity;
    for (let m = offset; m < offset + size; m++) {
      const dx = (local[m] % lx) - meanX;
      const dy = Math.trunc(local[m] / lx) - meanY;
      const d = dx * dx + dy * dy;
      if (d < best) {
        best = d;
        centre = local[m];
      }
    }
    slots.set([offset, size, centre, lx, ly, y0 - 1, x0 - 1], SLOT_FIELDS * s);
    centers.push({
      label: table.values[s],
      y: y0 + Math.trunc(centre / lx) - 1,
      x: x0 + (centre % lx) - 1,
      iterations: 2 * (ly + lx),
    });
    offset += size;
  }
  const mu = new Float64Array(2 * data.length);
  return { arrays: [local, slots, mu, diffuseWasm()], params: [width, 2], mu, centers };
}

/** Unit length: `∇ / (1e-60 + |∇|)`, as masks_to_flows_cpu. */
function finish(labels: Labels, plan: ReturnType<typeof diffusionPlan>): MasksToFlowsResult {
  const { width, height } = labels;
  const { mu, centers } = plan;
  const n = width * height;
  for (let i = 0; i < n; i++) {
    const dy = mu[i];
    const dx = mu[n + i];
    const norm = 1e-60 + Math.sqrt(dy * dy + dx * dx);
    mu[i] = dy / norm;
    mu[n + i] = dx / norm;
  }
  return { flows: { width, height, data: mu }, centers };
}
