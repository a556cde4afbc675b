import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileAccessError, UnsupportedError } from '../../errors.js';
import { readFileBytes, writeFileAtomic } from '../files.js';
import { readImage } from '../read-image.js';

const dir = mkdtempSync(join(tmpdir(), 'cellscope-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

describe('readFileBytes', () => {
  it('reads a regular file whole', async () => {
    const path = join(dir, 'plain.bin');
    writeFileSync(path, Uint8Array.from([1, 2, 3, 250]));
    expect(Array.from(await readFileBytes(path))).toEqual([1, 2, 3, 250]);
  });

  it('refuses a .tif linked to /dev/zero at once instead of reading without end', async () => {
    const path = join(dir, 'zero.tif');
    symlinkSync('/dev/zero', path);
    const started = performance.now();
    const error = await failure(readImage(path));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(error).toBeInstanceOf(FileAccessError);
    expect((error as FileAccessError).describe()).toBe(
      `${path}: is not a regular file (a device, FIFO or socket); refusing to read it ` +
        '(copy the data into a regular file)',
    );
  });

  it('refuses a FIFO without waiting for a writer', async () => {
    const path = join(dir, 'pipe.tif');
    execFileSync('mkfifo', [path]);
    const error = await failure(readFileBytes(path));
    expect(error).toBeInstanceOf(FileAccessError);
    expect(error.message).toMatch(/not a regular file/);
  });

  it('refuses a file over the size limit before reading it', async () => {
    const path = join(dir, 'big.bin');
    writeFileSync(path, new Uint8Array(1000));
    const error = await failure(readFileBytes(path, { maxBytes: 999 }));
    expect(error).toBeInstanceOf(UnsupportedError);
    expect(error.message).toBe('file is 1000 bytes, more than the 999 bytes limit');
  });

  it('names a missing file and a path through a file', async () => {
    expect((await failure(readFileBytes(join(dir, 'nope.tif')))).message).toBe('file not found');
    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'x');
    expect((await failure(readFileBytes(join(file, 'a.tif')))).message).toBe(
      'a part of the path is a file, not a folder',
    );
  });
});

describe('writeFileAtomic', () => {
  it('reports an output under a regular file as a FileAccessError, leaving nothing behind', async () => {
    const file = join(dir, 'notes-out.txt');
    writeFileSync(file, 'keep me');
    const target = join(file, 'o.tif');
    const error = await failure(writeFileAtomic(target, 'data'));
    expect(error).toBeInstanceOf(FileAccessError);
    expect((error as FileAccessError).describe()).toBe(
      `${target}: could not write (a part of the output path is a file, not a folder; choose another --out)`,
    );
    expect(existsSync(file)).toBe(true);
    expect(readdirSync(dir).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });
});
