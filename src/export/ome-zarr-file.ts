import { randomBytes } from 'node:crypto';
import { cp, mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import FileSystemStore from '@zarrita/storage/fs';
import { CellscopeError, FileAccessError, withFile } from '../errors.js';
import type { Labels } from '../image/types.js';
import { writeOmeZarrLabels, type OmeZarrLabelsOptions } from './ome-zarr.js';

/**
 * Writes labels as OME-Zarr at `path`: into `labels/<name>` of an existing NGFF 0.4 image store,
 * or as a new store. Atomic: the label group (or the new store) is written in a temp folder
 * beside it and renamed into place, and `labels/.zattrs` is replaced whole, last.
 */
export async function writeOmeZarrLabelsFile(
  path: string,
  labels: Labels,
  options: OmeZarrLabelsOptions = {},
): Promise<void> {
  const target = resolve(path);
  const exists = await stat(target).then(
    (s) => s.isDirectory() || 'file',
    () => false,
  );
  if (exists === 'file') {
    throw new FileAccessError('is a file, not an OME-Zarr folder', {
      file: path,
      hint: 'give a folder path ending in .zarr',
    });
  }
  const temp = join(
    dirname(target),
    `.${basename(target)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`,
  );
  try {
    if (exists) {
      // Build the store's metadata and the new group in a copy of its small JSON files.
      await copyMetadata(target, temp);
      await writeOmeZarrLabels(new FileSystemStore(temp), labels, options);
      const name = options.name ?? 'cells';
      await mkdir(join(target, 'labels'), { recursive: true });
      await rename(join(temp, 'labels', name), join(target, 'labels', name));
      for (const file of ['.zgroup', '.zattrs']) {
        await rename(join(temp, 'labels', file), join(target, 'labels', file));
      }
      await rm(temp, { recursive: true, force: true });
    } else {
      await mkdir(temp, { recursive: true });
      await writeOmeZarrLabels(new FileSystemStore(temp), labels, options);
      await rename(temp, target);
    }
  } catch (error) {
    await rm(temp, { recursive: true, force: true }).catch(() => undefined);
    if (error instanceof CellscopeError) throw withFile(error, path);
    throw new FileAccessError(`could not write the OME-Zarr labels (${(error as Error).message})`, {
      file: path,
      cause: error,
    });
  }
}

/** The root and labels metadata plus every level's .zarray: what the label writer reads. */
async function copyMetadata(from: string, to: string): Promise<void> {
  await cp(from, to, {
    recursive: true,
    filter: async (source) => {
      if ((await stat(source)).isDirectory()) return true;
      const file = basename(source);
      return file === '.zattrs' || file === '.zgroup' || file === '.zarray' || file === 'zarr.json';
    },
  });
}
