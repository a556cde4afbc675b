import type { Mask } from '../../image/types.js';
import { intScratch } from './scratch.js';

/**
 * An object as its first and last column on every row of its crop: all the convex hull, the
 * convex area and the Feret diameters need (only a row's end pixels can be hull vertices).
 * `lo[r] > hi[r]` where row r misses the object. Columns are relative to the crop.
 *
 * Internal to measure.
 */
export interface RowExtents {
  readonly width: number;
  readonly height: number;
  readonly lo: Int32Array;
  readonly hi: Int32Array;
}

// intScratch slots (see hull.ts for the others).
const ROW_LO = 1;
const ROW_HI = 2;

/**
 * The row extents of a binary image's object (nonzero = object), scanning each row from both
 * ends. The arrays are scratch: read them before the next call.
 */
export function rowExtentsOf(mask: Mask): RowExtents {
  const { width, height, data } = mask;
  const lo = intScratch(ROW_LO, height);
  const hi = intScratch(ROW_HI, height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let a = 0;
    while (a < width && data[row + a] === 0) a++;
    if (a === width) {
      lo[y] = 0;
      hi[y] = -1;
      continue;
    }
    let b = width - 1;
    while (data[row + b] === 0) b--;
    lo[y] = a;
    hi[y] = b;
  }
  return { width, height, lo, hi };
}

/** Whether any row holds a pixel of the object. */
export function hasPixels({ height, lo, hi }: RowExtents): boolean {
  for (let y = 0; y < height; y++) if (lo[y] <= hi[y]) return true;
  return false;
}
