import { InvalidArgumentError } from '../../errors.js';
import type { Labels } from '../../image/types.js';
import { denseLimit, labelTable, type LabelTable } from './label-table.js';
import { masksToFlows, masksToFlowsThreaded } from './masks-to-flows.js';
import type { FlowField } from './types.js';
import { checkFlowField, checkNumber } from './validate.js';
import { checkImage, checkSameSize } from '../../image/validate.js';

/**
 * Per-label flow error, as Cellpose 3.1 `metrics.flow_error`: the mean over the label's pixels of
 * `(mu − dP/5)²`, summed over dY and dX, where `mu` is `masksToFlows(masks)` (unit length) and
 * `dP/5` is the network flow at unit scale (float32, as Cellpose divides it). Sums run in raster
 * order in float64 (`scipy.ndimage.mean`).
 *
 * @param masks Label image, e.g. the raw masks of `getMasks`.
 * @param dP Network flows `[dY, dX]`, same size, before any foreground masking.
 * @returns `errors[l − 1]` for label `l` = 1..max label; NaN for labels not present (0/0, as
 * scipy); empty when there is no label. Dimensionless (squared unit flow lengths).
 * @throws InvalidArgumentError for mismatched sizes, or labels so large and sparse that a dense
 * per-label array would not fit (relabel first).
 */
export function flowErrors(masks: Labels, dP: FlowField): Float64Array {
  checkInputs(masks, dP);
  const table = labelTable(masks.data, masks.width);
  const max = table.count === 0 ? 0 : table.values[table.count - 1];
  if (max > denseLimit(masks.data.length)) {
    throw new InvalidArgumentError(
      `largest label ${max} is too large for a per-label array over ${masks.data.length} pixels`,
      { hint: 'renumber the labels consecutively first' },
    );
  }
  const mu = table.count === 0 ? undefined : masksToFlows(masks).flows.data;
  const bySlot = errorsBySlot(masks, dP, table, mu);
  const errors = new Float64Array(max).fill(NaN);
  for (let s = 0; s < table.count; s++) errors[table.values[s] - 1] = bySlot[s];
  return errors;
}

/**
 * Removes masks whose flows disagree with the network's, as Cellpose 3.1
 * `dynamics.remove_bad_flow_masks`: every label with `flowErrors > flowThreshold` becomes 0. The
 * other labels keep their values, so gaps can appear (no renumbering).
 *
 * @param flowThreshold Largest error kept; Cellpose's default is 0.4 (`computeMasks` skips this
 * step when it is ≤ 0).
 * @returns a new label image; the input is not modified.
 * @throws InvalidArgumentError for mismatched sizes or a NaN threshold.
 */
export function removeBadFlowMasks(masks: Labels, dP: FlowField, flowThreshold: number): Labels {
  checkInputs(masks, dP);
  checkNumber(flowThreshold, 'flowThreshold');
  const table = labelTable(masks.data, masks.width);
  const mu = table.count === 0 ? undefined : masksToFlows(masks).flows.data;
  return withoutBadMasks(masks, table, errorsBySlot(masks, dP, table, mu), flowThreshold);
}

/**
 * `removeBadFlowMasks` with the heat diffusion of the masks split over threads: the same masks
 * for any thread count.
 */
export async function removeBadFlowMasksThreaded(
  masks: Labels,
  dP: FlowField,
  flowThreshold: number,
  options: { threads?: number } = {},
): Promise<Labels> {
  checkInputs(masks, dP);
  checkNumber(flowThreshold, 'flowThreshold');
  const table = labelTable(masks.data, masks.width);
  const mu =
    table.count === 0 ? undefined : (await masksToFlowsThreaded(masks, options)).flows.data;
  return withoutBadMasks(masks, table, errorsBySlot(masks, dP, table, mu), flowThreshold);
}

function withoutBadMasks(
  masks: Labels,
  table: LabelTable,
  errors: Float64Array,
  flowThreshold: number,
): Labels {
  const data = masks.data.slice();
  for (let i = 0; i < data.length; i++) {
    const s = table.slot[i];
    if (s >= 0 && errors[s] > flowThreshold) data[i] = 0;
  }
  return { width: masks.width, height: masks.height, data };
}

function checkInputs(masks: Labels, dP: FlowField): void {
  checkImage(masks, 'masks', { minSize: 1, uint32: true });
  checkFlowField(dP);
  checkSameSize(masks, dP, 'masks and dP');
}

/** Flow error of each label slot of `table`, given the masks' own flows `mu`. */
function errorsBySlot(
  masks: Labels,
  dP: FlowField,
  table: LabelTable,
  mu: Float64Array | undefined,
): Float64Array {
  const n = masks.data.length;
  const errors = new Float64Array(table.count);
  if (table.count === 0 || !mu) return errors;
  const sumY = new Float64Array(table.count);
  const sumX = new Float64Array(table.count);
  for (let i = 0; i < n; i++) {
    const s = table.slot[i];
    if (s < 0) continue;
    const ey = mu[i] - Math.fround(dP.data[i] / 5);
    const ex = mu[n + i] - Math.fround(dP.data[n + i] / 5);
    sumY[s] += ey * ey;
    sumX[s] += ex * ex;
  }
  for (let s = 0; s < table.count; s++) {
    const size = table.sizes[s];
    errors[s] = sumY[s] / size + sumX[s] / size;
  }
  return errors;
}
