import { expect } from 'vitest';
import { allocatePixels, integerRange } from '../../../image/dtype.js';
import { createStack } from '../../../image/stack.js';
import { type DType, type PixelArray, type PixelSize, type Stack } from '../../../image/types.js';
import { parseTiff } from '../ifd.js';
import { decodeTiffArray, tiffArrayToStack } from '../read.js';
import { Compression } from '../tags.js';
import {
  TIFF_COMPRESSIONS,
  encodeTiff,
  type TiffCompression,
  type WriteTiffOptions,
} from '../write.js';

/** Deterministic bytes (xorshift32), so a failure reproduces. */
export function randomBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = s & 0xff;
  }
  return out;
}

/** The values at the edges of each dtype, written over the first pixels of a plane. */
export function extremes(dtype: DType): number[] {
  if (dtype === 'float32') {
    const max = 3.4028234663852886e38;
    return [NaN, -0, 0, Infinity, -Infinity, max, -max, 1.401298464324817e-45, -1.5, 1e-38];
  }
  if (dtype === 'float64') {
    return [NaN, -0, 0, Infinity, -Infinity, Number.MAX_VALUE, -Number.MAX_VALUE, 5e-324, -1.5];
  }
  const [min, max] = integerRange(dtype);
  return [min, max, 0, min + 1, max - 1, min < 0 ? -1 : 1];
}

/** A plane of random bit patterns (every value, NaN payloads included) with the extremes first. */
export function makePlane(dtype: DType, width: number, height: number, seed: number): PixelArray {
  const data = allocatePixels(dtype, width * height);
  new Uint8Array(data.buffer).set(randomBytes(data.byteLength, seed));
  extremes(dtype).forEach((v, i) => {
    if (i < data.length) data[i] = v;
  });
  return data;
}

export function makeStack(
  dtype: DType,
  width: number,
  height: number,
  channels: number,
  seed = 1,
  pixelSizeUm?: PixelSize,
): Stack {
  const planes = Array.from({ length: channels }, (_, c) => ({
    width,
    height,
    data: makePlane(dtype, width, height, seed * 31 + c),
  }));
  return createStack(planes, {
    channelNames: planes.map((_, c) => ['DAPI', 'GFP', 'mCherry', 'Cy5'][c] ?? `C${c}`),
    pixelSizeUm,
  });
}

export function bytesOf(data: PixelArray): Buffer {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

export function expectSamePlanes(actual: Stack, expected: Stack): void {
  expect(actual.planes).toHaveLength(expected.planes.length);
  actual.planes.forEach((plane, c) => {
    const want = expected.planes[c];
    expect([plane.width, plane.height]).toEqual([want.width, want.height]);
    expect(plane.data.constructor).toBe(want.data.constructor);
    // Byte equality: exact for every dtype, NaN payloads and -0 included.
    expect(bytesOf(plane.data).equals(bytesOf(want.data))).toBe(true);
  });
}

export function roundTrip(stack: Stack, options?: WriteTiffOptions): Stack {
  return tiffArrayToStack(decodeTiffArray(encodeTiff(stack, options)));
}

export function firstIfd(bytes: Uint8Array) {
  return parseTiff(bytes).ifds[0];
}

/** width × height pairs: single pixel, single column/row, odd, and several strips with a short last one. */
export const SIZES: [number, number][] = [
  [1, 1],
  [1, 37],
  [37, 1],
  [7, 13],
  [301, 250],
];

export const OPTION_SETS: { name: string; options: WriteTiffOptions; integerOnly?: boolean }[] = [
  ...TIFF_COMPRESSIONS.map((compression) => ({ name: compression, options: { compression } })),
  {
    name: 'deflate + predictor',
    options: { compression: 'deflate', predictor: true },
    integerOnly: true,
  },
  { name: 'lzw + predictor', options: { compression: 'lzw', predictor: true }, integerOnly: true },
];

export const COMPRESSION_TAG: Record<TiffCompression, number> = {
  none: Compression.None,
  deflate: Compression.Deflate,
  lzw: Compression.LZW,
  packbits: Compression.PackBits,
};
