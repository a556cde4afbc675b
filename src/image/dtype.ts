import { InvalidArgumentError } from '../errors.js';
import type { DType, PixelArray } from './types.js';

type PixelArrayConstructor = {
  new (length: number): PixelArray;
  new (buffer: ArrayBufferLike, byteOffset?: number, length?: number): PixelArray;
  readonly BYTES_PER_ELEMENT: number;
};

const CONSTRUCTORS: Record<DType, PixelArrayConstructor> = {
  uint8: Uint8Array,
  uint16: Uint16Array,
  uint32: Uint32Array,
  int8: Int8Array,
  int16: Int16Array,
  int32: Int32Array,
  float32: Float32Array,
  float64: Float64Array,
};

export function arrayConstructorOf(dtype: DType): PixelArrayConstructor {
  return CONSTRUCTORS[dtype];
}

export function bytesPerSample(dtype: DType): number {
  return CONSTRUCTORS[dtype].BYTES_PER_ELEMENT;
}

/** Allocates a zeroed array of `length` pixels of `dtype`. */
export function allocatePixels(dtype: DType, length: number): PixelArray {
  return new CONSTRUCTORS[dtype](length);
}

export function dtypeOf(data: PixelArray): DType {
  if (data instanceof Uint8Array) return 'uint8';
  if (data instanceof Uint16Array) return 'uint16';
  if (data instanceof Uint32Array) return 'uint32';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  throw new InvalidArgumentError(
    'pixel data must be a Uint8/16/32, Int8/16/32 or Float32/64 array',
  );
}

export function isIntegerDtype(dtype: DType): boolean {
  return dtype !== 'float32' && dtype !== 'float64';
}

/** The representable range of an integer dtype (what ImageJ calls the display range of a type). */
export function integerRange(dtype: DType): [number, number] {
  switch (dtype) {
    case 'uint8':
      return [0, 255];
    case 'uint16':
      return [0, 65535];
    case 'uint32':
      return [0, 4294967295];
    case 'int8':
      return [-128, 127];
    case 'int16':
      return [-32768, 32767];
    case 'int32':
      return [-2147483648, 2147483647];
    default:
      throw new InvalidArgumentError(`${dtype} is not an integer dtype`);
  }
}
