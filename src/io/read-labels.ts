import { ImageFormatError } from '../errors.js';
import type { Labels, PixelArray } from '../image/types.js';
import { readImage, type ReadImageOptions } from './read-image.js';

/**
 * Reads a label image (any integer TIFF/PNG, or float with whole non-negative values, as some
 * tools save them) as Labels. A multi-channel file takes its first channel.
 */
export async function readLabels(path: string, options: ReadImageOptions = {}): Promise<Labels> {
  const stack = await readImage(path, options);
  const { width, height, data } = stack.planes[0];
  const bad = firstNonLabel(data);
  if (bad >= 0) {
    throw new ImageFormatError(`not a label image: pixel ${bad} holds ${data[bad]}`, {
      file: path,
      hint: 'labels must be whole numbers ≥ 0 (0 = background)',
    });
  }
  // A uint32 plane that fills its buffer is taken as it is (a view would keep the other planes).
  if (data instanceof Uint32Array && data.byteLength === data.buffer.byteLength) {
    return { width, height, data };
  }
  const labels = new Uint32Array(data.length);
  labels.set(data);
  return { width, height, data: labels };
}

/** Index of the first pixel that is not a whole number in [0, 2³²), or −1 when all are. */
function firstNonLabel(data: PixelArray): number {
  if (data instanceof Uint8Array || data instanceof Uint16Array || data instanceof Uint32Array) {
    return -1;
  }
  if (data instanceof Int8Array || data instanceof Int16Array || data instanceof Int32Array) {
    for (let i = 0; i < data.length; i++) if (data[i] < 0) return i;
    return -1;
  }
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!(v >= 0 && v <= 0xffffffff && Number.isInteger(v))) return i;
  }
  return -1;
}
