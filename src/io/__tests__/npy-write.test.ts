import { describe, expect, it } from 'vitest';
import { encodeNpy, decodeNpy } from '../npy.js';
import { HAS_SHARED, readSharedBytes } from '../../../test/shared.js';

describe('encodeNpy', () => {
  it('round-trips through decodeNpy for every numeric type', () => {
    const cases = [
      new Uint8Array([1, 2, 255, 0, 7, 9]),
      new Int16Array([-3, 2, 1, 0, 9, -32768]),
      new Uint16Array([0, 65535, 3, 4, 5, 6]),
      new Int32Array([-1, 2, 3, 4, 5, 6]),
      new Uint32Array([4294967295, 2, 3, 4, 5, 6]),
      new Float32Array([0.5, -1.25, 3, 4, 5, 1e-8]),
      new Float64Array([Math.PI, 2, 3, 4, 5, 6]),
    ];
    for (const data of cases) {
      const back = decodeNpy(encodeNpy(data, [2, 3]));
      expect(back.shape).toEqual([2, 3]);
      expect(back.data).toEqual(data);
    }
    expect(decodeNpy(encodeNpy(new Float32Array([1, 2]), [2])).shape).toEqual([2]);
  });

  it('writes the header numpy.save writes (64-byte aligned)', () => {
    const bytes = encodeNpy(new Float32Array(12), [3, 4]);
    const headerLength = bytes[8] | (bytes[9] << 8);
    expect((10 + headerLength) % 64).toBe(0);
    const header = new TextDecoder().decode(bytes.subarray(10, 10 + headerLength));
    expect(header).toMatch(/^\{'descr': '<f4', 'fortran_order': False, 'shape': \(3, 4\), \} +\n$/);
  });

  it.skipIf(!HAS_SHARED)('gives the bytes NumPy gave for a fixture array', () => {
    const original = readSharedBytes('fixtures/cellpose/e2e/image_cyx.npy');
    const array = decodeNpy(original);
    expect(encodeNpy(array.data as Uint16Array, array.shape)).toEqual(original);
  });

  it('refuses a shape that does not fit the data', () => {
    expect(() => encodeNpy(new Float32Array(5), [2, 3])).toThrow(/holds 6 values, got 5/);
  });
});
