import { mkdtemp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_SHARED, readSharedBytes } from '../../../../test/shared.js';
import { FileAccessError, InvalidArgumentError } from '../../../errors.js';
import { type Labels, type PixelSize } from '../../../image/types.js';
import { decodeTiffArray, tiffArrayToStack } from '../read.js';
import { writeTiffFile } from '../write-file.js';
import { makeStack, expectSamePlanes, roundTrip } from './write-helpers.js';

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
