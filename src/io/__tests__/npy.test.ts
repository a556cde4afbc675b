import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HAS_SHARED, readSharedBytes, sharedPath } from '../../../test/shared.js';
import { ImageFormatError, UnsupportedError } from '../../errors.js';
import { decodeNpy, npyToNumbers } from '../npy.js';

/** Builds a .npy file the way numpy.save lays it out (format 1.0, header padded to 64 bytes). */
function npy(descr: string, shape: number[], payload: Uint8Array, fortran = false): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  header += ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
  const out = new Uint8Array(10 + header.length + payload.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  out.set(new TextEncoder().encode(header), 10);
  out.set(payload, 10 + header.length);
  return out;
}

describe('decodeNpy', () => {
  it('reads little-endian float32 and bool arrays', () => {
    const values = Float32Array.from([1.5, -2, NaN, 4]);
    const array = decodeNpy(npy('<f4', [2, 2], new Uint8Array(values.buffer)));
    expect(array.dtype).toBe('float32');
    expect(array.shape).toEqual([2, 2]);
    expect(Array.from(array.data as Float32Array)).toEqual([1.5, -2, NaN, 4]);
    const bools = decodeNpy(npy('|b1', [3], Uint8Array.from([1, 0, 1])));
    expect(bools.dtype).toBe('bool');
    expect(Array.from(bools.data as Uint8Array)).toEqual([1, 0, 1]);
  });

  it('swaps big-endian data and reorders Fortran-order arrays to C order', () => {
    const big = decodeNpy(npy('>u2', [2], Uint8Array.from([0x01, 0x02, 0xff, 0x00])));
    expect(Array.from(big.data as Uint16Array)).toEqual([0x0102, 0xff00]);
    // Fortran order stores columns first: [[1, 2, 3], [4, 5, 6]] is 1 4 2 5 3 6.
    const f = decodeNpy(
      npy('<i4', [2, 3], new Uint8Array(Int32Array.from([1, 4, 2, 5, 3, 6]).buffer), true),
    );
    expect(Array.from(f.data as Int32Array)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('reads int64 as BigInt and converts to numbers on request', () => {
    const array = decodeNpy(
      npy('<i8', [2], new Uint8Array(BigInt64Array.from([-3n, 2n ** 40n]).buffer)),
    );
    expect(array.dtype).toBe('int64');
    expect(Array.from(npyToNumbers(array))).toEqual([-3, 2 ** 40]);
  });

  it('raises typed errors for non-npy data, object arrays and truncation', () => {
    expect(() => decodeNpy(Uint8Array.from([1, 2, 3]))).toThrow(ImageFormatError);
    expect(() => decodeNpy(npy('|O', [1], new Uint8Array(8)))).toThrow(UnsupportedError);
    expect(() => decodeNpy(npy('<f8', [4], new Uint8Array(16)))).toThrow(ImageFormatError);
  });
});

describe.skipIf(!HAS_SHARED)('every .npy fixture in ../shared', () => {
  it('reads with the shape its header declares (object arrays refused with a typed error)', () => {
    const files = readdirSync(sharedPath('fixtures'), { recursive: true, encoding: 'utf8' }).filter(
      (f) => f.endsWith('.npy'),
    );
    expect(files.length).toBeGreaterThan(300);
    const dtypes = new Set<string>();
    for (const file of files) {
      const bytes = readSharedBytes('fixtures', file);
      let array;
      try {
        array = decodeNpy(bytes, file);
      } catch (error) {
        expect(error, file).toBeInstanceOf(UnsupportedError);
        continue;
      }
      dtypes.add(array.dtype);
      expect(array.data.length, file).toBe(array.shape.reduce((a, b) => a * b, 1));
    }
    expect([...dtypes].sort()).toEqual([
      'bool',
      'float32',
      'float64',
      'int16',
      'int32',
      'int64',
      'uint16',
      'uint32',
      'uint8',
    ]);
  });
});
