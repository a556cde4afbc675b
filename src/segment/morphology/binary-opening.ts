import type { Mask } from '../../image/types.js';
import { resolveShape, type FootprintOptions } from './footprint.js';
import { dilate, erode } from './reach.js';
import { checkImage } from '../../image/validate.js';

/**
 * Binary opening as skimage.morphology.binary_opening: dilation of the erosion, each with its own
 * border rule (outside = foreground for the erosion, background for the dilation). Removes
 * foreground the footprint does not fit into.
 *
 * @throws InvalidArgumentError for a negative or fractional radius or an even-sized footprint.
 */
export function binaryOpening(mask: Mask, options: FootprintOptions = {}): Mask {
  checkImage(mask, 'mask');
  const shape = resolveShape(options);
  return dilate(erode(mask, shape), shape);
}
