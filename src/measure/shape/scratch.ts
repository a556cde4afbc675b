import type { Mask } from '../../image/types.js';

/**
 * Buffers the shape functions reuse from call to call, so measuring tens of thousands of objects
 * allocates no buffer per object. Each slot belongs to one step; no buffer outlives a call.
 *
 * Internal to measure/shape.
 */

const bytes: Uint8Array[] = [];
const ints: Int32Array[] = [];

/** A byte buffer of at least `size` elements; contents are whatever the last user left. */
export function byteScratch(slot: number, size: number): Uint8Array {
  let buffer = bytes[slot];
  if (!buffer || buffer.length < size) {
    buffer = new Uint8Array(Math.max(size, 2 * (buffer?.length ?? 0), 1024));
    bytes[slot] = buffer;
  }
  return buffer;
}

/** An int32 buffer of at least `size` elements; contents are whatever the last user left. */
export function intScratch(slot: number, size: number): Int32Array {
  let buffer = ints[slot];
  if (!buffer || buffer.length < size) {
    buffer = new Int32Array(Math.max(size, 2 * (buffer?.length ?? 0), 256));
    ints[slot] = buffer;
  }
  return buffer;
}

/**
 * The mask as 0/1 with one pixel of background all round (stride width + 2), in a scratch buffer:
 * the zero padding plays skimage's "outside the crop is background".
 */
export function paddedMask(mask: Mask, slot: number): Uint8Array {
  const { width, height, data } = mask;
  const stride = width + 2;
  const size = stride * (height + 2);
  const padded = byteScratch(slot, size);
  padded.fill(0, 0, stride);
  padded.fill(0, size - stride, size);
  for (let y = 0; y < height; y++) {
    const source = y * width;
    const target = (y + 1) * stride + 1;
    padded[target - 1] = 0;
    padded[target + width] = 0;
    for (let x = 0; x < width; x++) padded[target + x] = data[source + x] !== 0 ? 1 : 0;
  }
  return padded;
}

/** Pixels of the object (nonzero values of the mask). */
export function countPixels(mask: Mask): number {
  const { data } = mask;
  let n = 0;
  for (let i = 0; i < data.length; i++) if (data[i] !== 0) n++;
  return n;
}
