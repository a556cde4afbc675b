import { InvalidArgumentError } from '../errors.js';
import type { Labels } from '../image/types.js';
import { MAX_LABEL } from './label-ids.js';

/**
 * The value for a new object: the largest label in the image plus 1, so 1 for an image without
 * objects. Gaps left by deleted objects are not reused, as in napari and the Cellpose GUI, so an
 * id never comes to mean a different object during an editing session.
 */
export function nextFreeLabel(labels: Labels): number {
  const { data } = labels;
  let largest = 0;
  for (let i = 0; i < data.length; i++) {
    if (data[i] > largest) largest = data[i];
  }
  if (largest === MAX_LABEL) {
    throw new InvalidArgumentError(`the label image already uses the largest label, ${MAX_LABEL}`, {
      hint: 'renumber the labels sequentially to free values',
    });
  }
  return largest + 1;
}
