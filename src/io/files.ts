import { constants, readSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, writeFile, type FileHandle } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { FileAccessError, InvalidArgumentError, UnsupportedError } from '../errors.js';
import type { ByteSource } from './tiff/source.js';

export interface ReadFileOptions {
  /** Refuse files larger than this many bytes (they are read whole into memory). @default 4 GiB */
  maxBytes?: number;
}

const DEFAULT_MAX_FILE_BYTES = 4 * 1024 ** 3;
/** One read call moves at most 2 GiB (Node's limit). */
const READ_PIECE = 1024 ** 3;

/**
 * Opens a regular file for reading and returns its handle and size. Devices, FIFOs and sockets
 * are refused before any byte is read: a `.tif` linked to /dev/zero would never end, and a FIFO
 * would block forever.
 */
async function openRegularFile(path: string): Promise<{ handle: FileHandle; size: number }> {
  let handle;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; it has no effect on regular files.
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (cause) {
    throw accessError(path, cause);
  }
  try {
    const stats = await handle.stat();
    if (stats.isDirectory())
      throw new FileAccessError('is a directory, not a file', { file: path });
    if (!stats.isFile()) {
      throw new FileAccessError(
        'is not a regular file (a device, FIFO or socket); refusing to read it',
        { file: path, hint: 'copy the data into a regular file' },
      );
    }
    return { handle, size: stats.size };
  } catch (cause) {
    await handle.close();
    if (cause instanceof FileAccessError) throw cause;
    throw accessError(path, cause);
  }
}

/**
 * Reads a whole regular file through a handle, turning a missing or unreadable file into a
 * FileAccessError that names it; non-regular files are refused (see `openRegularFile`).
 */
export async function readFileBytes(
  path: string,
  options: ReadFileOptions = {},
): Promise<Uint8Array> {
  const { handle, size } = await openRegularFile(path);
  try {
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_FILE_BYTES;
    if (size > maxBytes) {
      throw new UnsupportedError(
        `file is ${formatBytes(size)}, more than the ${formatBytes(maxBytes)} limit`,
        { file: path, hint: 'split it into smaller files' },
      );
    }
    // Exactly the size fstat reported: a file that grows while we read cannot make us read more.
    const bytes = new Uint8Array(size);
    let filled = 0;
    while (filled < bytes.length) {
      const length = Math.min(READ_PIECE, bytes.length - filled);
      const { bytesRead } = await handle.read(bytes, filled, length, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return filled === bytes.length ? bytes : bytes.subarray(0, filled);
  } catch (cause) {
    if (cause instanceof UnsupportedError) throw cause;
    throw accessError(path, cause);
  } finally {
    await handle.close();
  }
}

/** A ByteSource that can be closed: the file stays open until then. */
export interface FileSource extends ByteSource {
  close(): Promise<void>;
}

/**
 * Opens a regular file for random access: the TIFF reader takes its directories and the strips
 * it decodes, so a sparse or multi-GB file costs what is read, not its size. No size limit
 * applies here; the reader's pixel and byte limits do. Close it when done.
 */
export async function openFileSource(path: string): Promise<FileSource> {
  const { handle, size } = await openRegularFile(path);
  return {
    size,
    shared: false,
    read: (offset, length) => {
      try {
        return readAt(handle.fd, size, offset, length);
      } catch (cause) {
        throw accessError(path, cause);
      }
    },
    close: () => handle.close(),
  };
}

/**
 * Up to `length` bytes from `offset`, never past `size`; short when the file shrank. Synchronous,
 * as the TIFF reader is: it reads only headers and the strips it decodes.
 */
function readAt(fd: number, size: number, offset: number, length: number): Uint8Array {
  const bytes = new Uint8Array(Math.max(0, Math.min(length, size - offset)));
  let filled = 0;
  while (filled < bytes.length) {
    // One read moves at most 2 GiB (Node's limit), so larger spans are read in pieces.
    const piece = Math.min(READ_PIECE, bytes.length - filled);
    const read = readSync(fd, bytes, filled, piece, offset + filled);
    if (read === 0) break;
    filled += read;
  }
  return filled === bytes.length ? bytes : bytes.subarray(0, filled);
}

function accessError(path: string, cause: unknown): FileAccessError {
  const code = (cause as NodeJS.ErrnoException).code;
  const reason =
    code === 'ENOENT'
      ? 'file not found'
      : code === 'EISDIR'
        ? 'is a directory, not a file'
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'ENOTDIR'
            ? 'a part of the path is a file, not a folder'
            : (cause as Error).message;
  return new FileAccessError(reason, { file: path, cause });
}

function formatBytes(n: number): string {
  if (n < 1024 ** 2) return `${n} bytes`;
  return n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(1)} GiB` : `${(n / 1024 ** 2).toFixed(1)} MiB`;
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
    // The cleanup must not hide the first failure (rm itself fails with ENOTDIR under a file).
    await rm(temp, { force: true }).catch(() => undefined);
    throw new FileAccessError(`could not write (${writeReason(cause)})`, { file: path, cause });
  }
}

function writeReason(cause: unknown): string {
  const { code, message } = cause as NodeJS.ErrnoException;
  if (code === 'ENOTDIR' || code === 'EEXIST') {
    return 'a part of the output path is a file, not a folder; choose another --out';
  }
  if (code === 'EACCES') return 'permission denied';
  if (code === 'ENOSPC') return 'the disk is full';
  return message;
}
