import type { Mask } from '../../image/types.js';
import { hullRows } from './hull.js';
import { rowExtentsOf } from './row-extents.js';
import { checkImage } from '../../image/validate.js';

/**
 * Convex hull image of the object in a binary image, as scikit-image 0.19.3's
 * `skimage.morphology.convex_hull_image(image)` (`offset_coordinates=True`) and regionprops'
 * `image_convex`: 1 for every pixel whose centre lies in the convex hull of the object pixels,
 * each pixel taken as the four midpoints of its edges, (r ± ½, c) and (r, c ± ½). Centres exactly
 * on the hull's outline are inside, as skimage's `grid_points_in_poly` counts them.
 *
 * The hull is computed exactly in integer arithmetic from the first and last object pixel of each
 * row (the only possible hull vertices), so there is no floating-point tolerance to tune: skimage's
 * `tolerance=1e-10` applies to its n-D path only, and the 2-D point-in-polygon test it uses is
 * exact for these half-integer coordinates. An empty mask gives an empty image (skimage warns).
 * Nonzero mask values are object. O(pixels); allocates only the result.
 */
export function convexHullImage(mask: Mask): Mask {
  checkImage(mask, 'mask');
  const { width, height } = mask;
  const out = new Uint8Array(width * height);
  const { lo, hi } = hullRows(rowExtentsOf(mask));
  for (let r = 0; r < height; r++) {
    if (hi[r] >= lo[r]) out.fill(1, r * width + lo[r], r * width + hi[r] + 1);
  }
  return { width, height, data: out };
}
