import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { deflateSync } from 'node:zlib';
import { FileAccessError, UnsupportedError } from '../../errors.js';
import type { PixelSize } from '../../image/types.js';
import type { Region } from '../../image/region.js';
import { assertNotProtected } from '../files.js';
import {
  asciiz,
  encodeIfd,
  FieldType,
  ifdByteLength,
  toRational,
  type Field,
} from './ifd-write.js';
import { Compression, Tag } from './tags.js';

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
  if (position() % 2) write(new Uint8Array(1)); // TIFF 6.0 §2: directories on word boundaries
  const { width, height, offsets, counts } = layout;
  const description = `ImageJ=1.11a\n${pixelSizeUm ? 'unit=micron\n' : ''}`;
  const fields: Field[] = [
    { tag: Tag.ImageWidth, type: FieldType.Long, values: [width] },
    { tag: Tag.ImageLength, type: FieldType.Long, values: [height] },
    { tag: Tag.BitsPerSample, type: FieldType.Short, values: [32] },
    { tag: Tag.Compression, type: FieldType.Short, values: [Compression.Deflate] },
    { tag: Tag.Photometric, type: FieldType.Short, values: [1] }, // BlackIsZero
    { tag: Tag.ImageDescription, type: FieldType.Ascii, values: asciiz(description) },
    { tag: Tag.StripOffsets, type: FieldType.Long, values: offsets },
    { tag: Tag.SamplesPerPixel, type: FieldType.Short, values: [1] },
    { tag: Tag.RowsPerStrip, type: FieldType.Long, values: [ROWS_PER_STRIP] },
    { tag: Tag.StripByteCounts, type: FieldType.Long, values: counts },
    { tag: Tag.SampleFormat, type: FieldType.Short, values: [1] }, // unsigned
  ];
  if (pixelSizeUm) {
    // Pixels per µm with ResolutionUnit "none", the unit named in the description, as ImageJ.
    fields.push(
      { tag: Tag.XResolution, type: FieldType.Rational, values: toRational(1 / pixelSizeUm.x) },
      { tag: Tag.YResolution, type: FieldType.Rational, values: toRational(1 / pixelSizeUm.y) },
      { tag: Tag.ResolutionUnit, type: FieldType.Short, values: [1] },
    );
  }
  const ifdAt = position();
  if (ifdAt + ifdByteLength(fields) > 2 ** 32) {
    throw new UnsupportedError('the label TIFF would pass 4 GiB, the classic TIFF limit');
  }
  write(encodeIfd(fields, 0, ifdAt));
  const header = new Uint8Array(8);
  header.set([0x49, 0x49, 42, 0]); // "II", 42: little-endian classic TIFF
  new DataView(header.buffer).setUint32(4, ifdAt, true);
  write(header, 0);
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
