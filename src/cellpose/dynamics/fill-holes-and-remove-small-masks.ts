import { InvalidArgumentError } from '../../errors.js';
import type { Labels } from '../../image/types.js';
import { fillHoles } from '../../segment/morphology/fill-holes.js';
import { labelTable, renumberByFirstAppearance } from './label-table.js';
import { checkImage } from '../../image/validate.js';
import { CELLPOSE_DEFAULTS } from '../defaults.js';

export interface FillHolesAndRemoveSmallMasksOptions {
  /**
   * Masks with fewer pixels than this are removed, before and after hole filling. 0 or a negative
   * value (Cellpose's −1) turns the size filter off; holes are still filled.
   * @default 15
   */
  minSize?: number;
  /**
   * Reproduce Cellpose 3.1's small-mask filter bug (`true`, output identical to Cellpose 3.1.x):
   * it lists the counts of the labels present in ascending label order and removes, for each
   * position `i` in that list whose count is below `minSize`, the label whose *value* is `i + 1`.
   * That is right only when the labels are 1..N without gaps; after flow-error QC has removed a
   * label it deletes the wrong mask (a big one may go and the small one stay). `false` removes
   * the small labels themselves, as Cellpose 4.0.8 and later (commit 2932984).
   *
   * Both modes take the lowest value present as background, so when no pixel is 0 the lowest
   * label is never size-filtered, as in Cellpose.
   * @default true
   */
  cellpose31SmallMaskQuirk?: boolean;
}

/**
 * Fills holes in every mask and removes small masks, as Cellpose 3.1
 * `utils.fill_holes_and_remove_small_masks`, pixel for pixel:
 * 1. if `minSize > 0`, remove masks under `minSize` pixels (see `cellpose31SmallMaskQuirk`) and
 *    renumber 1..N by first appearance in a raster scan;
 * 2. for each label present, ascending, fill the holes of its mask inside its bounding box
 *    (background 4-connected, as `scipy.ndimage.binary_fill_holes`) and write the mask and its
 *    holes with the count of labels handled so far (so labels with gaps get compacted). Filling
 *    overwrites any other label inside the hole: an object inside a ring is absorbed by it;
 * 3. if `minSize > 0`, filter and renumber again (the absorbed labels leave gaps for the quirk).
 *
 * @returns a new label image; the input is not modified.
 * @throws InvalidArgumentError for a data length that does not match the size or a NaN minSize.
 */
export function fillHolesAndRemoveSmallMasks(
  masks: Labels,
  options: FillHolesAndRemoveSmallMasksOptions = {},
): Labels {
  checkImage(masks, 'masks', { minSize: 1, uint32: true });
  const minSize = options.minSize ?? CELLPOSE_DEFAULTS.minSize;
  if (typeof minSize !== 'number' || Number.isNaN(minSize)) {
    throw new InvalidArgumentError(`minSize must be a number, got ${String(minSize)}`);
  }
  const quirk = options.cellpose31SmallMaskQuirk ?? true;
  const { width, height } = masks;
  const data = masks.data.slice();
  if (minSize > 0) removeSmallMasks(data, width, minSize, quirk);

  const table = labelTable(data, width);
  for (let s = 0; s < table.count; s++) {
    const label = table.values[s];
    const x0 = table.minX[s];
    const y0 = table.minY[s];
    const boxWidth = table.maxX[s] - x0 + 1;
    const boxHeight = table.maxY[s] - y0 + 1;
    // Read the current labels: an earlier fill may have absorbed part or all of this one.
    const crop = new Uint8Array(boxWidth * boxHeight);
    for (let y = 0; y < boxHeight; y++) {
      for (let x = 0; x < boxWidth; x++) {
        crop[y * boxWidth + x] = data[(y0 + y) * width + x0 + x] === label ? 1 : 0;
      }
    }
    const filled = fillHoles({ width: boxWidth, height: boxHeight, data: crop }).data;
    for (let y = 0; y < boxHeight; y++) {
      for (let x = 0; x < boxWidth; x++) {
        if (filled[y * boxWidth + x]) data[(y0 + y) * width + x0 + x] = s + 1;
      }
    }
  }

  if (minSize > 0) removeSmallMasks(data, width, minSize, quirk);
  return { width, height, data };
}

/** The `min_size` filter of fill_holes_and_remove_small_masks, then fastremap.renumber; in place. */
function removeSmallMasks(data: Uint32Array, width: number, minSize: number, quirk: boolean): void {
  const table = labelTable(data, width);
  // fastremap.unique(...)[1][1:]: counts of the sorted values present, minus the first (0, if any).
  const values: number[] = [];
  const counts: number[] = [];
  if (table.background > 0) {
    values.push(0);
    counts.push(table.background);
  }
  for (let s = 0; s < table.count; s++) {
    values.push(table.values[s]);
    counts.push(table.sizes[s]);
  }
  const remove = new Uint8Array(table.count);
  let any = false;
  for (let i = 1; i < values.length; i++) {
    if (counts[i] >= minSize) continue;
    const s = slotOfValue(table.values, quirk ? i : values[i]);
    if (s >= 0) {
      remove[s] = 1;
      any = true;
    }
  }
  if (any) {
    for (let i = 0; i < data.length; i++) {
      const s = table.slot[i];
      if (s >= 0 && remove[s]) data[i] = 0;
    }
  }
  renumberByFirstAppearance(data);
}

/** Index of `value` in the ascending `values`, or −1. */
function slotOfValue(values: Uint32Array, value: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid] === value) return mid;
    if (values[mid] < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
