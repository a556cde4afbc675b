import {
  CellscopeError,
  ImageFormatError,
  InvalidArgumentError,
  UnsupportedError,
} from '../../errors.js';
import { arrayConstructorOf } from '../../image/dtype.js';
import { createStack } from '../../image/stack.js';
import type { DType, PixelArray, PixelSize, Plane, Stack } from '../../image/types.js';
import { parseTiff, type Ifd } from './ifd.js';
import {
  parseImageJDescription,
  parseImageJLabels,
  parseOmeXml,
  toMicrometres,
  type ImageJMetadata,
  type OmeMetadata,
} from './metadata.js';
import { maxExpansion } from './codecs.js';
import { decodePage, pageByteLength, seriesPages, type PageLayout } from './page.js';
import { swapByteOrder } from './predictor.js';
import { toSource, type ByteSource } from './source.js';
import { Compression, Tag } from './tags.js';

/** A whole TIFF series as one C-order array, with tifffile's axis letters. */
export interface TiffArray {
  /** e.g. `YX`, `CYX`, `ZCYX`, `YXS` (interleaved samples), `SYX` (planar samples). */
  axes: string;
  shape: number[];
  dtype: DType;
  data: PixelArray;
  channelNames?: string[];
  pixelSizeUm?: PixelSize;
  imagej?: ImageJMetadata;
  ome?: OmeMetadata;
  /** PhotometricInterpretation of the first page (2 = RGB). */
  photometric: number;
}

export interface ReadTiffOptions {
  /** Refuse images whose pixels would take more bytes than this. @default 4 GiB */
  maxBytes?: number;
  /**
   * Refuse images with more pixels than this, counting every plane and sample, as Pillow's
   * `DecompressionBombError` does. @default 2³⁰ (about 1.07 gigapixels)
   */
  maxPixels?: number;
}

const DEFAULT_MAX_BYTES = 4 * 1024 ** 3;
/** About a gigapixel: a 32768² plane, or 64 planes of 4096². */
export const DEFAULT_MAX_PIXELS = 2 ** 30;

/**
 * Decodes the first series of a TIFF (every page of the first page's shape) into one array,
 * shaped the way tifffile shapes it: ImageJ hyperstacks as TZCYX, OME-TIFF by DimensionOrder,
 * other multi-page files with the pages first. Axes of length 1 are dropped. From a ByteSource
 * only the directories and the series' strips/tiles are read, never the whole file.
 */
export function decodeTiffArray(
  input: Uint8Array | ByteSource,
  options: ReadTiffOptions = {},
): TiffArray {
  try {
    return readTiffUnchecked(toSource(input), options);
  } catch (error) {
    if (error instanceof CellscopeError) throw error;
    // Anything else is a malformed file that slipped past a check: report it as one, typed.
    throw new ImageFormatError(`TIFF is malformed (${(error as Error).message})`, { cause: error });
  }
}

function readTiffUnchecked(source: ByteSource, options: ReadTiffOptions): TiffArray {
  const { ifds } = parseTiff(source);
  const pages = seriesPages(ifds);
  const [{ ifd: first, layout }] = pages;
  const description = first.text(Tag.ImageDescription);
  const imagej = parseImageJDescription(description);
  const ome = imagej ? undefined : parseOmeXml(description);

  let pageCount = pages.length;
  let contiguousImageJ = false;
  if (imagej) {
    if (
      imagej.images > pages.length &&
      pages.length === 1 &&
      layout.compression === Compression.None
    ) {
      contiguousImageJ = true; // ImageJ writes stacks over 4 GB with one IFD and the planes back to back
    }
    pageCount = Math.min(imagej.images, contiguousImageJ ? imagej.images : pages.length);
  } else if (ome) {
    const expected =
      ome.sizeZ * ome.sizeT * Math.max(1, Math.round(ome.sizeC / ome.samplesPerPixel));
    // Pages of RGB samples hold several channels each, whether or not the XML says so.
    const samples = Math.max(ome.samplesPerPixel, layout.samplesPerPixel);
    const planes = ome.sizeZ * ome.sizeT * Math.max(1, Math.round(ome.sizeC / samples));
    if (planes > pages.length) {
      // Reading fewer planes would silently drop channels (or Z/T) the metadata promises.
      throw new ImageFormatError(
        `OME-XML declares ${planes} planes (C ${ome.sizeC}, Z ${ome.sizeZ}, T ${ome.sizeT}) ` +
          `but the file holds ${pages.length} readable page${pages.length === 1 ? '' : 's'} (truncated?)`,
        { hint: 'multi-file OME-TIFF datasets are not supported; re-save as one file' },
      );
    }
    if (expected <= pages.length) pageCount = expected;
  }

  const pageBytes = pageByteLength(layout);
  if (contiguousImageJ && layout.offsets[0] + pageBytes * pageCount > source.size) {
    throw new ImageFormatError(
      `ImageJ stack of ${pageCount} images runs past the end of the file (truncated?)`,
    );
  }
  checkBudget(layout, pageCount, options);
  if (!contiguousImageJ) checkSharedData(pages.slice(0, pageCount), pageBytes);
  const Ctor = arrayConstructorOf(layout.dtype);
  const data = new Ctor((pageBytes / Ctor.BYTES_PER_ELEMENT) * pageCount);
  const out = new Uint8Array(data.buffer);
  for (let p = 0; p < Math.min(pageCount, pages.length); p++) {
    decodePage(pages[p].ifd, pages[p].layout, out.subarray(p * pageBytes, (p + 1) * pageBytes));
  }
  if (contiguousImageJ) copyContiguousImageJPlanes(first, layout, out, pageCount);

  if (imagej) {
    imagej.labels = parseImageJLabels(
      first.raw(Tag.ImageJMetadata),
      first.numbers(Tag.ImageJMetadataByteCounts),
    );
  }
  const { axes, shape } = arrangeAxes(layout, pageCount, imagej, ome);
  return {
    axes,
    shape,
    dtype: layout.dtype,
    data,
    channelNames: channelNamesOf(axes, shape, imagej, ome),
    pixelSizeUm: pixelSizeOf(first, imagej, ome),
    imagej,
    ome,
    photometric: layout.photometric,
  };
}

/**
 * Pillow's DecompressionBombError, in our terms: refuses an image of more than `maxPixels` samples
 * (width × height × each extent, e.g. "3 channels"), whole or read region by region.
 */
export function checkPixelLimit(
  width: number,
  height: number,
  extents: readonly string[],
  maxPixels = DEFAULT_MAX_PIXELS,
): void {
  const counts = extents.filter((e) => e !== '').map((e) => Number.parseInt(e, 10));
  const pixels = counts.reduce((product, n) => product * n, width * height);
  if (pixels > maxPixels) {
    const shape = [`${width}`, `${height}`, ...extents.filter((e) => e !== '')].join(' × ');
    throw new UnsupportedError(
      `image has ${formatCount(pixels)} pixels (${shape}), over the limit of ${formatCount(maxPixels)}`,
      { hint: 'raise it with --max-pixels (maxPixels), if the file is genuine and memory allows' },
    );
  }
}

/** The pixel and byte limits, checked from the header alone, before anything is allocated. */
function checkBudget(layout: PageLayout, pageCount: number, options: ReadTiffOptions): void {
  const extents = [
    layout.samplesPerPixel > 1 ? `${layout.samplesPerPixel} samples` : '',
    pageCount > 1 ? `${pageCount} planes` : '',
  ];
  checkPixelLimit(layout.width, layout.height, extents, options.maxPixels);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const bytes = pageByteLength(layout) * pageCount;
  if (bytes > maxBytes) {
    throw new UnsupportedError(
      `image needs ${formatBytes(bytes)} of memory, more than the ${formatBytes(maxBytes)} limit`,
      { hint: 'raise maxBytes, or split the file into smaller ones' },
    );
  }
}

/** Small files may reuse strips freely: the check only matters once it could cost memory. */
const SHARED_DATA_SLACK = 64 * 1024 ** 2;

/**
 * Pages may point at the same strips (a few writers share an empty tile), but no codec turns
 * the distinct stored bytes into more than `maxExpansion` times as many: 1,000 pages over one
 * 4 KB strip are a decompression bomb, refused before anything is decoded.
 */
function checkSharedData(pages: { layout: PageLayout }[], pageBytes: number): void {
  const distinct = new Map<number, number>();
  let expansion = 1;
  for (const { layout } of pages) {
    expansion = Math.max(expansion, maxExpansion(layout.compression));
    layout.offsets.forEach((offset, i) => {
      const count = layout.byteCounts[i] ?? 0;
      distinct.set(offset, Math.max(distinct.get(offset) ?? 0, count));
    });
  }
  let stored = 0;
  for (const count of distinct.values()) stored += count;
  const bilevel = pages[0].layout.bitsPerSample === 1 ? 8 : 1;
  const needed = (pageBytes * pages.length) / bilevel;
  if (needed > Math.max(stored * expansion, SHARED_DATA_SLACK)) {
    throw new ImageFormatError(
      `${pages.length} pages declare ${formatBytes(pageBytes * pages.length)} of pixels but share ` +
        `only ${stored} distinct bytes of pixel data, too few for any compression (a decompression bomb?)`,
    );
  }
}

function formatCount(n: number): string {
  return n >= 1e9 ? `${(n / 1e9).toFixed(2)} G` : n >= 1e6 ? `${(n / 1e6).toFixed(1)} M` : `${n}`;
}

function copyContiguousImageJPlanes(
  first: Ifd,
  layout: PageLayout,
  out: Uint8Array,
  count: number,
): void {
  const { source, littleEndian } = first.container;
  const pageBytes = pageByteLength(layout);
  const start = layout.offsets[0];
  // Plane by plane: reading the rest of the stack at once would hold it twice.
  for (let p = 1; p < count; p++) {
    out.set(source.read(start + p * pageBytes, pageBytes), p * pageBytes);
  }
  const hostLittle = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  if (layout.bytesPerSample > 1 && littleEndian !== hostLittle) {
    swapByteOrder(out.subarray(pageBytes, pageBytes * count), layout.bytesPerSample);
  }
}

/** The page axes (slowest first, sizes > 1 only) followed by the within-page axes. */
function arrangeAxes(
  layout: PageLayout,
  pageCount: number,
  imagej: ImageJMetadata | undefined,
  ome: OmeMetadata | undefined,
): { axes: string; shape: number[] } {
  let pageDims: [string, number][] = [];
  if (imagej && imagej.channels * imagej.slices * imagej.frames === pageCount) {
    pageDims = [
      ['T', imagej.frames],
      ['Z', imagej.slices],
      ['C', imagej.channels],
    ];
  } else if (ome) {
    const sizes: Record<string, number> = {
      C: Math.max(1, Math.round(ome.sizeC / ome.samplesPerPixel)),
      Z: ome.sizeZ,
      T: ome.sizeT,
    };
    // DimensionOrder lists the fastest-varying axis first, after X and Y.
    const dims = [...ome.dimensionOrder.slice(2)]
      .reverse()
      .map((a): [string, number] => [a, sizes[a]]);
    if (dims.reduce((n, [, s]) => n * s, 1) === pageCount) pageDims = dims;
  }
  if (pageDims.length === 0 && pageCount > 1) {
    // No usable metadata: pages are the channels, unless each page already holds RGB samples.
    pageDims = [[layout.samplesPerPixel > 1 ? 'I' : 'C', pageCount]];
  }
  const dims = pageDims.filter(([, size]) => size > 1);
  const samples: [string, number][] =
    layout.samplesPerPixel > 1 ? [['S', layout.samplesPerPixel]] : [];
  const all: [string, number][] = [
    ...dims,
    ...(layout.planar ? samples : []),
    ['Y', layout.height],
    ['X', layout.width],
    ...(layout.planar ? [] : samples),
  ];
  return { axes: all.map(([a]) => a).join(''), shape: all.map(([, s]) => s) };
}

function channelNamesOf(
  axes: string,
  shape: number[],
  imagej: ImageJMetadata | undefined,
  ome: OmeMetadata | undefined,
): string[] | undefined {
  const c = axes.indexOf('C');
  const count = c >= 0 ? shape[c] : 1;
  // ImageJ orders images channel-fastest, so the first `channels` slice labels name the channels.
  const names = ome ? ome.channelNames : imagej?.labels;
  if (!names) return undefined;
  const picked = Array.from({ length: count }, (_, i) => names[i]?.trim());
  return picked.every((n) => n) ? (picked as string[]) : undefined;
}

export function pixelSizeOf(
  first: Ifd,
  imagej: ImageJMetadata | undefined,
  ome: OmeMetadata | undefined,
): PixelSize | undefined {
  if (ome) {
    const { x, y, z } = ome.physicalSizeUm;
    if (x === undefined && y === undefined) return undefined;
    return { x: x ?? (y as number), y: y ?? (x as number), ...(z !== undefined && { z }) };
  }
  const xResolution = first.number(Tag.XResolution);
  const yResolution = first.number(Tag.YResolution) ?? xResolution;
  if (!xResolution || !yResolution) return undefined;
  let unit: string | undefined;
  if (imagej) unit = imagej.unit;
  else if (first.number(Tag.ResolutionUnit, 2) === 3) unit = 'cm';
  if (unit === undefined) return undefined; // inches (72 dpi) or no unit say nothing about the sample
  const x = toMicrometres(1 / xResolution, unit);
  const y = toMicrometres(1 / yResolution, unit);
  if (x === undefined || y === undefined) return undefined;
  const z = imagej?.spacing === undefined ? undefined : toMicrometres(imagej.spacing, unit);
  return { x, y, ...(z !== undefined && { z }) };
}

function formatBytes(n: number): string {
  return n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(1)} GiB` : `${(n / 1024 ** 2).toFixed(1)} MiB`;
}

export interface StackSelection {
  /** Z slice to take from a Z stack (0-based). @default 0 */
  z?: number;
  /** Time point to take from a time series (0-based). @default 0 */
  t?: number;
  /** Index along any other page axis (`I`). @default 0 */
  index?: number;
}

/**
 * The channels of one Z/T position as a Stack. Channels come from the `C` axis, else from RGB
 * samples; with both (an RGB hyperstack) every channel's samples become channels.
 */
export function tiffArrayToStack(array: TiffArray, selection: StackSelection = {}): Stack {
  const { axes, shape } = array;
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const axis = (letter: string): number => axes.indexOf(letter);
  let base = 0;
  for (const [letter, wanted] of [
    ['Z', selection.z],
    ['T', selection.t],
    ['I', selection.index],
  ] as const) {
    const i = axis(letter);
    const index = wanted ?? 0;
    const size = i >= 0 ? shape[i] : 1;
    if (!Number.isInteger(index) || index < 0 || index >= size) {
      const name = { Z: 'z', T: 't', I: 'index' }[letter];
      throw new InvalidArgumentError(
        `${name} = ${index} is out of range: the image has ${size} along ${letter}`,
      );
    }
    if (i >= 0) base += index * strides[i];
  }
  const c = axis('C');
  const s = axis('S');
  const channels = c >= 0 ? shape[c] : 1;
  const samples = s >= 0 ? shape[s] : 1;
  const height = shape[axis('Y')];
  const width = shape[axis('X')];
  const xStride = strides[axis('X')];
  const planes: Plane[] = [];
  for (let ci = 0; ci < channels; ci++) {
    for (let si = 0; si < samples; si++) {
      const start = base + (c >= 0 ? ci * strides[c] : 0) + (s >= 0 ? si * strides[s] : 0);
      planes.push({ width, height, data: gather(array.data, start, width * height, xStride) });
    }
  }
  const names =
    samples > 1
      ? planes.map((_, k) => {
          const rgb =
            array.photometric === 2 && samples >= 3
              ? (['R', 'G', 'B', 'A'][k % samples] ?? `S${k % samples}`)
              : `S${k % samples}`;
          return channels > 1
            ? `${array.channelNames?.[Math.floor(k / samples)] ?? `C${Math.floor(k / samples)}`}-${rgb}`
            : rgb;
        })
      : (array.channelNames ?? planes.map((_, k) => `C${k}`));
  return createStack(planes, {
    channelNames: names,
    pixelSizeUm: array.pixelSizeUm,
    sourceAxes: axes,
  });
}

/** `count` values from `start` with a fixed stride (a view when they are contiguous). */
function gather(data: PixelArray, start: number, count: number, stride: number): PixelArray {
  if (stride === 1) return data.subarray(start, start + count);
  const out = new (data.constructor as new (n: number) => PixelArray)(count);
  for (let i = 0, j = start; i < count; i++, j += stride) out[i] = data[j];
  return out;
}

/** Reads a TIFF straight into a Stack of one Z/T position. */
export function decodeTiff(
  bytes: Uint8Array,
  options: ReadTiffOptions & StackSelection = {},
): Stack {
  return tiffArrayToStack(decodeTiffArray(bytes, options), options);
}
