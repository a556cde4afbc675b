import { CellscopeError, withFile } from '../../errors.js';
import type { Labels, Stack } from '../../image/types.js';
import { assertNotProtected, writeFileAtomic, type WriteOptions } from '../files.js';
import {
  encodeLabelsTiff,
  encodeTiff,
  type WriteLabelsTiffOptions,
  type WriteTiffOptions,
} from './write.js';

/**
 * Writes a stack (one page per channel) or a label image as a TIFF, atomically (temp file, then
 * rename). Paths in `protect` are never replaced, so a run cannot overwrite its own inputs.
 */
export async function writeTiffFile(
  path: string,
  image: Stack,
  options?: WriteTiffOptions & WriteOptions,
): Promise<void>;
export async function writeTiffFile(
  path: string,
  image: Labels,
  options?: WriteLabelsTiffOptions & WriteOptions,
): Promise<void>;
export async function writeTiffFile(
  path: string,
  image: Stack | Labels,
  options: WriteLabelsTiffOptions & WriteOptions = {},
): Promise<void> {
  const { protect, ...encodeOptions } = options;
  assertNotProtected(path, protect);
  let bytes: Uint8Array;
  try {
    bytes = isStack(image)
      ? encodeTiff(image, encodeOptions)
      : encodeLabelsTiff(image, encodeOptions);
  } catch (error) {
    throw error instanceof CellscopeError ? withFile(error, path) : error;
  }
  await writeFileAtomic(path, bytes, { protect });
}

function isStack(image: Stack | Labels): image is Stack {
  return Array.isArray((image as Stack).planes);
}
