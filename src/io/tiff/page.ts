import { CellscopeError, ImageFormatError, UnsupportedError } from '../../errors.js';
import type { DType } from '../../image/types.js';
import { assertSupportedCompression, decompressChunk, maxExpansion } from './codecs.js';
import type { Ifd } from './ifd.js';
import {
  swapByteOrder,
  undoFloatingPointPredictor,
  undoHorizontalDifferencing,
} from './predictor.js';
import { Compression, Tag } from './tags.js';

/** How one page's pixels are laid out in the file, checked against the file before any allocation. */
export interface PageLayout {
  width: number;
  height: number;
  samplesPerPixel: number;
  /** PlanarConfiguration 2: each sample in its own plane (SYX) rather than interleaved (YXS). */
  planar: boolean;
  dtype: DType;
  bitsPerSample: number;
  /** Bytes of one decoded sample; 1 for bilevel pages, which decode to 0/1 bytes. */
  bytesPerSample: number;
  compression: number;
  predictor: number;
  photometric: number;
  /** Strip height or tile size. */
  chunkWidth: number;
  chunkHeight: number;
  tiled: boolean;
  offsets: number[];
  byteCounts: number[];
  /** NewSubfileType: bit 0 marks a reduced-resolution copy, bit 2 a mask. */
  subfileType: number;
}

/** Bytes the decoded page occupies. */
export function pageByteLength(layout: PageLayout): number {
  return layout.width * layout.height * layout.samplesPerPixel * layout.bytesPerSample;
}

/**
 * The first page's series: the first page, then every later page of the same shape that is not a
 * reduced-resolution or mask page. An unreadable extra page does not spoil the series.
 */
export function seriesPages(ifds: readonly Ifd[]): { ifd: Ifd; layout: PageLayout }[] {
  const layout = describePage(ifds[0]);
  const pages = [{ ifd: ifds[0], layout }];
  for (const ifd of ifds.slice(1)) {
    let next: PageLayout;
    try {
      next = describePage(ifd);
    } catch (error) {
      if (error instanceof CellscopeError) continue;
      throw error;
    }
    if (sameShape(layout, next) && (next.subfileType & 5) === 0) pages.push({ ifd, layout: next });
  }
  return pages;
}

/** The same image size, sample count and type: pages that stack into one array. */
export function sameShape(a: PageLayout, b: PageLayout): boolean {
  return (
    a.width === b.width &&
    a.height === b.height &&
    a.samplesPerPixel === b.samplesPerPixel &&
    a.planar === b.planar &&
    a.dtype === b.dtype
  );
}

function sampleDtype(bits: number, format: number): DType | undefined {
  const kind = format === 2 ? 'int' : format === 3 ? 'float' : 'uint';
  const name = `${kind}${bits}`;
  const known: readonly string[] = [
    'uint8',
    'uint16',
    'uint32',
    'int8',
    'int16',
    'int32',
    'float32',
    'float64',
  ];
  return known.includes(name) ? (name as DType) : undefined;
}

/** Reads and checks the tags that say where a page's pixels are. */
export function describePage(ifd: Ifd): PageLayout {
  const width = ifd.number(Tag.ImageWidth);
  const height = ifd.number(Tag.ImageLength);
  if (width === undefined || height === undefined) {
    throw new ImageFormatError('page has no ImageWidth/ImageLength tag');
  }
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new ImageFormatError(`page declares an invalid size ${width} × ${height}`);
  }
  const samplesPerPixel = ifd.number(Tag.SamplesPerPixel, 1);
  if (!Number.isInteger(samplesPerPixel) || samplesPerPixel < 1 || samplesPerPixel > 64) {
    throw new ImageFormatError(`page declares ${samplesPerPixel} samples per pixel`);
  }
  const bitsList = ifd.numbers(Tag.BitsPerSample) ?? [1];
  const bitsPerSample = bitsList[0];
  if (bitsList.some((b) => b !== bitsPerSample)) {
    throw new UnsupportedError(
      `samples of different bit depths (${bitsList.join(', ')}) are not supported`,
    );
  }
  const sampleFormat = ifd.number(Tag.SampleFormat, 1);
  const bilevel = bitsPerSample === 1 && sampleFormat === 1;
  const dtype = bilevel ? 'uint8' : sampleDtype(bitsPerSample, sampleFormat);
  if (!dtype) {
    const kind =
      ['', 'unsigned', 'signed', 'float', 'void'][sampleFormat] ?? `format ${sampleFormat}`;
    throw new UnsupportedError(`${bitsPerSample}-bit ${kind} samples are not supported`, {
      hint: 'cellscope reads 1/8/16/32-bit integer and 32/64-bit float samples',
    });
  }
  const compression = ifd.number(Tag.Compression, Compression.None);
  assertSupportedCompression(compression);
  const predictor = ifd.number(Tag.Predictor, 1);
  if (predictor !== 1 && predictor !== 2 && predictor !== 3) {
    throw new UnsupportedError(`predictor ${predictor} is not supported`);
  }
  if (predictor === 3 && sampleFormat !== 3) {
    throw new ImageFormatError('floating-point predictor on integer samples');
  }
  const planar = ifd.number(Tag.PlanarConfiguration, 1) === 2 && samplesPerPixel > 1;
  const tiled = ifd.has(Tag.TileWidth) || ifd.has(Tag.TileOffsets);
  let chunkWidth = width;
  let chunkHeight: number;
  if (tiled) {
    chunkWidth = ifd.number(Tag.TileWidth, 0);
    chunkHeight = ifd.number(Tag.TileLength, 0);
    if (!(
      chunkWidth >= 1 &&
      chunkHeight >= 1 &&
      Number.isInteger(chunkWidth) &&
      Number.isInteger(chunkHeight)
    )) {
      throw new ImageFormatError(`invalid tile size ${chunkWidth} × ${chunkHeight}`);
    }
  } else {
    chunkHeight = Math.min(ifd.number(Tag.RowsPerStrip, height), height);
    if (!(chunkHeight >= 1) || !Number.isInteger(chunkHeight)) {
      throw new ImageFormatError(`invalid RowsPerStrip ${chunkHeight}`);
    }
  }
  const offsets = ifd.numbers(tiled ? Tag.TileOffsets : Tag.StripOffsets);
  if (!offsets)
    throw new ImageFormatError(`page has no ${tiled ? 'TileOffsets' : 'StripOffsets'} tag`);
  const layout: PageLayout = {
    width,
    height,
    samplesPerPixel,
    planar,
    dtype,
    bitsPerSample,
    bytesPerSample: bilevel ? 1 : bitsPerSample / 8,
    compression,
    predictor,
    photometric: ifd.number(Tag.Photometric, 1),
    chunkWidth,
    chunkHeight,
    tiled,
    offsets,
    byteCounts: [],
    subfileType: ifd.number(Tag.NewSubfileType, 0),
  };
  const chunks = chunkCount(layout);
  if (offsets.length < chunks) {
    throw new ImageFormatError(`page needs ${chunks} strips/tiles but lists ${offsets.length}`);
  }
  const counts = ifd.numbers(tiled ? Tag.TileByteCounts : Tag.StripByteCounts);
  if (counts && counts.length >= chunks) {
    layout.byteCounts = counts;
  } else if (compression === Compression.None) {
    // Some writers omit byte counts of uncompressed data: they follow from the layout.
    layout.byteCounts = Array.from({ length: chunks }, (_, i) => chunkByteLength(layout, i));
  } else {
    throw new ImageFormatError('page has no usable strip/tile byte counts');
  }
  checkChunksInFile(layout, ifd.container.source.size);
  return layout;
}

/** Samples per pixel stored in one chunk: all of them when interleaved, one when planar. */
export function chunkSamples(layout: PageLayout): number {
  return layout.planar ? 1 : layout.samplesPerPixel;
}

export function chunksPerPlane(layout: PageLayout): { across: number; down: number } {
  return {
    across: layout.tiled ? Math.ceil(layout.width / layout.chunkWidth) : 1,
    down: Math.ceil(layout.height / layout.chunkHeight),
  };
}

function chunkCount(layout: PageLayout): number {
  const { across, down } = chunksPerPlane(layout);
  return across * down * (layout.planar ? layout.samplesPerPixel : 1);
}

/** Bytes of one packed row of a chunk (bilevel rows are padded to whole bytes). */
function chunkRowBytes(layout: PageLayout): number {
  const samples = layout.chunkWidth * chunkSamples(layout);
  return layout.bitsPerSample === 1 ? Math.ceil(samples / 8) : samples * layout.bytesPerSample;
}

/** Rows in chunk `index`: tiles are always full; the last strip of a plane may be short. */
function chunkRows(layout: PageLayout, index: number): number {
  if (layout.tiled) return layout.chunkHeight;
  const down = chunksPerPlane(layout).down;
  const strip = index % down;
  return Math.min(layout.chunkHeight, layout.height - strip * layout.chunkHeight);
}

function chunkByteLength(layout: PageLayout, index: number): number {
  return chunkRows(layout, index) * chunkRowBytes(layout);
}

function checkChunksInFile(layout: PageLayout, fileLength: number): void {
  let stored = 0;
  for (let i = 0; i < chunkCount(layout); i++) {
    const offset = layout.offsets[i];
    const count = layout.byteCounts[i];
    if (!(offset >= 0 && count >= 0 && offset + count <= fileLength)) {
      throw new ImageFormatError(
        `strip/tile ${i} (bytes ${offset}–${offset + count}) lies past the end of the ${fileLength}-byte file (truncated?)`,
      );
    }
    stored += count;
  }
  const needed = pageByteLength(layout);
  const expansion = maxExpansion(layout.compression);
  if (stored * expansion < needed / (layout.bitsPerSample === 1 ? 8 : 1)) {
    throw new ImageFormatError(
      `page declares ${layout.width} × ${layout.height} × ${layout.samplesPerPixel} samples but stores only ${stored} bytes of pixel data`,
    );
  }
  // Tiles can be far larger than the page; decodePage allocates only the rows a chunk covers.
  const chunkLimit = Math.max(needed, MAX_CHUNK_BYTES);
  for (let i = 0; i < chunkCount(layout); i++) {
    const decoded = chunkByteLength(layout, i);
    if (layout.byteCounts[i] * expansion < decoded) {
      throw new ImageFormatError(
        `strip/tile ${i} stores ${layout.byteCounts[i]} bytes, too few for its ${layout.chunkWidth} × ${chunkRows(layout, i)} pixels`,
      );
    }
    const allocated = usedRows(layout, i) * chunkRowBytes(layout);
    if (allocated > chunkLimit) {
      throw new ImageFormatError(
        `strip/tile ${i} of ${layout.chunkWidth} × ${chunkRows(layout, i)} pixels would take ${allocated} bytes to decode, more than the ${chunkLimit}-byte limit for a ${layout.width} × ${layout.height} page`,
      );
    }
  }
}

/** A chunk may decode to more than its page (a tile wider than the image), but not past this. */
const MAX_CHUNK_BYTES = 64 * 1024 ** 2;

/** Rows of chunk `index` that fall inside the page: the only ones decoded. */
function usedRows(layout: PageLayout, index: number): number {
  const rows = chunkRows(layout, index);
  if (!layout.tiled) return rows;
  const { across, down } = chunksPerPlane(layout);
  const y0 = Math.floor((index % (across * down)) / across) * layout.chunkHeight;
  return Math.max(0, Math.min(rows, layout.height - y0));
}

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Decodes a page into `out` (exactly `pageByteLength` bytes, in this machine's byte order):
 * interleaved pages as YXS, planar pages as SYX.
 */
export function decodePage(ifd: Ifd, layout: PageLayout, out: Uint8Array): void {
  const bps = layout.bytesPerSample;
  const samples = chunkSamples(layout);
  const rowSamples = layout.chunkWidth * samples;
  const { across, down } = chunksPerPlane(layout);
  const planeBytes = layout.width * layout.height * samples * bps;
  for (let i = 0; i < chunkCount(layout); i++) {
    const { chunk, rows } = decodeChunk(ifd, layout, i);
    const plane = Math.floor(i / (across * down));
    const within = i % (across * down);
    const y0 = Math.floor(within / across) * layout.chunkHeight;
    const x0 = (within % across) * layout.chunkWidth;
    const planeStart = plane * planeBytes;
    if (!layout.tiled) {
      out.set(
        chunk.subarray(0, rows * rowSamples * bps),
        planeStart + y0 * layout.width * samples * bps,
      );
      continue;
    }
    const copyBytes = Math.min(layout.chunkWidth, layout.width - x0) * samples * bps;
    for (let r = 0; r < rows; r++) {
      const from = r * rowSamples * bps;
      out.set(
        chunk.subarray(from, from + copyBytes),
        planeStart + ((y0 + r) * layout.width + x0) * samples * bps,
      );
    }
  }
}

/**
 * Decodes strip/tile `index` alone: its rows inside the page (`rows`), each `chunkWidth` ×
 * samples-per-chunk wide, in this machine's byte order. Region reads decode only the chunks
 * they cross.
 */
export function decodeChunk(
  ifd: Ifd,
  layout: PageLayout,
  index: number,
): { chunk: Uint8Array; rows: number } {
  const { source, littleEndian } = ifd.container;
  const bps = layout.bytesPerSample;
  const samples = chunkSamples(layout);
  const rowSamples = layout.chunkWidth * samples;
  const needsSwap = bps > 1 && littleEndian !== LITTLE_ENDIAN_HOST && layout.predictor !== 3;
  const transform = needsSwap || layout.predictor !== 1 || layout.bitsPerSample === 1;
  // Decoding stops at the last row inside the page: a huge tile costs only what it shows.
  const rows = usedRows(layout, index);
  const packedLength = rows * chunkRowBytes(layout);
  // Only this chunk's stored bytes are read: a sparse multi-GB file costs what it decodes.
  const stored = source.read(layout.offsets[index], layout.byteCounts[index]);
  let chunk = decompressChunk(stored, layout.compression, packedLength);
  if (transform) {
    // A private, aligned copy: never change the caller's bytes.
    const callers = source.shared && chunk.buffer === stored.buffer;
    if (callers || chunk.byteOffset % 8 !== 0) chunk = chunk.slice();
    if (layout.bitsPerSample === 1) chunk = unpackBits(chunk, rows, rowSamples);
    if (needsSwap) swapByteOrder(chunk, bps);
    if (layout.predictor === 2) undoHorizontalDifferencing(chunk, bps, samples, rowSamples, rows);
    if (layout.predictor === 3) undoFloatingPointPredictor(chunk, bps, samples, rowSamples, rows);
  }
  return { chunk, rows };
}

/** Bilevel rows (MSB first, padded to bytes) → one 0/1 byte per sample. */
function unpackBits(packed: Uint8Array, rows: number, rowSamples: number): Uint8Array {
  const rowBytes = Math.ceil(rowSamples / 8);
  const out = new Uint8Array(rows * rowSamples);
  for (let r = 0; r < rows; r++) {
    for (let s = 0; s < rowSamples; s++) {
      out[r * rowSamples + s] = (packed[r * rowBytes + (s >> 3)] >> (7 - (s & 7))) & 1;
    }
  }
  return out;
}
