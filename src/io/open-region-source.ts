import { stat } from 'node:fs/promises';
import { isCellscopeError, withFile } from '../errors.js';
import { stackRegionSource, type RegionSource } from '../image/region.js';
import { openFileSource } from './files.js';
import { readChannels, sniffFormat, withLimits, type ReadImageOptions } from './read-image.js';
import { checkPixelLimit } from './tiff/read.js';
import { tiffRegionSource } from './tiff/region.js';
import { openOmeZarrFolder } from './zarr/open-folder.js';
import { omeZarrRegionSource } from './zarr/ome-zarr.js';

/** A RegionSource over files, closed when done. */
export type ClosableRegionSource = RegionSource & { close(): Promise<void> };

/**
 * Opens images for reading region by region (Node only): an OME-Zarr folder (level 0), or a
 * TIFF through its file handle, never loading the whole plane. Several files (one per channel),
 * a Z/T selection inside a TIFF, PNG and JPEG are read whole and served from memory.
 */
export async function openRegionSource(
  paths: readonly string[],
  options: ReadImageOptions = {},
): Promise<ClosableRegionSource> {
  const selected = options.z !== undefined || options.t !== undefined;
  if (paths.length === 1) {
    const [path] = paths;
    if ((await stat(path).catch(() => undefined))?.isDirectory()) {
      const image = await openOmeZarrFolder(path);
      const source = await omeZarrRegionSource(image, { z: options.z, t: options.t });
      withinPixelLimit(source, path, options);
      return { ...source, read: source.read.bind(source), close: async () => undefined };
    }
    const file = await openFileSource(path);
    if (!selected && sniffFormat(file.read(0, 16)) === 'tiff') {
      try {
        const source = tiffRegionSource(file);
        withinPixelLimit(source, path, options);
        return { ...source, read: source.read.bind(source), close: () => file.close() };
      } catch (error) {
        await file.close();
        throw isCellscopeError(error) ? withFile(error, path) : error;
      }
    }
    await file.close();
  }
  const source = stackRegionSource(await readChannels(paths, options));
  return { ...source, read: source.read.bind(source), close: async () => undefined };
}

/** The same pixel limit as a whole read: block-wise reading bounds memory, not what a file claims. */
function withinPixelLimit(source: RegionSource, path: string, options: ReadImageOptions): void {
  const channels = source.channelNames.length;
  try {
    checkPixelLimit(
      source.width,
      source.height,
      [channels > 1 ? `${channels} channels` : ''],
      withLimits(options).maxPixels,
    );
  } catch (error) {
    throw isCellscopeError(error) ? withFile(error, path) : error;
  }
}
