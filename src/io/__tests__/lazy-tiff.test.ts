import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileAccessError } from '../../errors.js';
import { inspectImage, readImage } from '../read-image.js';
import { craftTiff, headerForStripAt } from '../tiff/__tests__/craft.js';
import { parseTiff } from '../tiff/ifd.js';
import { decodeTiffArray } from '../tiff/read.js';
import { memorySource, type ByteSource } from '../tiff/source.js';
import { Tag } from '../tiff/tags.js';

// Issue 15: TIFFs are read through the file handle, the directories first and then only the
// strips/tiles decoded, so a sparse multi-GB file costs what it shows, not its size.

const dir = mkdtempSync(join(tmpdir(), 'cellscope-lazy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A source that counts the bytes asked of it. */
function counting(bytes: Uint8Array): ByteSource & { bytesRead: number } {
  const inner = memorySource(bytes);
  const source = {
    size: inner.size,
    shared: true,
    bytesRead: 0,
    read(offset: number, length: number) {
      const out = inner.read(offset, length);
      source.bytesRead += out.length;
      return out;
    },
  };
  return source;
}

/** A sparse file: the header at 0 and `pixels` at `stripOffset`, nothing stored between. */
function sparseTiff(name: string, stripOffset: number, bigTiff = false): string {
  const path = join(dir, name);
  const header = headerForStripAt(16, 8, stripOffset, { bigTiff });
  const pixels = Uint8Array.from({ length: 16 * 8 }, (_, i) => i);
  const fd = openSync(path, 'w');
  writeSync(fd, header, 0, header.length, 0);
  writeSync(fd, pixels, 0, pixels.length, stripOffset);
  closeSync(fd);
  return path;
}

const GiB = 1024 ** 3;

/** Peak resident memory of this process so far, in bytes. */
const peakRss = (): number => process.resourceUsage().maxRSS * 1024;

describe('TIFFs are read lazily', () => {
  it('parses the directories of three pages without reading their 3 MB of pixels', () => {
    const strip = new Uint8Array(1024 * 1024).fill(7);
    const page = { width: 1024, height: 1024, description: 'x'.repeat(200) };
    const source = counting(
      craftTiff(
        [strip, strip, strip],
        [0, 1, 2].map((b) => ({ ...page, chunks: [b] })),
      ),
    );
    const { ifds } = parseTiff(source);
    expect(ifds).toHaveLength(3);
    // The header's 16 bytes, then per directory its count, 10 entries and the next pointer.
    expect(source.bytesRead).toBe(16 + 3 * (2 + 10 * 12 + 4));
    expect(ifds[2].number(Tag.ImageWidth)).toBe(1024);
    expect(ifds[0].text(Tag.ImageDescription)).toHaveLength(200);
    expect(source.bytesRead).toBeLessThan(1024);
  });

  it('reads each strip of the series once, and no stored bytes it does not decode', () => {
    const unused = new Uint8Array(4 * 1024 * 1024).fill(0xff);
    const strip = Uint8Array.from({ length: 64 * 64 }, (_, i) => i % 251);
    const source = counting(craftTiff([unused, strip], [{ width: 64, height: 64, chunks: [1] }]));
    const array = decodeTiffArray(source);
    expect(Array.from(array.data.subarray(0, 4))).toEqual([0, 1, 2, 3]);
    expect(array.data[64 * 64 - 1]).toBe((64 * 64 - 1) % 251);
    expect(source.bytesRead).toBeGreaterThanOrEqual(strip.length);
    expect(source.bytesRead).toBeLessThan(strip.length + 1024);
  });

  it('reads a TIFF whose strip lies 3 GiB into a sparse file, without holding the file', async () => {
    const path = sparseTiff('sparse.tif', 3 * GiB);
    const before = peakRss();
    const stack = await readImage(path);
    expect(stack.planes[0]).toMatchObject({ width: 16, height: 8 });
    expect(Array.from(stack.planes[0].data.subarray(0, 3))).toEqual([0, 1, 2]);
    expect(stack.planes[0].data[127]).toBe(127);
    const info = await inspectImage(path);
    expect(info).toMatchObject({ shape: [8, 16], dtype: 'uint8' });
    expect(info.channels[0]).toMatchObject({ min: 0, max: 127, mean: 63.5 });
    // Reading the file whole would raise the peak by 3 GiB.
    expect(peakRss() - before).toBeLessThan(GiB / 2);
  });

  it('reads a BigTIFF whose strip lies past 5 GiB (files over 4 GiB were refused)', async () => {
    const stack = await readImage(sparseTiff('sparse-big.tif', 5 * GiB + 12345, true));
    expect(stack.planes[0]).toMatchObject({ width: 16, height: 8 });
    expect(stack.planes[0].data[100]).toBe(100);
  });

  it('still refuses a FIFO named .tif at once, without waiting for a writer', async () => {
    const fifo = join(dir, 'pipe.tif');
    execFileSync('mkfifo', [fifo]);
    const error = await readImage(fifo).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileAccessError);
    expect((error as FileAccessError).describe()).toMatch(/pipe\.tif: is not a regular file/);
  });

  it('names the file and the offset when a strip lies past the end of the file', async () => {
    const path = join(dir, 'cut.tif');
    const header = headerForStripAt(16, 8, 4096);
    const fd = openSync(path, 'w');
    writeSync(fd, header, 0, header.length, 0);
    writeSync(fd, new Uint8Array(10), 0, 10, 4096);
    closeSync(fd);
    await expect(readImage(path)).rejects.toThrow(
      /^strip\/tile 0 \(bytes 4096–4224\) lies past the end of the 4106-byte file \(truncated\?\)$/,
    );
  });
});
