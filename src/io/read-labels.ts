import { ImageFormatError } from '../errors.js';
import type { Labels } from '../image/types.js';
import { readImage, type ReadImageOptions } from './read-image.js';

/**
 * Reads a label image (any integer TIFF/PNG, or float with whole non-negative values, as some
 * tools save them) as Labels. A multi-channel file takes its first channel.
 */
export async function readLabels(path: string, options: ReadImageOptions = {}): Promise<Labels> {
  const stack = await readImage(path, options);
  const { width, height, data } = stack.planes[0];
  const labels = new Uint32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!(v >= 0 && v <= 0xffffffff && Number.isInteger(v))) {
      throw new ImageFormatError(`not a label image: pixel ${i} holds ${v}`, {
        file: path,
        hint: 'labels must be whole numbers ≥ 0 (0 = background)',
      });
    }
    labels[i] = v;
  }
  return { width, height, data: labels };
}
