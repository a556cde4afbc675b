import { InvalidArgumentError } from '../../errors.js';
import type { Labels, Mask } from '../../image/types.js';
import { checkConnectivity, componentAreas, paintRuns, runComponents } from '../labeling/runs.js';
import { checkImage } from '../../image/validate.js';

export interface RemoveSmallObjectsOptions {
  /** Objects with fewer pixels than this are removed; one of exactly this size stays. @default 64 */
  minSize?: number;
  /**
   * For a mask: 1 when pixels connect through edges, 2 also through corners. Unused for a label
   * image, where every label id is one object.
   * @default 1 (skimage's default)
   */
  connectivity?: 1 | 2;
}

/**
 * Removes small objects as skimage.morphology.remove_small_objects. For a {@link Mask} (Uint8,
 * nonzero = foreground), objects are its connected components and the result is a 0/1 mask. For
 * {@link Labels}, each label id is one object, however many pieces it has, and small ids are set to
 * 0 in a copy.
 *
 * @throws InvalidArgumentError for a NaN minSize, a connectivity other than 1 or 2, or data that
 * is neither Uint8 (mask) nor Uint32 (labels).
 */
export function removeSmallObjects(mask: Mask, options?: RemoveSmallObjectsOptions): Mask;
export function removeSmallObjects(labels: Labels, options?: RemoveSmallObjectsOptions): Labels;
export function removeSmallObjects(
  image: Mask | Labels,
  options: RemoveSmallObjectsOptions = {},
): Mask | Labels {
  const minSize = options.minSize ?? 64;
  if (Number.isNaN(minSize)) throw new InvalidArgumentError('minSize is NaN');
  const connectivity = checkConnectivity(options.connectivity ?? 1);
  const { width, height, data } = image;
  if (data instanceof Uint32Array) return removeSmallLabels(image as Labels, minSize);
  if (!(data instanceof Uint8Array)) {
    throw new InvalidArgumentError('removeSmallObjects needs a Uint8 mask or Uint32 labels');
  }
  checkImage(image as Mask, 'mask');
  const runs = runComponents(data, width, height, connectivity, { kind: 'nonzero' });
  const areas = componentAreas(runs);
  const kept = new Uint8Array(runs.count + 1);
  for (let c = 1; c <= runs.count; c++) if (areas[c] >= minSize) kept[c] = 1;
  const out = new Uint8Array(width * height);
  paintRuns(runs, kept, out, 1);
  return { width, height, data: out };
}

/** Each id's area by a dense count where ids are small, a Map where they are not. */
function removeSmallLabels(labels: Labels, minSize: number): Labels {
  const { width, height, data } = labels;
  checkImage(labels, 'label');
  const out = data.slice();
  let max = 0;
  for (let i = 0; i < data.length; i++) if (data[i] > max) max = data[i];
  if (max <= 4 * data.length + 65536) {
    const areas = new Float64Array(max + 1);
    for (let i = 0; i < data.length; i++) areas[data[i]]++;
    for (let i = 0; i < out.length; i++) if (areas[out[i]] < minSize) out[i] = 0;
  } else {
    const areas = new Map<number, number>();
    for (let i = 0; i < data.length; i++) areas.set(data[i], (areas.get(data[i]) ?? 0) + 1);
    for (let i = 0; i < out.length; i++) if ((areas.get(out[i]) ?? 0) < minSize) out[i] = 0;
  }
  return { width, height, data: out };
}
