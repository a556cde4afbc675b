import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { FileAccessError, InvalidArgumentError } from '../errors.js';

/** Reads a whole file, turning a missing or unreadable file into a FileAccessError that names it. */
export async function readFileBytes(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'file not found'
        : code === 'EISDIR'
          ? 'is a directory, not a file'
          : code === 'EACCES'
            ? 'permission denied'
            : (cause as Error).message;
    throw new FileAccessError(reason, { file: path, cause });
  }
}

export interface WriteOptions {
  /** Files that must never be replaced (the inputs of a run). */
  protect?: readonly string[];
}

/** Throws when `path` is one of the `protect`ed files (checked before any work is spent on it). */
export function assertNotProtected(path: string, protect: readonly string[] = []): void {
  const target = resolve(path);
  if (protect.some((p) => resolve(p) === target)) {
    throw new InvalidArgumentError('refusing to overwrite an input file', {
      file: path,
      hint: 'choose another output path',
    });
  }
}

/**
 * Writes a file atomically: a temp file beside the target, then a rename, so a crash never leaves
 * half a file. Refuses to replace any path listed in `protect`.
 */
export async function writeFileAtomic(
  path: string,
  data: Uint8Array | string,
  options: WriteOptions = {},
): Promise<void> {
  assertNotProtected(path, options.protect);
  const target = resolve(path);
  const temp = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await mkdir(dirname(target), { recursive: true });
    await writeFile(temp, data);
    await rename(temp, target);
  } catch (cause) {
    await rm(temp, { force: true });
    throw new FileAccessError(`could not write (${(cause as Error).message})`, {
      file: path,
      cause,
    });
  }
}
