import type { Mask } from '../../image/types.js';
import { hullRows } from './hull.js';
import { rowExtentsOf } from './row-extents.js';
import { countPixels } from './scratch.js';
import { checkImage } from '../../image/validate.js';

/**
 * Object pixels over convex-hull pixels, regionprops' `solidity` (`area / area_convex`,
 * scikit-image 0.19.3): 1 for a convex object, smaller the more of its hull it leaves empty.
 * Holes count as missing pixels. NaN for an empty mask (0 / 0). O(pixels).
 */
export function solidity(mask: Mask): number {
  checkImage(mask, 'mask');
  const area = countPixels(mask);
  return area / hullRows(rowExtentsOf(mask)).area;
}
