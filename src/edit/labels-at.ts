import type { Labels } from '../image/types.js';

/**
 * The label under the point (x, y): the coordinates are floored to the pixel they fall in, so a
 * mouse position in image pixels picks the pixel it is over. Outside the image (or for a
 * non-finite coordinate) the answer is 0, the background.
 */
export function labelsAt(labels: Labels, x: number, y: number): number {
  const column = Math.floor(x);
  const row = Math.floor(y);
  // `!(a >= b)` style checks also send NaN to the background.
  if (!(column >= 0 && column < labels.width && row >= 0 && row < labels.height)) return 0;
  return labels.data[row * labels.width + column] ?? 0;
}
