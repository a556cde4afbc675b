import { InvalidArgumentError } from '../errors.js';
import { createLabels } from '../image/plane.js';
import type { Labels } from '../image/types.js';
import { labelIdSet } from './label-ids.js';

export interface MergeLabelsResult {
  /** A copy of the input in which every merged object carries `into`. */
  labels: Labels;
  /** The label the objects were merged into: the smallest listed id present in the image. */
  into: number;
}

/**
 * Merges objects into one: every pixel of the listed labels takes the smallest of those labels
 * that is present in the image. Ids not in the image are ignored, but at least two listed labels
 * must be present, otherwise `InvalidArgumentError` is thrown. The input is not changed.
 *
 * The objects need not touch: merging two far-apart objects gives one label with several
 * disconnected parts, as napari's fill and the Cellpose GUI's merge do. Measurements then treat
 * the parts as one object.
 */
export function mergeLabels(labels: Labels, ids: readonly number[]): MergeLabelsResult {
  const listed = labelIdSet(ids, 'mergeLabels');
  const { data } = labels;
  const present = new Set<number>();
  let lastValue = 0;
  for (let i = 0; i < data.length; i++) {
    const value = data[i];
    if (value === 0 || value === lastValue) continue;
    lastValue = value;
    if (listed.has(value)) present.add(value);
  }
  if (present.size < 2) {
    const found = present.size === 0 ? 'none' : `only ${[...present][0]}`;
    throw new InvalidArgumentError(
      `mergeLabels needs at least two of the labels [${[...listed].join(', ')}] in the image, found ${found}`,
      { hint: 'select two or more existing objects to merge' },
    );
  }
  const into = Math.min(...present);
  const out = createLabels(labels.width, labels.height, data.slice());
  const merged = out.data;
  let lastMerged = false;
  lastValue = 0;
  for (let i = 0; i < merged.length; i++) {
    const value = merged[i];
    if (value === 0) continue;
    if (value !== lastValue) {
      lastValue = value;
      lastMerged = present.has(value);
    }
    if (lastMerged) merged[i] = into;
  }
  return { labels: out, into };
}
