import { createLabels } from '../image/plane.js';
import type { Labels } from '../image/types.js';
import { labelIdSet } from './label-ids.js';

export interface DeleteLabelsResult {
  /** A copy of the input with the deleted objects' pixels set to 0. */
  labels: Labels;
  /** The ids that were in the image and are now gone, ascending, each once. */
  removed: number[];
}

/**
 * Deletes objects: every pixel of the listed labels becomes background (0). Ids that are not in
 * the image are ignored and left out of `removed`; 0 or a non-integer id throws
 * `InvalidArgumentError`. The input is not changed.
 */
export function deleteLabels(labels: Labels, ids: readonly number[]): DeleteLabelsResult {
  const doomed = labelIdSet(ids, 'deleteLabels');
  const out = createLabels(labels.width, labels.height, labels.data.slice());
  const data = out.data;
  const removed = new Set<number>();
  // Objects are runs of one value along a row, so remember the last answer instead of asking the set.
  let lastValue = 0;
  let lastDoomed = false;
  for (let i = 0; i < data.length; i++) {
    const value = data[i];
    if (value === 0) continue;
    if (value !== lastValue) {
      lastValue = value;
      lastDoomed = doomed.has(value);
      if (lastDoomed) removed.add(value);
    }
    if (lastDoomed) data[i] = 0;
  }
  return { labels: out, removed: [...removed].sort((a, b) => a - b) };
}
