import { mkdtemp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_SHARED, readSharedBytes } from '../../../../test/shared.js';
import { FileAccessError, InvalidArgumentError, UnsupportedError } from '../../../errors.js';
import { allocatePixels, integerRange, isIntegerDtype } from '../../../image/dtype.js';
import { createStack } from '../../../image/stack.js';
import {
  DTYPES,
  type DType,
  type Labels,
  type PixelArray,
  type PixelSize,
  type Stack,
} from '../../../image/types.js';
import { parseTiff } from '../ifd.js';
import { describePage } from '../page.js';
import { decodeTiffArray, tiffArrayToStack } from '../read.js';
import { Compression, Tag } from '../tags.js';
import { writeTiffFile } from '../write-file.js';
import {
  TIFF_COMPRESSIONS,
  encodeLabelsTiff,
  encodeTiff,
  type TiffCompression,
  type WriteTiffOptions,
} from '../write.js';

/** Deterministic bytes (xorshift32), so a failure reproduces. */
function randomBytes(length: number, seed: number): Uint8Array {
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
function extremes(dtype: DType): number[] {
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
function makePlane(dtype: DType, width: number, height: number, seed: number): PixelArray {
  const data = allocatePixels(dtype, width * height);
  new Uint8Array(data.buffer).set(randomBytes(data.byteLength, seed));
  extremes(dtype).forEach((v, i) => {
    if (i < data.length) data[i] = v;
  });
  return data;
}

function makeStack(
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

function bytesOf(data: PixelArray): Buffer {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

function expectSamePlanes(actual: Stack, expected: Stack): void {
  expect(actual.planes).toHaveLength(expected.planes.length);
  actual.planes.forEach((plane, c) => {
    const want = expected.planes[c];
    expect([plane.width, plane.height]).toEqual([want.width, want.height]);
    expect(plane.data.constructor).toBe(want.data.constructor);
    // Byte equality: exact for every dtype, NaN payloads and -0 included.
    expect(bytesOf(plane.data).equals(bytesOf(want.data))).toBe(true);
  });
}

function roundTrip(stack: Stack, options?: WriteTiffOptions): Stack {
  return tiffArrayToStack(decodeTiffArray(encodeTiff(stack, options)));
}

function firstIfd(bytes: Uint8Array) {
  return parseTiff(bytes).ifds[0];
}

/** width × height pairs: single pixel, single column/row, odd, and several strips with a short last one. */
const SIZES: [number, number][] = [
  [1, 1],
  [1, 37],
  [37, 1],
  [7, 13],
  [301, 250],
];

const OPTION_SETS: { name: string; options: WriteTiffOptions; integerOnly?: boolean }[] = [
  ...TIFF_COMPRESSIONS.map((compression) => ({ name: compression, options: { compression } })),
  {
    name: 'deflate + predictor',
    options: { compression: 'deflate', predictor: true },
    integerOnly: true,
  },
  { name: 'lzw + predictor', options: { compression: 'lzw', predictor: true }, integerOnly: true },
];

const COMPRESSION_TAG: Record<TiffCompression, number> = {
  none: Compression.None,
  deflate: Compression.Deflate,
  lzw: Compression.LZW,
  packbits: Compression.PackBits,
};

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

describe('writeTiffFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cellscope-write-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes a stack atomically, leaving no temp file', async () => {
    const path = join(dir, 'atomic', 'stack.tif');
    const stack = makeStack('uint16', 30, 20, 3, 4, { x: 0.2, y: 0.2 });
    await writeTiffFile(path, stack);
    await writeTiffFile(path, stack, { compression: 'none' }); // replacing an unprotected file is fine
    expect(await readdir(join(dir, 'atomic'))).toEqual(['stack.tif']);
    const back = tiffArrayToStack(decodeTiffArray(new Uint8Array(await readFile(path))));
    expectSamePlanes(back, stack);
    expect(back.channelNames).toEqual(stack.channelNames);
  });

  it('writes labels', async () => {
    const path = join(dir, 'labels.tif');
    const labels: Labels = { width: 3, height: 2, data: Uint32Array.from([0, 1, 2, 3, 100000, 0]) };
    await writeTiffFile(path, labels);
    const array = decodeTiffArray(new Uint8Array(await readFile(path)));
    expect(array.dtype).toBe('uint32');
    expect(Array.from(array.data)).toEqual(Array.from(labels.data));
  });

  it('refuses to replace a protected input and leaves it untouched', async () => {
    const sub = join(dir, 'protected');
    await mkdir(sub);
    const path = join(sub, 'input.tif');
    const original = Uint8Array.from([1, 2, 3, 4]);
    await writeFile(path, original);
    await expect(
      writeTiffFile(path, makeStack('uint8', 2, 2, 1), { protect: [join(sub, '.', 'input.tif')] }),
    ).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(new Uint8Array(await readFile(path))).toEqual(original);
    expect(await readdir(sub)).toEqual(['input.tif']);
  });

  it('fails with a FileAccessError and cleans up when the target cannot be written', async () => {
    const sub = join(dir, 'blocked');
    await mkdir(join(sub, 'out.tif'), { recursive: true }); // a directory where the file should go
    await expect(
      writeTiffFile(join(sub, 'out.tif'), makeStack('uint8', 2, 2, 1)),
    ).rejects.toBeInstanceOf(FileAccessError);
    expect(await readdir(sub)).toEqual(['out.tif']);
  });

  it('names the file in an encoding error', async () => {
    const path = join(dir, 'bad.tif');
    const error = await writeTiffFile(path, makeStack('float32', 2, 2, 1), {
      predictor: true,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).file).toBe(path);
  });
});

describe.skipIf(!HAS_SHARED)('re-writing reference files (shared/fixtures/tiff)', () => {
  it('writes one Z slice of an ImageJ hyperstack back with identical planes and metadata', () => {
    const array = decodeTiffArray(readSharedBytes('fixtures/tiff/imagej_czyx.tif'));
    const slices = array.shape[array.axes.indexOf('Z')];
    for (let z = 0; z < slices; z++) {
      const stack = tiffArrayToStack(array, { z });
      for (const options of [{}, { compression: 'none' as const }, { predictor: true }]) {
        const back = roundTrip(stack, options);
        expectSamePlanes(back, stack);
        expect(back.channelNames).toEqual(stack.channelNames);
        expect(back.pixelSizeUm).toEqual(stack.pixelSizeUm);
      }
    }
  });

  it('keeps the channel names and pixel size of an OME-TIFF', () => {
    const stack = tiffArrayToStack(decodeTiffArray(readSharedBytes('fixtures/tiff/ome_cyx.tif')));
    const back = roundTrip(stack, { compression: 'lzw' });
    expectSamePlanes(back, stack);
    expect(back.channelNames).toEqual(stack.channelNames);
    const size = stack.pixelSizeUm as PixelSize;
    expect(back.pixelSizeUm?.x).toBeCloseTo(size.x, 12);
    expect(back.pixelSizeUm?.y).toBeCloseTo(size.y, 12);
  });
});
