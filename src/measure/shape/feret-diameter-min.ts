import type { Mask } from '../../image/types.js';
import { caliperAngle, contourHull, hullRows, minWidth } from './hull.js';
import { rowExtentsOf, type RowExtents } from './row-extents.js';
import { checkImage } from '../../image/validate.js';

/** The narrowest caliper width of an object and the direction it is measured in. */
export interface FeretMin {
  /** Smallest distance between two parallel lines enclosing the object, in pixels. */
  readonly diameter: number;
  /**
   * Direction of the measurement — perpendicular to the two caliper lines — in degrees in
   * [0, 180), counterclockwise from the +x (column) axis with y pointing up, ImageJ's angle
   * convention: 0 means the width is measured along a row (the object is narrowest left to right),
   * 90 along a column. Where several directions give the same width (a square, a disc) the smallest
   * angle is reported. NaN for an empty mask.
   */
  readonly angle: number;
}

/**
 * Minimum Feret diameter (narrowest caliper width), ImageJ's "MinFeret", over the same points as
 * `feretDiameterMax`: the 0.5-level contour of the object's convex hull image (midpoints of the
 * pixel edges around the hull). The minimum is reached with one caliper along a hull edge, so
 * each edge of the points' hull is tried against its farthest vertex (rotating calipers).
 *
 * For a w × h rectangle this is min(w, h) as in ImageJ. ImageJ measures the pixel-corner outline,
 * these points are one half pixel in from the corners, so objects only a pixel or two wide come
 * out narrower than ImageJ's: a single pixel gives √2/2 (its four edge midpoints form a diamond),
 * not 1. `{ diameter: 0, angle: NaN }` for an empty mask. Units: pixels. O(pixels of the crop).
 */
export function feretDiameterMin(mask: Mask): FeretMin {
  checkImage(mask, 'mask');
  return feretDiameterMinOfRows(rowExtentsOf(mask));
}

/** {@link feretDiameterMin} of an object given by its row extents (regionprops' own pass). */
export function feretDiameterMinOfRows(object: RowExtents): FeretMin {
  const { lo, hi, area } = hullRows(object);
  if (area === 0) return { diameter: 0, angle: NaN };
  const { width, dy, dx } = minWidth(contourHull(lo, hi, object.height));
  return { diameter: width / 2, angle: caliperAngle(dy, dx) };
}
