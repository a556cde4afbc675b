import { InvalidArgumentError } from '../errors.js';
import { allocatePixels, dtypeOf } from './dtype.js';
import type { PixelArray, Plane } from './types.js';

export interface CropRegion {
  /** First row (y) kept. */
  top: number;
  /** First column (x) kept. */
  left: number;
  width: number;
  height: number;
}

/** Copies a rectangle out of a plane; the region must lie inside it. */
export function crop<T extends PixelArray>(plane: Plane<T>, region: CropRegion): Plane<T> {
  const { top, left, width, height } = region;
  const inside =
    [top, left, width, height].every(Number.isInteger) &&
    top >= 0 &&
    left >= 0 &&
    width >= 0 &&
    height >= 0 &&
    top + height <= plane.height &&
    left + width <= plane.width;
  if (!inside) {
    throw new InvalidArgumentError(
      `crop ${width}×${height} at (row ${top}, col ${left}) does not fit in a ${plane.width}×${plane.height} plane`,
    );
  }
  const data = allocatePixels(dtypeOf(plane.data), width * height) as T;
  for (let y = 0; y < height; y++) {
    const start = (top + y) * plane.width + left;
    data.set(plane.data.subarray(start, start + width), y * width);
  }
  return { width, height, data };
}
