import FileSystemStore from '@zarrita/storage/fs';
import { stat } from 'node:fs/promises';
import { FileAccessError } from '../../errors.js';
import { openOmeZarr, type OmeZarrImage } from './ome-zarr.js';

/** Opens an OME-Zarr image folder on disk (Node only); `labels/<name>` inside it opens too. */
export async function openOmeZarrFolder(path: string): Promise<OmeZarrImage> {
  const info = await stat(path).catch((cause: unknown) => {
    throw new FileAccessError('folder not found', { file: path, cause });
  });
  if (!info.isDirectory()) {
    throw new FileAccessError('is a file, not an OME-Zarr folder', { file: path });
  }
  return openOmeZarr(new FileSystemStore(path), path);
}
