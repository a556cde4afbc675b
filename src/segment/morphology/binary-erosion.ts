import type { Mask } from '../../image/types.js';
import { resolveShape, type FootprintOptions } from './footprint.js';
import { erode } from './reach.js';
import { checkImage } from '../../image/validate.js';

/**
 * Binary erosion as skimage.morphology.binary_erosion: a pixel stays foreground when the
 * footprint centred on it covers only foreground; pixels outside the image count as foreground,
 * so objects touching the border are not eaten from that side. Nonzero input pixels are
 * foreground; the result is 0/1. A disk of any radius costs O(pixels).
 *
 * @throws InvalidArgumentError for a negative or fractional radius or an even-sized footprint.
 */
export function binaryErosion(mask: Mask, options: FootprintOptions = {}): Mask {
  checkImage(mask, 'mask');
  return erode(mask, resolveShape(options));
}
