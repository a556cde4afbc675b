import type { Mask } from '../../image/types.js';
import { checkRadius } from './footprint.js';

/**
 * The disk footprint of skimage.morphology.disk(radius): the (2r + 1) × (2r + 1) mask of offsets
 * with dx² + dy² ≤ r².
 *
 * @throws InvalidArgumentError unless `radius` is a non-negative integer.
 */
export function disk(radius: number): Mask {
  checkRadius(radius);
  const size = 2 * radius + 1;
  const data = new Uint8Array(size * size);
  const r2 = radius * radius;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if ((y - radius) ** 2 + (x - radius) ** 2 <= r2) data[y * size + x] = 1;
    }
  }
  return { width: size, height: size, data };
}
