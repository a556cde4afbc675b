import * as zarr from 'zarrita';
import { ImageFormatError, UnsupportedError } from '../../errors.js';
import { checkChannels, checkRegion, type RegionSource } from '../../image/region.js';
import { createStack } from '../../image/stack.js';
import { DTYPES, type DType, type PixelArray, type PixelSize } from '../../image/types.js';

/** One resolution level of a multiscale image: level 0 is full resolution. */
export interface OmeZarrLevel {
  path: string;
  shape: number[];
  chunks: number[];
  /** Physical size per axis (the `scale` transform), in the axes' units. */
  scale?: number[];
}

/** What an OME-Zarr (NGFF 0.4 or 0.5) image group declares. */
export interface OmeZarrImage {
  version: string;
  /** Axis names, slowest first, e.g. `['t', 'c', 'z', 'y', 'x']`. */
  axes: string[];
  levels: OmeZarrLevel[];
  channelNames?: string[];
  /** From level 0's `scale` on y and x, where the axes are in micrometres. */
  pixelSizeUm?: PixelSize;
  /** Names in the group's `labels/` group (none when it has no labels). */
  labels: string[];
  /** Where the group lies in its store. */
  location: zarr.Location<zarr.Readable>;
}

type Json = Record<string, unknown>;

/** NGFF keeps its metadata under `ome` from 0.5 (Zarr v3), at the top of `.zattrs` before. */
function omeAttributes(attrs: Json): Json {
  return typeof attrs.ome === 'object' && attrs.ome !== null ? (attrs.ome as Json) : attrs;
}

/** Axis names from NGFF `axes` (objects from 0.4, strings in 0.3), else by dimension count. */
function axisNames(axes: unknown, dims: number): string[] {
  if (Array.isArray(axes)) {
    return axes.map((a) => String(typeof a === 'object' && a !== null ? (a as Json).name : a));
  }
  return ['t', 'c', 'z', 'y', 'x'].slice(5 - dims);
}

const MICROMETRE_PER: Record<string, number> = {
  micrometer: 1,
  nanometer: 1e-3,
  millimeter: 1e3,
  meter: 1e6,
};

/**
 * Opens an OME-Zarr image group (NGFF 0.4 on Zarr v2, 0.5 on Zarr v3): its multiscale levels,
 * axes, channel names (`omero`), pixel size and the names in its `labels/` group. A label
 * image (`labels/<name>`) opens the same way.
 */
export async function openOmeZarr(
  location: zarr.Location<zarr.Readable> | zarr.Readable,
  name = 'OME-Zarr',
): Promise<OmeZarrImage> {
  const root = location instanceof zarr.Location ? location : zarr.root(location);
  let group: zarr.Group<zarr.Readable>;
  try {
    group = await zarr.open(root, { kind: 'group' });
  } catch (cause) {
    throw new ImageFormatError(`${name} is not a Zarr group (${(cause as Error).message})`, {
      cause,
      hint: 'give the folder that holds the image group (with .zattrs or zarr.json)',
    });
  }
  const ome = omeAttributes(group.attrs);
  const multiscales = ome.multiscales as Json[] | undefined;
  if (!Array.isArray(multiscales) || multiscales.length === 0) {
    throw new ImageFormatError(`${name} has no NGFF "multiscales" metadata`, {
      hint: 'is this the image group? OME-Zarr images hold multiscales in .zattrs or zarr.json',
    });
  }
  const first = multiscales[0];
  const version = String(ome.version ?? first.version ?? '0.4');
  const datasets = first.datasets as Json[] | undefined;
  if (!Array.isArray(datasets) || datasets.length === 0) {
    throw new ImageFormatError(`${name}: multiscales lists no datasets`);
  }
  const levels: OmeZarrLevel[] = [];
  for (const dataset of datasets) {
    const path = String(dataset.path);
    const array = await zarr.open(root.resolve(path), { kind: 'array' });
    const transforms = (dataset.coordinateTransformations as Json[] | undefined) ?? [];
    const scale = transforms.find((t) => t.type === 'scale')?.scale as number[] | undefined;
    levels.push({ path, shape: array.shape, chunks: array.chunks, scale });
  }
  const axes = axisNames(first.axes, levels[0].shape.length);
  if (axes.length !== levels[0].shape.length) {
    throw new ImageFormatError(
      `${name}: ${axes.length} axes named for a ${levels[0].shape.length}-dimensional array`,
    );
  }
  const omero = ome.omero as Json | undefined;
  const channels = omero?.channels as Json[] | undefined;
  const channelNames = channels?.map((c, i) => String(c.label ?? `C${i}`));
  return {
    version,
    axes,
    levels,
    channelNames,
    pixelSizeUm: pixelSizeOf(first.axes, axes, levels[0].scale),
    labels: await labelNames(root),
    location: root,
  };
}

function pixelSizeOf(
  declared: unknown,
  axes: string[],
  scale: number[] | undefined,
): PixelSize | undefined {
  if (!scale || !Array.isArray(declared)) return undefined;
  const size = (axis: string): number | undefined => {
    const i = axes.indexOf(axis);
    const unit = (declared[i] as Json | undefined)?.unit;
    const factor = typeof unit === 'string' ? MICROMETRE_PER[unit] : undefined;
    return i >= 0 && factor !== undefined ? scale[i] * factor : undefined;
  };
  const [x, y] = [size('x'), size('y')];
  return x !== undefined && y !== undefined ? { x, y } : undefined;
}

async function labelNames(root: zarr.Location<zarr.Readable>): Promise<string[]> {
  try {
    const group = await zarr.open(root.resolve('labels'), { kind: 'group' });
    const names = omeAttributes(group.attrs).labels;
    return Array.isArray(names) ? names.map(String) : [];
  } catch {
    return []; // no labels group: nothing segmented yet
  }
}

export interface OmeZarrRegionOptions {
  /** Resolution level: 0 (full resolution) for segmentation. @default 0 */
  level?: number;
  /** Time point and Z slice, 0-based. @default 0 */
  t?: number;
  z?: number;
}

/** A RegionSource over one level of an OME-Zarr image: each read fetches only the chunks it crosses. */
export async function omeZarrRegionSource(
  image: OmeZarrImage,
  options: OmeZarrRegionOptions = {},
): Promise<RegionSource> {
  const levelIndex = options.level ?? 0;
  const level = image.levels[levelIndex];
  if (!level) {
    throw new UnsupportedError(
      `level ${levelIndex} does not exist: the image has ${image.levels.length} levels (0…${image.levels.length - 1})`,
    );
  }
  const array = await zarr.open(image.location.resolve(level.path), { kind: 'array' });
  const dtype = array.dtype as string;
  if (!(DTYPES as readonly string[]).includes(dtype)) {
    throw new UnsupportedError(`OME-Zarr data type ${dtype} is not supported`, {
      hint: 'cellscope reads 8/16/32-bit integer and 32/64-bit float images',
    });
  }
  const { axes } = image;
  const axis = (name: string): number => axes.indexOf(name);
  const [yAxis, xAxis, cAxis] = [axis('y'), axis('x'), axis('c')];
  if (yAxis < 0 || xAxis < 0) {
    throw new ImageFormatError(`OME-Zarr axes ${axes.join(', ')} lack y or x`);
  }
  const height = level.shape[yAxis];
  const width = level.shape[xAxis];
  const channelCount = cAxis >= 0 ? level.shape[cAxis] : 1;
  const fixed: Record<string, number> = { t: options.t ?? 0, z: options.z ?? 0 };
  for (const [name, index] of Object.entries(fixed)) {
    const i = axis(name);
    const size = i >= 0 ? level.shape[i] : 1;
    if (!(Number.isInteger(index) && index >= 0 && index < size)) {
      throw new UnsupportedError(
        `${name} = ${index} is out of range: the image has ${size} along ${name}`,
      );
    }
  }
  const names = Array.from({ length: channelCount }, (_, c) => image.channelNames?.[c] ?? `C${c}`);
  return {
    width,
    height,
    dtype: dtype as DType,
    channelNames: names,
    pixelSizeUm: levelIndex === 0 ? image.pixelSizeUm : undefined,
    async read(region, channels) {
      checkRegion(region, width, height);
      const picked = checkChannels(channels, channelCount);
      const planes = [];
      for (const c of picked) {
        const selection = axes.map((name, i) => {
          if (i === yAxis) return zarr.slice(region.y, region.y + region.height);
          if (i === xAxis) return zarr.slice(region.x, region.x + region.width);
          if (i === cAxis) return c;
          return fixed[name] ?? 0;
        });
        const chunk = await zarr.get(array, selection);
        planes.push({
          width: region.width,
          height: region.height,
          data: contiguous(chunk.data as PixelArray, chunk.shape, chunk.stride),
        });
      }
      return createStack(planes, {
        channelNames: picked.map((c) => names[c]),
        pixelSizeUm: levelIndex === 0 ? image.pixelSizeUm : undefined,
      });
    },
  };
}

/** The 2-D result as row-major data (zarrita returns C order already; copy otherwise). */
function contiguous(data: PixelArray, shape: number[], stride: number[]): PixelArray {
  const [rows, cols] = shape;
  if (stride[0] === cols && stride[1] === 1 && data.length === rows * cols) return data;
  const out = new (data.constructor as new (n: number) => PixelArray)(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[r * cols + c] = data[r * stride[0] + c * stride[1]];
  }
  return out;
}
