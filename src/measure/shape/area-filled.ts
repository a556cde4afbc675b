import type { Mask } from '../../image/types.js';
import { floodOutside } from './filled-image.js';
import { checkImage } from '../../image/validate.js';

/**
 * Pixels of the object with its holes filled, regionprops' `area_filled` (scikit-image 0.19.3):
 * every pixel of the crop but the background the outside reaches through 8-connected background;
 * see `filledImage`. Units: pixels. O(pixels); no per-pixel allocation, buffers reused across
 * calls.
 */
export function areaFilled(mask: Mask): number {
  checkImage(mask, 'mask');
  const { width, height } = mask;
  if (width === 0 || height === 0) return 0;
  return width * height - floodOutside(mask).reached;
}
