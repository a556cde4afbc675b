import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ImageFormatError, CellscopeError } from '../../../errors.js';
import {
  countedCases,
  HAS_SHARED,
  readSharedBytes,
  readSharedJson,
  readSharedNpy,
} from '../../../../test/shared.js';
import { decodeTiffArray, tiffArrayToStack } from '../read.js';

interface TiffCase {
  file: string;
  expected: string | null;
  shape?: number[];
  dtype?: string;
  error?: boolean;
  metadata?: {
    axes?: string;
    channels?: number;
    slices?: number;
    pixel_size_xy_um?: number;
    z_spacing_um?: number;
    channel_names?: string[];
    physical_size_x_um?: number;
    physical_size_y_um?: number;
  };
}
interface SharedDataCase {
  file: string;
  shape: number[];
  axes: string;
  dtype: string;
  sum: number;
  min: number;
  max: number;
  sha256_of_c_order_bytes: string;
}
interface Manifest {
  cases: TiffCase[];
  shared_data: SharedDataCase[];
}

const manifest: Manifest = HAS_SHARED
  ? readSharedJson<Manifest>('fixtures/tiff/manifest.json')
  : { cases: [], shared_data: [] };
const goodCases = countedCases(
  manifest.cases.filter((c) => !c.error),
  18,
  'readable TIFF',
);
const badCases = countedCases(
  manifest.cases.filter((c) => c.error),
  4,
  'refused TIFF',
);
const sharedData = countedCases(manifest.shared_data, 11, 'TIFF in shared/data');

describe.skipIf(!HAS_SHARED)('TIFF fixtures (shared/fixtures/tiff)', () => {
  it.each(goodCases.map((c) => [c.file, c] as const))(
    '%s reads to exactly the stored array',
    (_, c) => {
      const array = decodeTiffArray(readSharedBytes('fixtures/tiff', c.file));
      const expected = readSharedNpy('fixtures/tiff', c.expected as string);
      expect(array.shape).toEqual(expected.shape);
      expect(array.dtype).toBe(expected.dtype);
      // Byte equality: exact for every dtype, NaN and -0 included.
      expect(
        Buffer.from(array.data.buffer, array.data.byteOffset, array.data.byteLength).equals(
          Buffer.from(expected.data.buffer, expected.data.byteOffset, expected.data.byteLength),
        ),
      ).toBe(true);

      const meta = c.metadata;
      if (meta?.axes) expect(array.axes).toBe(meta.axes);
      if (meta?.channels) expect(array.shape[array.axes.indexOf('C')]).toBe(meta.channels);
      if (meta?.slices) expect(array.shape[array.axes.indexOf('Z')]).toBe(meta.slices);
      if (meta?.pixel_size_xy_um) {
        expect(array.pixelSizeUm?.x).toBeCloseTo(meta.pixel_size_xy_um, 9);
        expect(array.pixelSizeUm?.y).toBeCloseTo(meta.pixel_size_xy_um, 9);
      }
      if (meta?.z_spacing_um) expect(array.pixelSizeUm?.z).toBeCloseTo(meta.z_spacing_um, 9);
      if (meta?.channel_names) expect(array.channelNames).toEqual(meta.channel_names);
      if (meta?.physical_size_x_um)
        expect(array.pixelSizeUm?.x).toBeCloseTo(meta.physical_size_x_um, 9);
      if (meta?.physical_size_y_um)
        expect(array.pixelSizeUm?.y).toBeCloseTo(meta.physical_size_y_um, 9);
    },
  );

  it.each(badCases.map((c) => [c.file] as const))(
    '%s fails with a typed ImageFormatError',
    (file) => {
      const bytes = readSharedBytes('fixtures/tiff', file);
      expect(() => decodeTiffArray(bytes)).toThrow(ImageFormatError);
    },
  );

  it.each(sharedData.map((c) => [c.file, c] as const))(
    'data/%s matches the reference reader',
    (_, c) => {
      const array = decodeTiffArray(readSharedBytes('data', c.file));
      expect(array.shape).toEqual(c.shape);
      expect(array.axes).toBe(c.axes);
      expect(array.dtype).toBe(c.dtype);
      let sum = 0;
      let min = Infinity;
      let max = -Infinity;
      for (const v of array.data) {
        sum += v;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      expect([sum, min, max]).toEqual([c.sum, c.min, c.max]);
      const bytes = new Uint8Array(array.data.buffer, array.data.byteOffset, array.data.byteLength);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(c.sha256_of_c_order_bytes);
    },
  );
});

describe.skipIf(!HAS_SHARED)('TIFF → Stack', () => {
  it('takes the channels of a Z slice from an ImageJ hyperstack', () => {
    const array = decodeTiffArray(readSharedBytes('fixtures/tiff/imagej_czyx.tif'));
    const expected = readSharedNpy('fixtures/tiff/imagej_czyx.npy');
    const [, channels, height, width] = expected.shape;
    const stack = tiffArrayToStack(array, { z: 2 });
    expect(stack.planes).toHaveLength(channels);
    expect(stack.sourceAxes).toBe('ZCYX');
    expect(stack.pixelSizeUm).toEqual({ x: 0.25, y: 0.25, z: 0.5 });
    for (let c = 0; c < channels; c++) {
      const offset = (2 * channels + c) * height * width;
      expect(Array.from(stack.planes[c].data)).toEqual(
        Array.from(expected.data.subarray(offset, offset + height * width), Number),
      );
    }
  });

  it('names OME channels and splits interleaved RGB samples into channels', () => {
    const ome = tiffArrayToStack(decodeTiffArray(readSharedBytes('fixtures/tiff/ome_cyx.tif')));
    expect(ome.channelNames).toEqual(['DAPI', 'GFP', 'mCherry']);
    const rgb = tiffArrayToStack(decodeTiffArray(readSharedBytes('fixtures/tiff/rgb_contig.tif')));
    const expected = readSharedNpy('fixtures/tiff/rgb_contig.npy');
    expect(rgb.channelNames).toEqual(['R', 'G', 'B']);
    const green = rgb.planes[1].data;
    for (let i = 0; i < green.length; i++) {
      if (green[i] !== expected.data[i * 3 + 1]) throw new Error(`pixel ${i} differs`);
    }
  });

  it('rejects a Z index outside the stack with a typed error', () => {
    const array = decodeTiffArray(readSharedBytes('fixtures/tiff/imagej_czyx.tif'));
    expect(() => tiffArrayToStack(array, { z: 4 })).toThrow(CellscopeError);
  });
});
