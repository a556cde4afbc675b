import { InvalidArgumentError } from '../errors.js';
import { allocatePixels, dtypeOf } from './dtype.js';
import type { DType, Labels, PixelArray, Plane } from './types.js';

/** Wraps `data` as a plane after checking that its length is `width × height`. */
export function createPlane<T extends PixelArray>(
  width: number,
  height: number,
  data: T,
): Plane<T> {
  assertSize(width, height);
  if (data.length !== width * height) {
    throw new InvalidArgumentError(
      `plane data has ${data.length} pixels, expected ${width} × ${height} = ${width * height}`,
    );
  }
  dtypeOf(data);
  return { width, height, data };
}

export function zeroPlane(width: number, height: number, dtype: DType): Plane {
  assertSize(width, height);
  return { width, height, data: allocatePixels(dtype, width * height) };
}

export function createLabels(width: number, height: number, data?: Uint32Array): Labels {
  assertSize(width, height);
  const pixels = data ?? new Uint32Array(width * height);
  if (pixels.length !== width * height) {
    throw new InvalidArgumentError(
      `label data has ${pixels.length} pixels, expected ${width} × ${height} = ${width * height}`,
    );
  }
  return { width, height, data: pixels };
}

function assertSize(width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0) {
    throw new InvalidArgumentError(
      `image size must be non-negative integers, got ${width} × ${height}`,
    );
  }
}
