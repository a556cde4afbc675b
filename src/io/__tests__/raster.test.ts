import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { ImageFormatError, UnsupportedError } from '../../errors.js';
import { createPlane } from '../../image/plane.js';
import { decodeRaster, encodePng } from '../raster.js';
import { readImage, sniffFormat } from '../read-image.js';

describe('PNG', () => {
  it('round-trips an 8-bit and a 16-bit grey plane exactly', async () => {
    const u8 = createPlane(
      7,
      5,
      Uint8Array.from({ length: 35 }, (_, i) => (i * 37) % 256),
    );
    const back8 = await decodeRaster(await encodePng(u8));
    expect(back8.planes).toHaveLength(1);
    expect(back8.planes[0].data).toEqual(u8.data);

    const u16 = createPlane(
      9,
      4,
      Uint16Array.from({ length: 36 }, (_, i) => (i * 1871) % 65536),
    );
    const back16 = await decodeRaster(await encodePng(u16));
    expect(back16.planes[0].data).toBeInstanceOf(Uint16Array);
    expect(back16.planes[0].data).toEqual(u16.data);
  });

  it('writes RGBA overlays and reads them back as four channels', async () => {
    const data = Uint8Array.from({ length: 3 * 2 * 4 }, (_, i) => (i * 11) % 256);
    const stack = await decodeRaster(await encodePng({ width: 3, height: 2, channels: 4, data }));
    expect(stack.channelNames).toEqual(['R', 'G', 'B', 'A']);
    for (let c = 0; c < 4; c++) {
      expect(Array.from(stack.planes[c].data)).toEqual(
        Array.from({ length: 6 }, (_, i) => data[i * 4 + c]),
      );
    }
  });

  it('refuses data it cannot store', async () => {
    await expect(encodePng(createPlane(2, 1, Float32Array.from([0, 1])))).rejects.toThrow(
      /uint8 or single-channel uint16/,
    );
  });
});

describe('readImage', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cellscope-raster-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a JPEG as 8-bit channels', async () => {
    const grey = Buffer.alloc(16 * 16, 128);
    const path = join(dir, 'grey.jpg');
    writeFileSync(
      path,
      await sharp(grey, { raw: { width: 16, height: 16, channels: 1 } })
        .jpeg({ quality: 100 })
        .toBuffer(),
    );
    const stack = await readImage(path);
    expect(
      sniffFormat(
        new Uint8Array(
          await sharp(grey, { raw: { width: 16, height: 16, channels: 1 } })
            .jpeg()
            .toBuffer(),
        ),
      ),
    ).toBe('jpeg');
    expect(stack.planes[0].width).toBe(16);
    for (const plane of stack.planes)
      for (const v of plane.data) expect(Math.abs(v - 128)).toBeLessThanOrEqual(1);
  });

  it('names the file and the problem for unreadable input', async () => {
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'hello');
    await expect(readImage(text)).rejects.toThrow(UnsupportedError);
    await expect(readImage(text)).rejects.toMatchObject({ file: text });
    const fakeTiff = join(dir, 'fake.tif');
    writeFileSync(fakeTiff, 'XX*\0 not really');
    await expect(readImage(fakeTiff)).rejects.toThrow(ImageFormatError);
    const brokenPng = join(dir, 'broken.png');
    writeFileSync(
      brokenPng,
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]),
    );
    await expect(readImage(brokenPng)).rejects.toThrow(ImageFormatError);
    await expect(readImage(join(dir, 'missing.tif'))).rejects.toThrow(/file not found/);
  });
});
