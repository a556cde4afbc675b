import type { Mask } from '../../image/types.js';
import { contourHull, diameter2, hullRows } from './hull.js';
import { rowExtentsOf, type RowExtents } from './row-extents.js';
import { checkImage } from '../../image/validate.js';

/**
 * Maximum Feret diameter (largest caliper width) of the object, as regionprops'
 * `feret_diameter_max` in scikit-image 0.19.3: the largest distance between two points of the
 * 0.5-level contour (`find_contours(..., fully_connected='high')`) of the object's convex hull
 * image padded by 2 pixels. On a 0/1 image those contour points are the midpoints of the pixel
 * edges between hull and non-hull pixels, so corners are cut: a w × h rectangle gives
 * √(max(w, h)² + (min(w, h) − 1)²), e.g. √452 ≈ 21.26 for 16 × 15, not the corner-to-corner
 * √(16² + 15²); a single pixel gives 1, a 1 × n line n.
 *
 * Computed on the convex hull of those points with rotating calipers, in exact integer
 * arithmetic, so it agrees with skimage's all-pairs maximum to the last bit (skimage's squared
 * distances between half-integer points are exact too). 0 for an empty mask (skimage raises).
 * Units: pixels. O(pixels of the crop); no per-pixel allocation, buffers reused across calls.
 */
export function feretDiameterMax(mask: Mask): number {
  checkImage(mask, 'mask');
  return feretDiameterMaxOfRows(rowExtentsOf(mask));
}

/** {@link feretDiameterMax} of an object given by its row extents (regionprops' own pass). */
export function feretDiameterMaxOfRows(object: RowExtents): number {
  const { lo, hi, area } = hullRows(object);
  if (area === 0) return 0;
  // Doubled coordinates: halve the distance.
  return Math.sqrt(diameter2(contourHull(lo, hi, object.height))) / 2;
}
