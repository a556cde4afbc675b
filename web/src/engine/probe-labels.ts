// Reads just enough of a file to tell whether it could be a label image of the open image.
import { decodeTiff, sniffFormat, type PixelArray } from 'cellscope/browser';
import type { LabelProbe } from './protocol.js';

/**
 * A TIFF's size, channels, pixel type and flatness, or null for anything else. Files with more
 * pixels than `maxPixels` (the open image's plane) are refused from the header alone, so a large
 * image dropped onto the page is never decoded twice.
 */
export function probeLabels(bytes: Uint8Array, maxPixels: number): LabelProbe | null {
  if (sniffFormat(bytes) !== 'tiff') return null;
  try {
    const stack = decodeTiff(bytes, { maxPixels });
    const { width, height, data } = stack.planes[0];
    return {
      width,
      height,
      channels: stack.planes.length,
      integer: !(data instanceof Float32Array || data instanceof Float64Array),
      flatFraction: flatFraction(data, width),
    };
  } catch {
    return null;
  }
}

/** Of the non-zero pixels with a right neighbour, the fraction equal to it (1 when none). */
export function flatFraction(data: PixelArray, width: number): number {
  let nonZero = 0;
  let equal = 0;
  for (let i = 0; i < data.length; i++) {
    if (data[i] === 0 || (i + 1) % width === 0) continue;
    nonZero++;
    if (data[i + 1] === data[i]) equal++;
  }
  return nonZero === 0 ? 1 : equal / nonZero;
}
