import { allocatePixels, dtypeOf } from './dtype.js';
import type { DType, Labels, PixelArray, Plane } from './types.js';
import { checkImage, checkSize } from './validate.js';

/** Wraps `data` as a plane after checking that its length is `width × height`. */
export function createPlane<T extends PixelArray>(
  width: number,
  height: number,
  data: T,
): Plane<T> {
  checkImage({ width, height, data }, 'plane');
  dtypeOf(data);
  return { width, height, data };
}

export function zeroPlane(width: number, height: number, dtype: DType): Plane {
  checkSize('image', width, height);
  return { width, height, data: allocatePixels(dtype, width * height) };
}

export function createLabels(width: number, height: number, data?: Uint32Array): Labels {
  checkSize('label image', width, height);
  const pixels = data ?? new Uint32Array(width * height);
  checkImage({ width, height, data: pixels }, 'label');
  return { width, height, data: pixels };
}
