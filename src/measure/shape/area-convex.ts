import type { Mask } from '../../image/types.js';
import { hullRows } from './hull.js';
import { rowExtentsOf } from './row-extents.js';
import { checkImage } from '../../image/validate.js';

/**
 * Pixels in the object's convex hull image — regionprops' `area_convex`
 * (`np.sum(convex_hull_image(region.image))`, scikit-image 0.19.3); see `convexHullImage` for
 * the hull. 0 for an empty mask. Units: pixels. O(pixels), without building the image.
 */
export function areaConvex(mask: Mask): number {
  checkImage(mask, 'mask');
  return hullRows(rowExtentsOf(mask)).area;
}
