import type { Mask } from '../../image/types.js';
import { intScratch, paddedMask } from './scratch.js';

/**
 * Histogram of the 2 × 2 neighbourhood configurations of a binary image, as skimage's
 * `euler_number` and `perimeter_crofton` build it: every 2 × 2 window that overlaps the image
 * (outside is background) gets the code
 *
 *     8 · top-left + 2 · top-right + 4 · bottom-left + 1 · bottom-right
 *
 * and `counts[code]` is the number of windows with that code (entries 0..15).
 * The returned array is scratch: read it before the next call.
 *
 * Internal to measure/shape.
 */
export function quadCounts(mask: Mask): Int32Array {
  const { width, height } = mask;
  const stride = width + 2;
  const padded = paddedMask(mask, 0);
  const counts = intScratch(0, 16);
  counts.fill(0, 0, 16);
  // Windows whose bottom-right pixel is (y, x) in padded coordinates, y, x ≥ 1: the ones that touch
  // the image; the rest are all background (code 0) and weigh nothing.
  for (let y = 1; y <= height + 1; y++) {
    const row = y * stride;
    const above = row - stride;
    let left = 4 * padded[row] + 8 * padded[above];
    for (let x = 1; x <= width + 1; x++) {
      const right = padded[row + x] + 2 * padded[above + x];
      counts[left + right]++;
      left = 4 * right;
    }
  }
  return counts;
}
