// Big images as region sources in a worker: a File read slice by slice, an OME-Zarr folder
// read file by file. Nothing reads a whole plane.
import {
  CellscopeError,
  omeZarrRegionSource,
  openOmeZarr,
  sniffFormat,
  tiffPyramid,
  type ByteSource,
  type RegionSource,
} from 'cellscope/browser';
import type { AbsolutePath, AsyncReadable } from '@zarrita/storage';
import type { BigImageInput } from './protocol.js';

/** A File's bytes on demand: FileReaderSync reads a slice synchronously, as the TIFF reader asks. */
export function fileByteSource(file: File): ByteSource {
  const reader = new FileReaderSync();
  return {
    size: file.size,
    read: (offset, length) =>
      new Uint8Array(reader.readAsArrayBuffer(file.slice(offset, offset + length))),
    shared: false,
  };
}

/**
 * A Zarr store over a folder's files. The store's root is the shallowest folder that holds
 * Zarr metadata, so the image folder or the folder above it both open.
 */
export function folderStore(entries: { path: string; file: File }[]): AsyncReadable {
  const meta = entries
    .filter((e) => /(^|\/)(\.zattrs|\.zgroup|zarr\.json)$/.test(e.path))
    .map((e) => e.path.split('/').slice(0, -1))
    .sort((a, b) => a.length - b.length)[0];
  const prefix = meta ? meta.join('/') : '';
  const files = new Map<string, File>();
  for (const { path, file } of entries) {
    if (prefix && !path.startsWith(`${prefix}/`)) continue;
    files.set(`/${prefix ? path.slice(prefix.length + 1) : path}`, file);
  }
  return {
    async get(key: AbsolutePath) {
      const file = files.get(key);
      return file && new Uint8Array(await file.arrayBuffer());
    },
  };
}

/** The levels of a big image, full resolution first, and a name for it. */
export async function openLevels(
  input: BigImageInput,
): Promise<{ levels: RegionSource[]; axes: string } | undefined> {
  if (input.kind === 'folder') {
    const image = await openOmeZarr(folderStore(input.entries), input.name);
    const levels: RegionSource[] = [];
    for (let level = 0; level < image.levels.length; level++) {
      levels.push(await omeZarrRegionSource(image, { level }));
    }
    return { levels, axes: image.axes.join('').toUpperCase() };
  }
  const source = fileByteSource(input.file);
  if (sniffFormat(source.read(0, 16)) !== 'tiff') return undefined;
  try {
    return { levels: tiffPyramid(source), axes: 'CYX' };
  } catch (error) {
    // Whatever the lazy reader cannot take, the whole-image reader tries, and words its error.
    if (error instanceof CellscopeError) return undefined;
    throw error;
  }
}
