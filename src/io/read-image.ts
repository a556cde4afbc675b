import {
  CellscopeError,
  ImageFormatError,
  InvalidArgumentError,
  UnsupportedError,
  withFile,
} from '../errors.js';
import { dtypeOf } from '../image/dtype.js';
import { minMax, mean } from '../image/stats.js';
import type { DType, PixelSize, Stack } from '../image/types.js';
import { combineChannels } from './combine-channels.js';
import { openFileSource, readFileBytes, type FileSource } from './files.js';
import { decodeRaster } from './raster.js';
import { sniffFormat, type ImageFormat } from './sniff-format.js';
import {
  decodeTiffArray,
  tiffArrayToStack,
  type ReadTiffOptions,
  type StackSelection,
  type TiffArray,
} from './tiff/read.js';

export { sniffFormat, type ImageFormat };

export type ReadImageOptions = ReadTiffOptions & StackSelection;

/** `CELLSCOPE_MAX_PIXELS` (set by `--max-pixels`, inherited by worker threads) raises the limit. */
export const MAX_PIXELS_ENV = 'CELLSCOPE_MAX_PIXELS';

/** The caller's limits, with the pixel limit from the environment where the caller gave none. */
export function withLimits<T extends ReadTiffOptions>(options: T): T {
  if (options.maxPixels !== undefined) return options;
  const fromEnv = Number(process.env[MAX_PIXELS_ENV]);
  return fromEnv > 0 ? { ...options, maxPixels: fromEnv } : options;
}

/** Reads a TIFF, PNG or JPEG file into a Stack (one Z/T position of a hyperstack). */
export async function readImage(path: string, options: ReadImageOptions = {}): Promise<Stack> {
  return withImageFile(path, async (source, format) =>
    format === 'tiff'
      ? tiffArrayToStack(decodeTiffArray(source, withLimits(options)), options)
      : decodeRaster(await readFileBytes(path)),
  );
}

/**
 * Opens `path`, recognises its format by the first bytes and hands both to `read`. TIFFs are read
 * through the handle (directories, then only the strips decoded); PNG and JPEG decode whole.
 */
async function withImageFile<T>(
  path: string,
  read: (source: FileSource, format: ImageFormat) => Promise<T>,
): Promise<T> {
  const source = await openFileSource(path);
  try {
    return await attachFile(path, () => read(source, requireFormat(source, path)));
  } finally {
    await source.close();
  }
}

/**
 * Reads several files as the channels of one image, in order (CellProfiler-style one file per
 * channel). A single-channel file's channel is named after the file. Files must have the same
 * size; channels of different pixel types become float32.
 */
export async function readChannels(
  paths: readonly string[],
  options: ReadImageOptions = {},
): Promise<Stack> {
  if (paths.length === 0) throw new InvalidArgumentError('no image given');
  const stacks = await Promise.all(paths.map((path) => readImage(path, options)));
  return combineChannels(stacks, paths);
}

export interface ChannelSummary {
  name: string;
  min: number;
  max: number;
  mean: number;
}

/** What `cellscope info` shows: the file's whole array, and statistics per channel over all of it. */
export interface ImageInfo {
  file: string;
  format: ImageFormat;
  axes: string;
  shape: number[];
  dtype: DType;
  pixelSizeUm?: PixelSize;
  channels: ChannelSummary[];
}

export async function inspectImage(
  path: string,
  options: ReadTiffOptions = {},
): Promise<ImageInfo> {
  return withImageFile(path, async (source, format) => {
    if (format !== 'tiff') {
      const stack = await decodeRaster(await readFileBytes(path));
      const { width, height } = stack.planes[0];
      return {
        file: path,
        format,
        axes: stack.sourceAxes,
        shape: stack.planes.length > 1 ? [height, width, stack.planes.length] : [height, width],
        dtype: dtypeOf(stack.planes[0].data),
        channels: summarise(stack.channelNames, [stack]),
      };
    }
    const array = decodeTiffArray(source, withLimits(options));
    return {
      file: path,
      format,
      axes: array.axes,
      shape: array.shape,
      dtype: array.dtype,
      pixelSizeUm: array.pixelSizeUm,
      channels: summarise(tiffArrayToStack(array).channelNames, everyPosition(array)),
    };
  });
}

/** The stack at every Z/T/I position, so statistics cover the whole file. */
function everyPosition(array: TiffArray): Stack[] {
  const size = (axis: string): number =>
    array.axes.includes(axis) ? array.shape[array.axes.indexOf(axis)] : 1;
  const stacks: Stack[] = [];
  for (let t = 0; t < size('T'); t++) {
    for (let z = 0; z < size('Z'); z++) {
      for (let index = 0; index < size('I'); index++)
        stacks.push(tiffArrayToStack(array, { t, z, index }));
    }
  }
  return stacks;
}

function summarise(names: string[], stacks: Stack[]): ChannelSummary[] {
  return names.map((name, c) => {
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (const stack of stacks) {
      const [lo, hi] = minMax(stack.planes[c]);
      min = Math.min(min, lo);
      max = Math.max(max, hi);
      sum += mean(stack.planes[c]);
    }
    return { name, min, max, mean: sum / stacks.length };
  });
}

function requireFormat(source: FileSource, path: string): ImageFormat {
  const format = sniffFormat(source.read(0, 16));
  if (!format) {
    if (source.size === 0) throw new ImageFormatError('file is empty');
    // A file named .tif gets the TIFF reader's own explanation of what is wrong.
    if (/\.tiff?$/i.test(path)) decodeTiffArray(source);
    throw new UnsupportedError('not a TIFF, PNG or JPEG image', {
      hint: 'cellscope reads TIFF (incl. OME-TIFF and ImageJ hyperstacks), PNG and JPEG',
    });
  }
  return format;
}

async function attachFile<T>(path: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof CellscopeError) throw withFile(error, path);
    throw error;
  }
}
