import { ImageFormatError, UnsupportedError } from '../errors.js';

export type NpyData =
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

export interface NpyArray {
  /** numpy dtype name: `uint8`, `float32`, `bool`, `int64`, … */
  dtype: string;
  shape: number[];
  /** C-order values in this machine's byte order; `bool` is a Uint8Array of 0/1. */
  data: NpyData;
}

const KINDS: Record<string, { dtype: string; ctor: new (n: number) => NpyData; size: number }> = {
  b1: { dtype: 'bool', ctor: Uint8Array, size: 1 },
  u1: { dtype: 'uint8', ctor: Uint8Array, size: 1 },
  i1: { dtype: 'int8', ctor: Int8Array, size: 1 },
  u2: { dtype: 'uint16', ctor: Uint16Array, size: 2 },
  i2: { dtype: 'int16', ctor: Int16Array, size: 2 },
  u4: { dtype: 'uint32', ctor: Uint32Array, size: 4 },
  i4: { dtype: 'int32', ctor: Int32Array, size: 4 },
  u8: { dtype: 'uint64', ctor: BigUint64Array, size: 8 },
  i8: { dtype: 'int64', ctor: BigInt64Array, size: 8 },
  f4: { dtype: 'float32', ctor: Float32Array, size: 4 },
  f8: { dtype: 'float64', ctor: Float64Array, size: 8 },
};

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"

/** A `.npy` file's header: dtype string, layout, shape and where the data starts. */
export interface NpyHeader {
  descr: string;
  fortran: boolean;
  shape: number[];
  dataStart: number;
}

/** Parses the header of a NumPy `.npy` file (format versions 1–3). */
export function readNpyHeader(bytes: Uint8Array, file?: string): NpyHeader {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new ImageFormatError('not a .npy file (bad magic)', { file });
  }
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = major === 1 ? 10 : 12;
  const dataStart = headerStart + headerLength;
  if (dataStart > bytes.length) throw new ImageFormatError('.npy header is truncated', { file });
  const header = new TextDecoder(major >= 3 ? 'utf-8' : 'latin1').decode(
    bytes.subarray(headerStart, dataStart),
  );
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1] === 'True';
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || shapeText === undefined) {
    throw new ImageFormatError(`.npy header is not understood: ${header.trim()}`, { file });
  }
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  return { descr, fortran, shape, dataStart };
}

/** Parses a NumPy `.npy` file (format versions 1–3) of a numeric or bool dtype. */
export function decodeNpy(bytes: Uint8Array, file?: string): NpyArray {
  const { descr, fortran, shape, dataStart } = readNpyHeader(bytes, file);
  const kind = KINDS[descr.slice(1)];
  if (!kind || !'<>|='.includes(descr[0])) {
    throw new UnsupportedError(`.npy dtype ${descr} is not supported (numeric and bool only)`, {
      file,
    });
  }
  const count = shape.reduce((a, b) => a * b, 1);
  if (dataStart + count * kind.size > bytes.length) {
    throw new ImageFormatError(
      `.npy data is truncated: ${count} values of ${kind.size} bytes need ${count * kind.size} bytes`,
      { file },
    );
  }
  const data = new kind.ctor(count);
  const raw = new Uint8Array(data.buffer);
  raw.set(bytes.subarray(dataStart, dataStart + count * kind.size));
  if (descr[0] === '>' && kind.size > 1) swapBytes(raw, kind.size);
  return { dtype: kind.dtype, shape, data: fortran ? fortranToC(data, shape) : data };
}

/** Values as plain numbers (int64 beyond 2^53 loses precision). */
export function npyToNumbers(array: NpyArray): Float64Array {
  const out = new Float64Array(array.data.length);
  for (let i = 0; i < out.length; i++) out[i] = Number(array.data[i]);
  return out;
}

function swapBytes(raw: Uint8Array, size: number): void {
  for (let i = 0; i < raw.length; i += size) raw.subarray(i, i + size).reverse();
}

function fortranToC(data: NpyData, shape: number[]): NpyData {
  const out = new (data.constructor as new (n: number) => NpyData)(data.length);
  const rank = shape.length;
  const index = new Array<number>(rank).fill(0);
  for (let f = 0; f < data.length; f++) {
    let c = 0;
    for (let d = 0; d < rank; d++) c = c * shape[d] + index[d];
    out[c] = data[f];
    for (let d = 0; d < rank; d++) {
      if (++index[d] < shape[d]) break;
      index[d] = 0;
    }
  }
  return out;
}

/**
 * Encodes a C-order array as a NumPy `.npy` file (format 1.0, little-endian), as `numpy.save`
 * writes it: the header padded with spaces to a multiple of 64 bytes.
 */
export function encodeNpy(
  data: Exclude<NpyData, BigInt64Array | BigUint64Array>,
  shape: readonly number[],
): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) {
    throw new UnsupportedError(
      `shape [${shape.join(', ')}] holds ${count} values, got ${data.length}`,
    );
  }
  const kind = Object.entries(KINDS).find(([code, k]) => code !== 'b1' && data instanceof k.ctor)!;
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '${kind[1].size === 1 ? '|' : '<'}${kind[0]}', 'fortran_order': False, 'shape': (${dims}), }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set(MAGIC);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  // Typed arrays are in this machine's order; every platform Node runs on is little-endian.
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
}
