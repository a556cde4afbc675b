import type { AbsolutePath, Mutable } from '@zarrita/storage';
import { zlibSync } from 'fflate';
import { ImageFormatError, InvalidArgumentError, UnsupportedError } from '../errors.js';
import type { Labels, PixelSize } from '../image/types.js';

/** An NGFF 0.4 axis. */
export interface Axis {
  name: string;
  type?: 'space' | 'time' | 'channel' | string;
  unit?: string;
}

export interface OmeZarrLabelsOptions {
  /** Name of the label image under `labels/`. @default 'cells' */
  name?: string;
  /** Pixel size, for the scale of a new store (an existing image's own scale wins). */
  pixelSizeUm?: PixelSize;
  /** Chunk edge in pixels for y and x. @default 1024 */
  chunkSize?: number;
  /** Stop the pyramid once a level fits in this many pixels per side. @default 512 */
  smallestLevel?: number;
}

interface ImageLevel {
  path: string;
  shape: number[];
  scale: number[];
}

/** What the labels must match in a store that already holds an image. */
interface ImageLayout {
  axes: Axis[];
  levels: ImageLevel[];
}

const NGFF_VERSION = '0.4';
const ZLIB_LEVEL = 5;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Writes a label image as an NGFF 0.4 `labels/<name>` group (Zarr v2, read by zarr-python and
 * napari): `multiscales` with a pyramid of nearest-neighbour levels (labels are never averaged),
 * `image-label` metadata, uint32 chunks compressed with zlib, "/" chunk keys.
 *
 * In a store whose root is an NGFF 0.4 image, the labels take the image's axes (other axes of
 * size 1), one level per image level with the same shapes and scales, and `labels/.zattrs`
 * gains the name. In an empty store they stand alone with (y, x) axes.
 */
export async function writeOmeZarrLabels(
  store: Mutable,
  labels: Labels,
  options: OmeZarrLabelsOptions = {},
): Promise<void> {
  const { name = 'cells', chunkSize = 1024, smallestLevel = 512 } = options;
  if (!/^[A-Za-z0-9_.-]+$/.test(name) || name.startsWith('.')) {
    throw new InvalidArgumentError(`label name "${name}" is not a plain folder name`, {
      hint: 'use letters, digits, "_", "-" and "."',
    });
  }
  if (!Number.isInteger(chunkSize) || chunkSize < 16) {
    throw new InvalidArgumentError(`chunkSize must be an integer of at least 16, not ${chunkSize}`);
  }
  const root = await readJson(store, '/.zattrs');
  const image = root && 'multiscales' in root ? await imageLayout(store, root) : undefined;
  if (!image && (await store.get('/zarr.json'))) {
    throw new UnsupportedError('the store is Zarr v3 (NGFF 0.5); labels are written as NGFF 0.4', {
      hint: 'write the labels to a new store',
    });
  }
  const layout = image ?? standalone(labels, options.pixelSizeUm, smallestLevel);
  const yx = spatialAxes(layout.axes);
  const base = `/labels/${name}`;
  if (await store.get(`${base}/.zattrs` as AbsolutePath)) {
    throw new InvalidArgumentError(`the store already holds labels/${name}`, {
      hint: 'choose another label name',
    });
  }

  if (!root) await setJson(store, '/.zgroup', { zarr_format: 2 });
  const [level0] = layout.levels;
  if (level0.shape[yx.y] !== labels.height || level0.shape[yx.x] !== labels.width) {
    throw new InvalidArgumentError(
      `the labels are ${labels.width}×${labels.height}, the image in the store ${level0.shape[yx.x]}×${level0.shape[yx.y]}`,
      { hint: 'write labels of the same size as the image, or to a new store' },
    );
  }
  for (const [i, level] of layout.levels.entries()) {
    const shape = level.shape.map((n, d) => (d === yx.y || d === yx.x ? n : 1));
    const plane = i === 0 ? labels.data : nearest(labels, shape[yx.x], shape[yx.y]);
    await writeArray(store, `${base}/${i}`, plane, shape, yx, chunkSize);
  }
  await setJson(store, `${base}/.zgroup`, { zarr_format: 2 });
  await setJson(store, `${base}/.zattrs`, {
    multiscales: [
      {
        version: NGFF_VERSION,
        name,
        axes: layout.axes,
        datasets: layout.levels.map((level, i) => ({
          path: String(i),
          coordinateTransformations: [{ type: 'scale', scale: level.scale }],
        })),
        type: 'nearest',
      },
    ],
    'image-label': { version: NGFF_VERSION, source: { image: '../../' } },
  });
  // The list of label images comes last: readers only see labels that are complete.
  const group = (await readJson(store, '/labels/.zattrs')) ?? {};
  const names = Array.isArray(group.labels) ? (group.labels as string[]) : [];
  await setJson(store, '/labels/.zgroup', { zarr_format: 2 });
  await setJson(store, '/labels/.zattrs', { ...group, labels: [...names, name] });
}

async function imageLayout(
  store: Mutable,
  attributes: Record<string, unknown>,
): Promise<ImageLayout> {
  const [multiscale] = attributes.multiscales as {
    version?: string;
    axes?: (Axis | string)[];
    datasets?: { path: string; coordinateTransformations?: { type: string; scale?: number[] }[] }[];
  }[];
  if (multiscale?.version !== NGFF_VERSION || !multiscale.axes || !multiscale.datasets?.length) {
    throw new UnsupportedError(
      `the store's image is NGFF ${multiscale?.version ?? '(no version)'}; labels are added to NGFF ${NGFF_VERSION} images`,
      { hint: 'write the labels to a new store' },
    );
  }
  const axes = multiscale.axes.map((a) => (typeof a === 'string' ? { name: a } : a));
  const levels: ImageLevel[] = [];
  for (const dataset of multiscale.datasets) {
    const array = await readJson(store, `/${dataset.path}/.zarray`);
    const shape = array?.shape;
    if (!Array.isArray(shape) || shape.length !== axes.length) {
      throw new ImageFormatError(
        `the image level "${dataset.path}" has no .zarray with ${axes.length} dimensions`,
      );
    }
    const scale = dataset.coordinateTransformations?.find((t) => t.type === 'scale')?.scale;
    levels.push({
      path: dataset.path,
      shape: shape as number[],
      scale: scale ?? axes.map(() => 1),
    });
  }
  return { axes, levels };
}

function standalone(labels: Labels, pixelSizeUm: PixelSize | undefined, smallest: number) {
  const unit = pixelSizeUm ? { unit: 'micrometer' } : {};
  const axes: Axis[] = [
    { name: 'y', type: 'space', ...unit },
    { name: 'x', type: 'space', ...unit },
  ];
  const levels: ImageLevel[] = [];
  for (let i = 0; ; i++) {
    const f = 2 ** i;
    const shape = [Math.ceil(labels.height / f), Math.ceil(labels.width / f)];
    levels.push({
      path: String(i),
      shape,
      scale: [(pixelSizeUm?.y ?? 1) * f, (pixelSizeUm?.x ?? 1) * f],
    });
    if (Math.max(...shape) <= smallest || Math.min(...shape) === 1) break;
  }
  return { axes, levels };
}

function spatialAxes(axes: readonly Axis[]): { y: number; x: number } {
  const y = axes.findIndex((a) => a.name === 'y');
  const x = axes.findIndex((a) => a.name === 'x');
  if (y < 0 || x !== axes.length - 1 || y !== axes.length - 2) {
    throw new UnsupportedError(
      `the image's axes are ${axes.map((a) => a.name).join(', ')}; NGFF needs y, x last`,
    );
  }
  return { y, x };
}

/** Nearest-neighbour resampling: each output pixel takes the label under its centre. */
function nearest(labels: Labels, width: number, height: number): Uint32Array {
  const out = new Uint32Array(width * height);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(labels.height - 1, Math.floor(((y + 0.5) * labels.height) / height));
    for (let x = 0; x < width; x++) {
      const sx = Math.min(labels.width - 1, Math.floor(((x + 0.5) * labels.width) / width));
      out[y * width + x] = labels.data[sy * labels.width + sx];
    }
  }
  return out;
}

/** One Zarr v2 array of a single (y, x) plane; other axes have size 1. */
async function writeArray(
  store: Mutable,
  path: string,
  plane: Uint32Array,
  shape: number[],
  yx: { y: number; x: number },
  chunkSize: number,
): Promise<void> {
  const height = shape[yx.y];
  const width = shape[yx.x];
  const chunks = shape.map((n, d) => (d === yx.y || d === yx.x ? Math.min(n, chunkSize) : 1));
  const [ch, cw] = [chunks[yx.y], chunks[yx.x]];
  const lead = shape.slice(0, yx.y).map(() => '0');
  const chunk = new Uint32Array(ch * cw);
  const bytes = new Uint8Array(chunk.buffer);
  const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  for (let cy = 0; cy * ch < height; cy++) {
    for (let cx = 0; cx * cw < width; cx++) {
      // Edge chunks are stored whole, padded with the fill value 0 (Zarr v2 spec).
      chunk.fill(0);
      let any = false;
      for (let y = 0; y < ch && cy * ch + y < height; y++) {
        const row = (cy * ch + y) * width + cx * cw;
        const n = Math.min(cw, width - cx * cw);
        chunk.set(plane.subarray(row, row + n), y * cw);
        if (!any) for (let k = 0; k < n && !any; k++) any = plane[row + k] !== 0;
      }
      if (!any) continue; // an absent chunk reads as the fill value
      const data = littleEndian ? bytes : swap32(bytes);
      const key = [...lead, String(cy), String(cx)].join('/');
      await store.set(`${path}/${key}` as AbsolutePath, zlibSync(data, { level: ZLIB_LEVEL }));
    }
  }
  await setJson(store, `${path}/.zarray`, {
    zarr_format: 2,
    shape,
    chunks,
    dtype: '<u4',
    compressor: { id: 'zlib', level: ZLIB_LEVEL },
    fill_value: 0,
    order: 'C',
    filters: null,
    dimension_separator: '/',
  });
}

function swap32(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += 4) {
    out[i] = bytes[i + 3];
    out[i + 1] = bytes[i + 2];
    out[i + 2] = bytes[i + 1];
    out[i + 3] = bytes[i];
  }
  return out;
}

async function readJson(store: Mutable, key: string): Promise<Record<string, unknown> | undefined> {
  const bytes = await store.get(key as AbsolutePath);
  if (!bytes) return undefined;
  try {
    return JSON.parse(decoder.decode(bytes)) as Record<string, unknown>;
  } catch (cause) {
    throw new ImageFormatError(`${key} in the Zarr store is not valid JSON`, { cause });
  }
}

async function setJson(store: Mutable, key: string, value: unknown): Promise<void> {
  await store.set(key as AbsolutePath, encoder.encode(JSON.stringify(value, null, 2)));
}
