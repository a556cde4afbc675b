import type { Mask } from '../../image/types.js';
import { resolveShape, type FootprintOptions } from './footprint.js';
import { dilate, erode } from './reach.js';
import { checkImage } from '../../image/validate.js';

/**
 * Binary closing as skimage.morphology.binary_closing: erosion of the dilation, each with its own
 * border rule (outside = background for the dilation, foreground for the erosion). Fills gaps
 * and holes the footprint does not fit into.
 *
 * @throws InvalidArgumentError for a negative or fractional radius or an even-sized footprint.
 */
export function binaryClosing(mask: Mask, options: FootprintOptions = {}): Mask {
  checkImage(mask, 'mask');
  const shape = resolveShape(options);
  return erode(dilate(mask, shape), shape);
}
