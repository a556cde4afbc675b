import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, UnsupportedError } from '../../../errors.js';
import { isIntegerDtype } from '../../../image/dtype.js';
import { createStack } from '../../../image/stack.js';
import {
  DTYPES,
  type Labels,
  type PixelArray,
  type PixelSize,
  type Stack,
} from '../../../image/types.js';
import { parseTiff } from '../ifd.js';
import { describePage } from '../page.js';
import { decodeTiffArray, tiffArrayToStack } from '../read.js';
import { Compression, Tag } from '../tags.js';
import { encodeLabelsTiff, encodeTiff, type TiffCompression } from '../write.js';
import {
  makePlane,
  makeStack,
  bytesOf,
  expectSamePlanes,
  roundTrip,
  firstIfd,
  SIZES,
  OPTION_SETS,
  COMPRESSION_TAG,
} from './write-helpers.js';

describe('encodeTiff → decodeTiffArray round trip', () => {
  describe.each(DTYPES.map((d) => [d] as const))('%s', (dtype) => {
    const sets = OPTION_SETS.filter((s) => !s.integerOnly || isIntegerDtype(dtype));
    it.each(sets.map((s) => [s.name, s.options] as const))(
      '%s: lossless for 1 and 3 channels at every size',
      (_, options) => {
        for (const [width, height] of SIZES) {
          for (const channels of [1, 3]) {
            const stack = makeStack(dtype, width, height, channels, width * 7 + height);
            const bytes = encodeTiff(stack, options);
            const array = decodeTiffArray(bytes);
            expect(array.dtype).toBe(dtype);
            expect(array.axes).toBe(channels > 1 ? 'CYX' : 'YX');
            expect(array.shape).toEqual(channels > 1 ? [channels, height, width] : [height, width]);
            const back = tiffArrayToStack(array);
            expectSamePlanes(back, stack);
            expect(back.channelNames).toEqual(stack.channelNames);

            const { ifds } = parseTiff(bytes);
            expect(ifds).toHaveLength(channels);
            const layout = describePage(ifds[0]);
            expect(layout.compression).toBe(COMPRESSION_TAG[options.compression ?? 'deflate']);
            expect(layout.predictor).toBe(options.predictor ? 2 : 1);
          }
        }
      },
    );
  });

  it('uses deflate by default and leaves the caller’s pixels untouched', () => {
    const stack = makeStack('uint16', 64, 40, 2);
    const before = stack.planes.map((p) => Buffer.from(bytesOf(p.data)));
    const bytes = encodeTiff(stack, { predictor: true });
    expect(describePage(firstIfd(bytes)).compression).toBe(Compression.Deflate);
    stack.planes.forEach((p, c) => expect(bytesOf(p.data).equals(before[c])).toBe(true));
  });

  it('cuts pages into strips of about 64 KiB, the last one short', () => {
    for (const dtype of DTYPES) {
      const width = 301;
      const height = 250;
      const stack = makeStack(dtype, width, height, 1);
      const layout = describePage(firstIfd(encodeTiff(stack, { compression: 'none' })));
      const rowBytes = width * (stack.planes[0].data as PixelArray).BYTES_PER_ELEMENT;
      expect(layout.chunkHeight).toBe(Math.floor(65536 / rowBytes));
      expect(layout.offsets.length).toBe(Math.ceil(height / layout.chunkHeight));
      expect(layout.offsets.length).toBeGreaterThan(1);
      expect(height % layout.chunkHeight).not.toBe(0);
    }
  });

  it('writes one row per strip when a row alone is over 64 KiB', () => {
    const stack = makeStack('float64', 9000, 3, 1);
    const bytes = encodeTiff(stack);
    expect(describePage(firstIfd(bytes)).chunkHeight).toBe(1);
    expectSamePlanes(tiffArrayToStack(decodeTiffArray(bytes)), stack);
  });

  it('stores the pixels of an uncompressed stack contiguously, as ImageJ reads them', () => {
    const stack = makeStack('uint16', 50, 30, 3);
    const bytes = encodeTiff(stack, { compression: 'none' });
    const start = describePage(firstIfd(bytes)).offsets[0];
    const planeBytes = 50 * 30 * 2;
    stack.planes.forEach((plane, c) => {
      const stored = bytes.subarray(start + c * planeBytes, start + (c + 1) * planeBytes);
      expect(Buffer.from(stored).equals(bytesOf(plane.data))).toBe(true);
    });
  });

  it('writes a plane that is a view into a larger buffer', () => {
    const big = makePlane('int16', 20, 20, 5) as Int16Array;
    const view = big.subarray(100, 300);
    const stack = createStack([{ width: 10, height: 20, data: view }]);
    expectSamePlanes(roundTrip(stack), stack);
  });
});

describe('metadata', () => {
  it('round trips channel names, including non-ASCII ones and names that look like defaults', () => {
    const stack = makeStack('uint16', 9, 5, 4);
    const names = ['DAPI', 'α-tubulin µ', 'C7', '🧬 nuclei'];
    const named = createStack(stack.planes, { channelNames: names });
    expect(roundTrip(named).channelNames).toEqual(names);
    expect(roundTrip(makeStack('uint8', 3, 3, 1)).channelNames).toEqual(['DAPI']);
  });

  it.each([
    [{ x: 0.065, y: 0.065, z: 0.2 }],
    [{ x: 0.325, y: 0.5, z: 1.5 }],
    [{ x: 1 / 3, y: 0.1083 }],
    [{ x: 0.123456789012, y: 2.5e3, z: 1e-3 }],
  ])('round trips pixel size %o (x, y as rationals, z as spacing)', (pixelSizeUm: PixelSize) => {
    const stack = makeStack('uint16', 8, 6, 2, 3, pixelSizeUm);
    const bytes = encodeTiff(stack);
    const back = tiffArrayToStack(decodeTiffArray(bytes));
    expect(back.pixelSizeUm).toBeDefined();
    const { x, y, z } = back.pixelSizeUm as PixelSize;
    expect(Math.abs(x / pixelSizeUm.x - 1)).toBeLessThan(1e-12);
    expect(Math.abs(y / pixelSizeUm.y - 1)).toBeLessThan(1e-12);
    expect(z).toBe(pixelSizeUm.z);
    const ifd = firstIfd(bytes);
    expect(ifd.number(Tag.ResolutionUnit)).toBe(1);
    expect(ifd.numbers(Tag.XResolution)?.[0]).toBeCloseTo(1 / pixelSizeUm.x, 6);
  });

  it('writes IJMetadata in the file’s (little-endian) byte order, as ImageJ’s TiffDecoder reads it', () => {
    const stack = makeStack('uint8', 3, 2, 2);
    const ifd = firstIfd(encodeTiff(stack));
    const raw = ifd.raw(Tag.ImageJMetadata) as Uint8Array;
    const counts = ifd.numbers(Tag.ImageJMetadataByteCounts) as number[];
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    expect(String.fromCharCode(...raw.subarray(0, 4))).toBe('JIJI');
    expect(view.getUint32(0, true)).toBe(0x494a494a); // "IJIJ" read as a little-endian uint32
    expect(String.fromCharCode(...raw.subarray(4, 8))).toBe('lbal'); // "labl", little-endian
    expect(view.getUint32(8, true)).toBe(2);
    expect(String.fromCharCode(...raw.subarray(12, 16))).toBe('gnar'); // "rang"
    expect(counts).toEqual([20, 8, 6, 32]); // header, "DAPI" and "GFP" in UTF-16, 2 × (min, max)
    expect(counts.reduce((a, b) => a + b, 0)).toBe(raw.length);
    const ranges = Array.from({ length: 4 }, (_, i) => view.getFloat64(34 + 8 * i, true));
    const expected = stack.planes.flatMap((p) => [Math.min(...p.data), Math.max(...p.data)]);
    expect(ranges).toEqual(expected);
  });

  it('writes no resolution when the pixel size is unknown, and reads none back', () => {
    const bytes = encodeTiff(makeStack('uint8', 4, 4, 1));
    expect(firstIfd(bytes).has(Tag.XResolution)).toBe(false);
    expect(decodeTiffArray(bytes).pixelSizeUm).toBeUndefined();
  });

  it('writes the ImageJ hyperstack description it promises, NUL-terminated', () => {
    const stack = makeStack('uint16', 10, 6, 3, 9, { x: 0.25, y: 0.25, z: 0.5 });
    const bytes = encodeTiff(stack);
    const ifd = firstIfd(bytes);
    const raw = ifd.raw(Tag.ImageDescription) as Uint8Array;
    expect(raw[raw.length - 1]).toBe(0);
    expect(raw.subarray(0, -1).every((b) => b > 0 && b < 128)).toBe(true);
    const lines = (ifd.text(Tag.ImageDescription) as string).split('\n');
    const first = stack.planes[0].data;
    expect(lines).toEqual([
      'ImageJ=1.11a',
      'images=3',
      'channels=3',
      'hyperstack=true',
      'mode=composite',
      'unit=micron',
      'spacing=0.5',
      'loop=false',
      `min=${Math.min(...first)}`,
      `max=${Math.max(...first)}`,
      '',
    ]);
    const array = decodeTiffArray(bytes);
    expect(array.imagej).toMatchObject({ images: 3, channels: 3, slices: 1, frames: 1 });
    expect(array.imagej?.labels).toEqual(stack.channelNames);

    const single = decodeTiffArray(encodeTiff(makeStack('float32', 5, 5, 1)));
    expect(single.imagej).toMatchObject({ images: 1, channels: 1 });
    expect(single.imagej?.unit).toBeUndefined();
  });

  it('keeps the ImageJ display range in ImageJ’s units and skips non-finite values', () => {
    const text = (stack: Stack) => firstIfd(encodeTiff(stack)).text(Tag.ImageDescription);
    const signed = createStack([{ width: 3, height: 1, data: Int16Array.from([-5, 0, 7]) }]);
    expect(text(signed)).toContain('min=32763\nmax=32775\n');
    const float = createStack([
      { width: 4, height: 1, data: Float32Array.from([NaN, -Infinity, 2.5, -1]) },
    ]);
    expect(text(float)).toContain('min=-1\nmax=2.5\n');
    const allNaN = createStack([{ width: 2, height: 1, data: Float64Array.from([NaN, NaN]) }]);
    expect(text(allNaN)).not.toContain('min=');
  });

  it('writes a caller’s description in place of the ImageJ one', () => {
    const stack = makeStack('uint8', 4, 4, 2);
    const bytes = encodeTiff(stack, { description: '{"shape": [2, 4, 4]}' });
    expect(firstIfd(bytes).text(Tag.ImageDescription)).toBe('{"shape": [2, 4, 4]}');
    const array = decodeTiffArray(bytes);
    expect(array.imagej).toBeUndefined();
    expectSamePlanes(tiffArrayToStack(array), stack);
  });
});

describe('encodeLabelsTiff', () => {
  function labelImage(width: number, height: number, values: number[]): Labels {
    const data = new Uint32Array(width * height);
    for (let i = 0; i < data.length; i++) data[i] = values[i % values.length];
    return { width, height, data };
  }

  it('stores labels above 65535 as uint32 and reads them back exactly', () => {
    const labels = labelImage(33, 21, [0, 1, 65535, 65536, 70000, 4294967295, 12]);
    const array = decodeTiffArray(
      encodeLabelsTiff(labels, { compression: 'lzw', predictor: true }),
    );
    expect(array.dtype).toBe('uint32');
    expect(array.shape).toEqual([21, 33]);
    expect(bytesOf(array.data).equals(bytesOf(labels.data))).toBe(true);
  });

  it('stores labels up to 65535 as uint16 with the same values', () => {
    for (const values of [
      [0, 1, 2, 65535],
      [0, 0],
    ]) {
      const labels = labelImage(17, 9, values);
      const bytes = encodeLabelsTiff(labels, { pixelSizeUm: { x: 0.5, y: 0.5 } });
      const array = decodeTiffArray(bytes);
      expect(array.dtype).toBe('uint16');
      expect(Array.from(array.data)).toEqual(Array.from(labels.data));
      expect(array.pixelSizeUm).toEqual({ x: 0.5, y: 0.5 });
      expect(parseTiff(bytes).ifds).toHaveLength(1);
    }
  });

  it('rejects a label image whose data does not match its size', () => {
    const bad = { width: 4, height: 4, data: new Uint32Array(15) };
    expect(() => encodeLabelsTiff(bad)).toThrow(InvalidArgumentError);
    const wrongType = { width: 2, height: 2, data: new Uint16Array(4) } as unknown as Labels;
    expect(() => encodeLabelsTiff(wrongType)).toThrow(InvalidArgumentError);
  });
});

describe('input checks', () => {
  const stack = makeStack('uint16', 4, 3, 2);

  it.each<[string, () => unknown]>([
    [
      'planes of different sizes',
      () =>
        encodeTiff({
          ...stack,
          planes: [stack.planes[0], { width: 3, height: 4, data: new Uint16Array(12) }],
        }),
    ],
    [
      'data shorter than the plane',
      () =>
        encodeTiff({
          ...stack,
          planes: [{ width: 4, height: 3, data: new Uint16Array(11) }],
          channelNames: ['a'],
        }),
    ],
    [
      'mixed dtypes',
      () =>
        encodeTiff({
          ...stack,
          planes: [stack.planes[0], { width: 4, height: 3, data: new Uint8Array(12) }],
        }),
    ],
    ['no planes', () => encodeTiff({ ...stack, planes: [], channelNames: [] })],
    ['a missing channel name', () => encodeTiff({ ...stack, channelNames: ['one'] })],
    ['a zero pixel size', () => encodeTiff({ ...stack, pixelSizeUm: { x: 0, y: 1 } })],
    ['a NaN Z spacing', () => encodeTiff({ ...stack, pixelSizeUm: { x: 1, y: 1, z: NaN } })],
    ['an unknown compression', () => encodeTiff(stack, { compression: 'jpeg' as TiffCompression })],
    [
      'a predictor on float pixels',
      () => encodeTiff(makeStack('float32', 2, 2, 1), { predictor: true }),
    ],
    [
      'a predictor without deflate or LZW',
      () => encodeTiff(stack, { compression: 'packbits', predictor: true }),
    ],
    ['a description with a NUL', () => encodeTiff(stack, { description: 'a\0b' })],
  ])('rejects %s with an InvalidArgumentError', (_, write) => {
    expect(write).toThrow(InvalidArgumentError);
  });

  it('refuses a file past 4 GiB with an UnsupportedError before encoding', () => {
    // 5 × 1 GiB planes sharing one (never touched) buffer: too big for classic TIFF offsets.
    const data = new Uint32Array(2 ** 28);
    const plane = { width: 2 ** 14, height: 2 ** 14, data };
    const huge = createStack([plane, plane, plane, plane, plane]);
    let error: unknown;
    try {
      encodeTiff(huge, { compression: 'none' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnsupportedError);
    expect((error as UnsupportedError).hint).toBeTruthy();
  });
});
