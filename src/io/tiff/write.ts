import { InvalidArgumentError, UnsupportedError } from '../../errors.js';
import { concatBytes } from '../bytes.js';
import { bytesPerSample, dtypeOf, isIntegerDtype } from '../../image/dtype.js';
import type { DType, Labels, PixelArray, PixelSize, Plane, Stack } from '../../image/types.js';
import { deflate, encodePackBits } from './codecs.js';
import { encodeLzw } from './lzw.js';
import { swapByteOrder } from './predictor.js';
import { Compression, Tag } from './tags.js';
import {
  asciiz,
  encodeIfd,
  FieldType,
  ifdByteLength,
  toRational,
  type Field,
} from './ifd-write.js';

/** Strip codecs the writer offers; all of them are read by libtiff, tifffile, ImageJ and cellscope. */
export const TIFF_COMPRESSIONS = ['deflate', 'lzw', 'packbits', 'none'] as const;
export type TiffCompression = (typeof TIFF_COMPRESSIONS)[number];

export interface WriteTiffOptions {
  /**
   * How pixel strips are compressed. All are lossless; `deflate` (zlib, level 6) usually gives
   * the smallest files, `none` the fastest to write and read.
   * @default 'deflate'
   */
  compression?: TiffCompression;
  /**
   * Horizontal differencing (TIFF predictor 2) before compressing: smaller files for smooth
   * images. Integer dtypes with `deflate` or `lzw` only: libtiff undoes it inside those codecs alone.
   * @default false
   */
  predictor?: boolean;
  /**
   * ImageDescription to write instead of the ImageJ hyperstack description (e.g. OME-XML).
   * Fiji and cellscope then no longer recover the channel count, unit, Z spacing or names.
   * @default the ImageJ description
   */
  description?: string;
}

export interface WriteLabelsTiffOptions extends WriteTiffOptions {
  /** Pixel size to record, so the labels overlay their image with the same calibration in Fiji. */
  pixelSizeUm?: PixelSize;
}

/** Uncompressed bytes per strip; libtiff and tifffile also aim for strips of about 64 KiB. */
const STRIP_BYTES = 64 * 1024;
/** Classic TIFF stores offsets as uint32 (TIFF 6.0 §2), so no byte may lie past 4 GiB. */
const MAX_FILE_BYTES = 0xffffffff;
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** What an image page needs besides its pixels. */
interface Image {
  planes: readonly Plane[];
  dtype: DType;
  channelNames: readonly string[];
  pixelSizeUm?: PixelSize;
}

interface Settings {
  compression: TiffCompression;
  predictor: boolean;
  description?: string;
}

/**
 * Encodes a stack as a classic little-endian TIFF with one page per channel, laid out the way
 * Fiji opens it as a (composite) hyperstack: ImageJ description, pixel size as pixels per
 * micron, channel names as ImageJ slice labels. `decodeTiffArray` and tifffile read it back exactly.
 */
export function encodeTiff(stack: Stack, options: WriteTiffOptions = {}): Uint8Array {
  const image = checkStack(stack);
  return encodeImage(image, checkOptions(options, image.dtype));
}

/**
 * Encodes a label image as a single-page TIFF: uint16 when every label fits (what Fiji and most
 * tools handle best), else uint32.
 */
export function encodeLabelsTiff(labels: Labels, options: WriteLabelsTiffOptions = {}): Uint8Array {
  const { pixelSizeUm, ...rest } = options;
  if (
    typeof labels !== 'object' ||
    labels === null ||
    !(labels.data instanceof Uint32Array) ||
    !isPositiveInteger(labels.width) ||
    !isPositiveInteger(labels.height) ||
    labels.data.length !== labels.width * labels.height
  ) {
    throw new InvalidArgumentError(
      'labels must have a positive integer width and height and a Uint32Array of width × height values',
    );
  }
  let max = 0;
  for (let i = 0; i < labels.data.length; i++) if (labels.data[i] > max) max = labels.data[i];
  const data = max <= 0xffff ? new Uint16Array(labels.data) : labels.data;
  const image = checkStack({
    planes: [{ width: labels.width, height: labels.height, data }],
    channelNames: ['labels'],
    pixelSizeUm,
    sourceAxes: 'YX',
  });
  return encodeImage(image, checkOptions(rest, image.dtype));
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}

function checkStack(stack: Stack): Image {
  if (typeof stack !== 'object' || stack === null || !Array.isArray(stack.planes)) {
    throw new InvalidArgumentError('expected a Stack with a `planes` array');
  }
  const { planes, channelNames, pixelSizeUm } = stack;
  if (planes.length === 0) throw new InvalidArgumentError('cannot write a stack without planes');
  const [first] = planes;
  const dtype = dtypeOf(first.data);
  for (const [i, plane] of planes.entries()) {
    if (!isPositiveInteger(plane.width) || !isPositiveInteger(plane.height)) {
      throw new InvalidArgumentError(
        `plane ${i} has an invalid size ${plane.width} × ${plane.height}`,
      );
    }
    if (plane.width !== first.width || plane.height !== first.height) {
      throw new InvalidArgumentError(
        `all planes must be ${first.width} × ${first.height}, plane ${i} is ${plane.width} × ${plane.height}`,
      );
    }
    if (dtypeOf(plane.data) !== dtype) {
      throw new InvalidArgumentError(`all planes must be ${dtype}, plane ${i} is not`);
    }
    if (plane.data.length !== plane.width * plane.height) {
      throw new InvalidArgumentError(
        `plane ${i} holds ${plane.data.length} values, expected ${plane.width} × ${plane.height}`,
      );
    }
  }
  if (
    !Array.isArray(channelNames) ||
    channelNames.length !== planes.length ||
    channelNames.some((n) => typeof n !== 'string')
  ) {
    throw new InvalidArgumentError(`the stack needs one channel name per plane (${planes.length})`);
  }
  if (pixelSizeUm !== undefined) {
    const { x, y, z } = pixelSizeUm;
    // 1 pm to 1 km keeps 1/size pixels per micron well inside a RATIONAL of two uint32s.
    const storable = (v: number | undefined): boolean =>
      typeof v === 'number' && v >= 1e-6 && v <= 1e9;
    if (!storable(x) || !storable(y) || (z !== undefined && !storable(z))) {
      throw new InvalidArgumentError(
        `pixel size ${JSON.stringify(pixelSizeUm)} µm cannot be stored: each size must be a number from 1e-6 to 1e9`,
      );
    }
  }
  return { planes, dtype, channelNames, pixelSizeUm };
}

function checkOptions(options: WriteTiffOptions, dtype: DType): Settings {
  const { compression = 'deflate', predictor = false, description } = options;
  if (!TIFF_COMPRESSIONS.includes(compression)) {
    throw new InvalidArgumentError(`unknown TIFF compression "${String(compression)}"`, {
      hint: `use one of ${TIFF_COMPRESSIONS.join(', ')}`,
    });
  }
  if (typeof predictor !== 'boolean') {
    throw new InvalidArgumentError('predictor must be true or false');
  }
  if (predictor && !isIntegerDtype(dtype)) {
    throw new InvalidArgumentError(`the horizontal predictor needs integer pixels, not ${dtype}`, {
      hint: 'write float images without a predictor',
    });
  }
  if (predictor && compression !== 'deflate' && compression !== 'lzw') {
    // libtiff undoes the predictor inside its LZW and deflate codecs only.
    throw new InvalidArgumentError(`the predictor cannot be combined with ${compression}`, {
      hint: "use compression 'deflate' or 'lzw' with the predictor",
    });
  }
  if (
    description !== undefined &&
    (typeof description !== 'string' || description.includes('\0'))
  ) {
    throw new InvalidArgumentError('description must be a string without NUL characters');
  }
  return { compression, predictor, description };
}

function encodeImage(image: Image, settings: Settings): Uint8Array {
  const { planes, dtype } = image;
  const { width, height } = planes[0];
  const bps = bytesPerSample(dtype);
  const planeBytes = width * height * bps;
  if (settings.compression === 'none') assertFits(planes.length * planeBytes);

  const rowsPerStrip = Math.max(1, Math.min(height, Math.floor(STRIP_BYTES / (width * bps))));
  const pages: Uint8Array[][] = [];
  let pixelBytes = 0;
  for (const plane of planes) {
    const strips = encodeStrips(plane.data, width, height, bps, rowsPerStrip, settings);
    for (const strip of strips) pixelBytes += strip.length;
    assertFits(pixelBytes); // stop compressing as soon as the file cannot be written
    pages.push(strips);
  }

  const ranges = displayRanges(planes, dtype);
  const description =
    settings.description ?? imagejDescription(planes.length, image.pixelSizeUm, ranges?.[0]);
  const metadata = imagejMetadata(image.channelNames, planes.length > 1 ? ranges : undefined);
  const sampleFormat = dtype.startsWith('float') ? 3 : dtype.startsWith('int') ? 2 : 1;
  const resolution = image.pixelSizeUm && {
    x: toRational(1 / image.pixelSizeUm.x),
    y: toRational(1 / image.pixelSizeUm.y),
  };

  // Filled in once the layout is known; their lengths are what size the IFDs.
  const stripOffsets = pages.map((strips) => new Array<number>(strips.length).fill(0));
  const ifds = pages.map((strips, p): Field[] => {
    const fields: Field[] = [
      { tag: Tag.ImageWidth, type: FieldType.Long, values: [width] },
      { tag: Tag.ImageLength, type: FieldType.Long, values: [height] },
      { tag: Tag.BitsPerSample, type: FieldType.Short, values: [bps * 8] },
      {
        tag: Tag.Compression,
        type: FieldType.Short,
        values: [COMPRESSION_CODE[settings.compression]],
      },
      { tag: Tag.Photometric, type: FieldType.Short, values: [1] }, // BlackIsZero
      { tag: Tag.StripOffsets, type: FieldType.Long, values: stripOffsets[p] },
      { tag: Tag.SamplesPerPixel, type: FieldType.Short, values: [1] },
      { tag: Tag.RowsPerStrip, type: FieldType.Long, values: [rowsPerStrip] },
      { tag: Tag.StripByteCounts, type: FieldType.Long, values: strips.map((s) => s.length) },
      { tag: Tag.SampleFormat, type: FieldType.Short, values: [sampleFormat] },
    ];
    if (settings.predictor) fields.push({ tag: Tag.Predictor, type: FieldType.Short, values: [2] });
    if (resolution) {
      // ImageJ stores pixels per unit with ResolutionUnit "none" and names the unit in the description.
      fields.push(
        { tag: Tag.XResolution, type: FieldType.Rational, values: resolution.x },
        { tag: Tag.YResolution, type: FieldType.Rational, values: resolution.y },
        { tag: Tag.ResolutionUnit, type: FieldType.Short, values: [1] },
      );
    }
    if (p === 0) {
      // ImageJ keeps the stack-wide description and metadata on the first page only.
      fields.push(
        { tag: Tag.ImageDescription, type: FieldType.Ascii, values: asciiz(description) },
        { tag: Tag.Software, type: FieldType.Ascii, values: asciiz('cellscope') },
        { tag: Tag.ImageJMetadataByteCounts, type: FieldType.Long, values: metadata.byteCounts },
        { tag: Tag.ImageJMetadata, type: FieldType.Byte, values: metadata.bytes },
      );
    }
    return fields;
  });

  // All IFDs first, then every page's strips back to back: ImageJ reads an uncompressed
  // `images=N` file as N contiguous planes from the first strip and ignores the other IFDs.
  let position = 8;
  const ifdOffsets = ifds.map((fields) => {
    const at = position;
    position += ifdByteLength(fields);
    return at;
  });
  for (const [p, strips] of pages.entries()) {
    for (const [s, strip] of strips.entries()) {
      stripOffsets[p][s] = position;
      position += strip.length;
    }
  }
  assertFits(position);

  const out = new Uint8Array(position);
  const view = new DataView(out.buffer);
  out.set([0x49, 0x49]); // "II": little-endian
  view.setUint16(2, 42, true);
  view.setUint32(4, ifdOffsets[0], true);
  for (const [p, fields] of ifds.entries()) {
    out.set(encodeIfd(fields, ifdOffsets[p + 1] ?? 0, ifdOffsets[p]), ifdOffsets[p]);
    for (const [s, strip] of pages[p].entries()) out.set(strip, stripOffsets[p][s]);
  }
  return out;
}

const COMPRESSION_CODE: Record<TiffCompression, number> = {
  none: Compression.None,
  lzw: Compression.LZW,
  deflate: Compression.Deflate,
  packbits: Compression.PackBits,
};

function assertFits(bytes: number): void {
  if (bytes <= MAX_FILE_BYTES) return;
  throw new UnsupportedError(
    `the TIFF would need ${(bytes / 1024 ** 3).toFixed(1)} GiB or more, past the 4 GiB a classic TIFF can address`,
    { hint: 'write fewer channels per file, crop the image, or use deflate compression' },
  );
}

/** The plane's rows cut into strips, each predicted, put in little-endian order and compressed. */
function encodeStrips(
  data: PixelArray,
  width: number,
  height: number,
  bps: number,
  rowsPerStrip: number,
  settings: Settings,
): Uint8Array[] {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const rowBytes = width * bps;
  const strips: Uint8Array[] = [];
  for (let y = 0; y < height; y += rowsPerStrip) {
    const rows = Math.min(rowsPerStrip, height - y);
    let strip = bytes.subarray(y * rowBytes, (y + rows) * rowBytes);
    if (settings.predictor || (!LITTLE_ENDIAN_HOST && bps > 1)) {
      strip = strip.slice(); // a private, aligned copy: never change the caller's pixels
      if (settings.predictor) applyHorizontalDifferencing(strip, bps, width, rows);
      if (!LITTLE_ENDIAN_HOST) swapByteOrder(strip, bps);
    }
    strips.push(compress(strip, settings.compression, rowBytes));
  }
  return strips;
}

function compress(strip: Uint8Array, compression: TiffCompression, rowBytes: number): Uint8Array {
  switch (compression) {
    case 'none':
      return strip;
    case 'deflate':
      return deflate(strip, 6);
    case 'lzw':
      return encodeLzw(strip);
    case 'packbits': {
      // TIFF 6.0 §9: each row is packed separately, runs never cross a row boundary.
      const rows: Uint8Array[] = [];
      for (let at = 0; at < strip.length; at += rowBytes) {
        rows.push(encodePackBits(strip.subarray(at, at + rowBytes)));
      }
      return concatBytes(rows);
    }
  }
}

/**
 * TIFF predictor 2 (TIFF 6.0 §14): each sample minus its left neighbour, per row, on the
 * unsigned bit patterns; typed-array stores wrap modulo 2^bits as the predictor requires.
 */
function applyHorizontalDifferencing(
  bytes: Uint8Array,
  bps: number,
  width: number,
  rows: number,
): void {
  const samples =
    bps === 1
      ? bytes
      : bps === 2
        ? new Uint16Array(bytes.buffer, bytes.byteOffset, width * rows)
        : new Uint32Array(bytes.buffer, bytes.byteOffset, width * rows);
  for (let r = 0; r < rows; r++) {
    const start = r * width;
    for (let i = start + width - 1; i > start; i--) samples[i] -= samples[i - 1];
  }
}

/**
 * Per-channel [min, max] of the finite values in ImageJ's raw pixel units, for the display
 * range; undefined when a channel has none, or for int8, which ImageJ has no signed type for.
 */
function displayRanges(planes: readonly Plane[], dtype: DType): [number, number][] | undefined {
  if (dtype === 'int8') return undefined;
  // ImageJ opens int16 as uint16 shifted by 32768 and keeps display ranges in those units.
  const shift = dtype === 'int16' ? 32768 : 0;
  const ranges: [number, number][] = [];
  for (const { data } of planes) {
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (v < min) min = v;
      if (v > max) max = v;
    }
    if (!Number.isFinite(min) || !Number.isFinite(max)) {
      // NaN never compares, so only ±Infinity (or all NaN) get here: rescan for finite values.
      min = Infinity;
      max = -Infinity;
      for (let i = 0; i < data.length; i++) {
        const v = data[i];
        if (Number.isFinite(v)) {
          if (v < min) min = v;
          if (v > max) max = v;
        }
      }
      if (min > max) return undefined;
    }
    ranges.push([min + shift, max + shift]);
  }
  return ranges;
}

/**
 * The description ImageJ writes for a channel hyperstack (ij.io.FileSaver#getDescriptionString),
 * with tifffile's version tag "1.11a". Keys Fiji and tifffile read: images, channels, mode,
 * unit, spacing, min, max.
 */
function imagejDescription(
  channels: number,
  pixelSizeUm: PixelSize | undefined,
  range: [number, number] | undefined,
): string {
  const lines = ['ImageJ=1.11a', `images=${channels}`, `channels=${channels}`];
  lines.push(...(channels > 1 ? ['hyperstack=true', 'mode=composite'] : ['mode=grayscale']));
  if (pixelSizeUm) {
    lines.push('unit=micron');
    if (pixelSizeUm.z !== undefined) lines.push(`spacing=${pixelSizeUm.z}`);
  }
  lines.push('loop=false');
  if (range) lines.push(`min=${range[0]}`, `max=${range[1]}`);
  return `${lines.join('\n')}\n`;
}

/**
 * ImageJ's private metadata (ij.io.TiffEncoder layout): magic "IJIJ", a (type, count) pair of
 * uint32s per kind, then the entries: slice labels ("labl") as UTF-16, display ranges ("rang")
 * as one entry of min, max doubles per channel. Tag 50838 lists the byte length of the header
 * and of every entry. ImageJ's TiffDecoder (and tifffile) read all of it in the file's byte
 * order, so in this little-endian file it is little-endian (the magic's bytes read "JIJI").
 */
function imagejMetadata(
  labels: readonly string[],
  ranges: [number, number][] | undefined,
): { bytes: Uint8Array; byteCounts: number[] } {
  const kinds: [number, number][] = [[0x6c61626c, labels.length]]; // "labl"
  if (ranges) kinds.push([0x72616e67, 1]); // "rang"
  const header = new Uint8Array(4 + 8 * kinds.length);
  const headerView = new DataView(header.buffer);
  headerView.setUint32(0, 0x494a494a, true); // "IJIJ"
  kinds.forEach(([type, count], i) => {
    headerView.setUint32(4 + 8 * i, type, true);
    headerView.setUint32(8 + 8 * i, count, true);
  });
  const entries: Uint8Array[] = labels.map((label) => {
    const entry = new Uint8Array(label.length * 2);
    const view = new DataView(entry.buffer);
    for (let i = 0; i < label.length; i++) view.setUint16(2 * i, label.charCodeAt(i), true);
    return entry;
  });
  if (ranges) {
    const entry = new Uint8Array(ranges.length * 16);
    const view = new DataView(entry.buffer);
    ranges.forEach(([min, max], c) => {
      view.setFloat64(16 * c, min, true);
      view.setFloat64(16 * c + 8, max, true);
    });
    entries.push(entry);
  }
  return {
    bytes: concatBytes([header, ...entries]),
    byteCounts: [header.length, ...entries.map((e) => e.length)],
  };
}
