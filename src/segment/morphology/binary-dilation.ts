import type { Mask } from '../../image/types.js';
import { resolveShape, type FootprintOptions } from './footprint.js';
import { dilate } from './reach.js';
import { checkImage } from '../../image/validate.js';

/**
 * Binary dilation as skimage.morphology.binary_dilation: a pixel becomes foreground when the
 * reflected footprint centred on it covers some foreground pixel; pixels outside the image count
 * as background. Nonzero input pixels are foreground; the result is 0/1. A disk of any radius
 * costs O(pixels).
 *
 * @throws InvalidArgumentError for a negative or fractional radius or an even-sized footprint.
 */
export function binaryDilation(mask: Mask, options: FootprintOptions = {}): Mask {
  checkImage(mask, 'mask');
  return dilate(mask, resolveShape(options));
}
