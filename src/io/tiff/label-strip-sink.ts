import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { deflateSync } from 'node:zlib';
import { FileAccessError, UnsupportedError } from '../../errors.js';
import type { PixelSize } from '../../image/types.js';
import type { Region } from '../../image/region.js';
import { assertNotProtected } from '../files.js';

/** Rows per deflated strip (64 KiB or more of uint32 labels per strip from 256 px wide). */
const ROWS_PER_STRIP = 64;

export interface LabelStripSinkOptions {
  width: number;
  height: number;
  /** Rows a block's padded region spans at most: the band held in memory. */
  bandRows: number;
  pixelSizeUm?: PixelSize;
  protect?: readonly string[];
}

/** A LabelSink that writes a uint32 deflate TIFF strip by strip; `finish` renames it into place. */
export interface LabelStripSink {
  paste(region: Region, labels: Uint32Array): void;
  /** The labels held over `region` (rows not yet written out), a copy. */
  read(region: Region): Uint32Array;
  /** Writes the last strips and the directory, then renames the temp file to `path`. */
  finish(): void;
  /** Removes the temp file (after a failure). */
  abort(): void;
}

/**
 * Stitched labels streamed to a TIFF: blocks arrive in row-major order, so once a block's padded
 * region starts at row y, every row above y is final and its strips are written out. Only a band
 * of `bandRows + 64` rows is held, never the whole label image. The result is uint32, deflated,
 * with ImageJ's description and resolution tags for the pixel size.
 */
export function labelStripSink(path: string, options: LabelStripSinkOptions): LabelStripSink {
  const { width, height } = options;
  assertNotProtected(path, options.protect);
  const target = resolve(path);
  const temp = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  let fd: number;
  try {
    fd = openSync(temp, 'w');
  } catch (cause) {
    throw new FileAccessError(`could not write (${(cause as Error).message})`, {
      file: path,
      cause,
    });
  }
  const capacity = Math.min(height, options.bandRows + ROWS_PER_STRIP);
  const band = new Uint32Array(width * capacity);
  let bandStart = 0;
  let at = 8;
  const offsets: number[] = [];
  const counts: number[] = [];
  const write = (bytes: Uint8Array, position = at): void => {
    writeSync(fd, bytes, 0, bytes.length, position);
    if (position === at) at += bytes.length;
  };

  /** Writes whole strips while every row of them lies above `finalRow`. */
  const flush = (finalRow: number): void => {
    while (bandStart < height && Math.min(bandStart + ROWS_PER_STRIP, height) <= finalRow) {
      const rows = Math.min(ROWS_PER_STRIP, height - bandStart);
      const strip = band.subarray(0, rows * width);
      // Labels are little-endian on every host Node runs on (x86-64, arm64).
      const packed = deflateSync(new Uint8Array(strip.buffer, strip.byteOffset, strip.byteLength));
      offsets.push(at);
      counts.push(packed.length);
      write(packed);
      band.copyWithin(0, rows * width);
      band.fill(0, (capacity - rows) * width);
      bandStart += rows;
    }
  };

  return {
    paste(region, labels) {
      flush(region.y);
      if (region.y + region.height > bandStart + capacity) {
        throw new UnsupportedError(
          `a block reaches row ${region.y + region.height}, past the ${capacity}-row band from row ${bandStart}`,
        );
      }
      for (let r = 0; r < region.height; r++) {
        const row = (region.y + r - bandStart) * width + region.x;
        for (let c = 0; c < region.width; c++) {
          const label = labels[r * region.width + c];
          if (label !== 0 && band[row + c] === 0) band[row + c] = label;
        }
      }
    },
    read(region) {
      if (region.y < bandStart || region.y + region.height > bandStart + capacity) {
        throw new UnsupportedError(
          `rows ${region.y}–${region.y + region.height - 1} are not in the band (rows ${bandStart}–${bandStart + capacity - 1})`,
        );
      }
      const out = new Uint32Array(region.width * region.height);
      for (let r = 0; r < region.height; r++) {
        const at = (region.y + r - bandStart) * width + region.x;
        out.set(band.subarray(at, at + region.width), r * region.width);
      }
      return out;
    },
    finish() {
      try {
        flush(height);
        writeDirectory(write, () => at, { width, height, offsets, counts }, options.pixelSizeUm);
        closeSync(fd);
        renameSync(temp, target);
      } catch (cause) {
        rmSync(temp, { force: true });
        throw cause instanceof FileAccessError || cause instanceof UnsupportedError
          ? cause
          : new FileAccessError(`could not write (${(cause as Error).message})`, {
              file: path,
              cause,
            });
      }
    },
    abort() {
      try {
        closeSync(fd);
      } catch {
        // already closed by finish
      }
      rmSync(temp, { force: true });
    },
  };
}

function writeDirectory(
  write: (bytes: Uint8Array, position?: number) => void,
  position: () => number,
  layout: { width: number; height: number; offsets: number[]; counts: number[] },
  pixelSizeUm: PixelSize | undefined,
): void {
  if (position() % 2) write(new Uint8Array(1));
  const { width, height, offsets, counts } = layout;
  const description = new TextEncoder().encode(
    `ImageJ=1.11a\n${pixelSizeUm ? 'unit=micron\n' : ''}\0`,
  );
  // Strip offsets, byte counts, the description and two rationals, then the directory.
  const extra = new Uint8Array(
    8 * offsets.length + description.length + (description.length % 2) + 16,
  );
  const view = new DataView(extra.buffer);
  const base = position();
  offsets.forEach((v, i) => view.setUint32(4 * i, v, true));
  counts.forEach((v, i) => view.setUint32(4 * (offsets.length + i), v, true));
  const descriptionAt = 8 * offsets.length;
  extra.set(description, descriptionAt);
  const rationalAt = descriptionAt + description.length + (description.length % 2);
  const [xn, xd] = rational(pixelSizeUm?.x);
  const [yn, yd] = rational(pixelSizeUm?.y);
  view.setUint32(rationalAt, xn, true);
  view.setUint32(rationalAt + 4, xd, true);
  view.setUint32(rationalAt + 8, yn, true);
  view.setUint32(rationalAt + 12, yd, true);
  write(extra);
  const single = offsets.length === 1;
  const entries: [number, number, number, number][] = [
    [256, 4, 1, width],
    [257, 4, 1, height],
    [258, 3, 1, 32],
    [259, 3, 1, 8],
    [262, 3, 1, 1],
    [270, 2, description.length, base + descriptionAt],
    [273, 4, offsets.length, single ? offsets[0] : base],
    [277, 3, 1, 1],
    [278, 4, 1, ROWS_PER_STRIP],
    [279, 4, counts.length, single ? counts[0] : base + 4 * offsets.length],
    [282, 5, 1, base + rationalAt],
    [283, 5, 1, base + rationalAt + 8],
    [296, 3, 1, 1],
    [339, 3, 1, 1],
  ];
  const ifdAt = position();
  if (ifdAt + 2 + 12 * entries.length + 4 > 2 ** 32) {
    throw new UnsupportedError('the label TIFF would pass 4 GiB, the classic TIFF limit');
  }
  const ifd = new Uint8Array(2 + 12 * entries.length + 4);
  const iv = new DataView(ifd.buffer);
  iv.setUint16(0, entries.length, true);
  entries.forEach(([tag, type, count, value], i) => {
    iv.setUint16(2 + 12 * i, tag, true);
    iv.setUint16(4 + 12 * i, type, true);
    iv.setUint32(6 + 12 * i, count, true);
    if (type === 3 && count === 1) iv.setUint16(10 + 12 * i, value, true);
    else iv.setUint32(10 + 12 * i, value, true);
  });
  write(ifd);
  const header = new Uint8Array(8);
  header.set([0x49, 0x49, 42, 0]);
  new DataView(header.buffer).setUint32(4, ifdAt, true);
  write(header, 0);
}

/** Pixels per micrometre as a TIFF rational (1/1 without a pixel size). */
function rational(sizeUm: number | undefined): [number, number] {
  if (!sizeUm) return [1, 1];
  return [1_000_000, Math.max(1, Math.round(sizeUm * 1_000_000))];
}

/**
 * A {@link labelStripSink} for block-wise runs, opened at the first block: the band it holds is
 * the padded block height, which the first block gives (core + overlap below, clipped above).
 */
export function blockLabelSink(
  path: string,
  image: { width: number; height: number },
  blockSize: number,
  options: { protect: readonly string[]; pixelSizeUm?: PixelSize },
): LabelStripSink {
  assertNotProtected(path, options.protect);
  let sink: LabelStripSink | undefined;
  const opened = (): LabelStripSink => {
    if (!sink) throw new UnsupportedError('no block has been pasted yet');
    return sink;
  };
  return {
    paste(region, labels) {
      if (!sink) {
        const overlap = Math.max(0, region.height - Math.min(blockSize, image.height));
        sink = labelStripSink(path, { ...image, bandRows: blockSize + 2 * overlap, ...options });
      }
      sink.paste(region, labels);
    },
    read: (region) => opened().read(region),
    finish() {
      // An image without blocks cannot happen: every plan has at least one.
      sink?.finish();
    },
    abort() {
      sink?.abort();
    },
  };
}
