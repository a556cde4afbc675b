import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { FileAccessError, ModelFormatError } from '../../errors.js';
import { writeFileAtomic } from '../../io/files.js';

/** Name of the file in the cache folder that maps each model file name to its SHA-256. */
export const CHECKSUMS_FILE = 'checksums.json';

/** File name → SHA-256 in lowercase hex, as stored in `checksums.json`. */
export type Checksums = Record<string, string>;

/**
 * SHA-256 of a file, streamed (weights are tens of MB).
 * @returns 64 lowercase hex digits.
 * @throws FileAccessError when the file cannot be read.
 */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  } catch (cause) {
    throw new FileAccessError(`could not read (${(cause as Error).message})`, {
      file: path,
      cause,
    });
  }
  return hash.digest('hex');
}

/**
 * Reads `<cacheDir>/checksums.json`; a missing file is an empty record.
 * @throws ModelFormatError when the file is not a JSON object of hex strings.
 */
export async function readChecksums(cacheDir: string): Promise<Checksums> {
  const path = join(cacheDir, CHECKSUMS_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new FileAccessError(`could not read (${(cause as Error).message})`, {
      file: path,
      cause,
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw corruptRecord(path, cause);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw corruptRecord(path);
  }
  const entries = Object.entries(value);
  if (entries.some(([, hash]) => typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash))) {
    throw corruptRecord(path);
  }
  return Object.fromEntries(entries) as Checksums;
}

/**
 * Records `sha256` for `fileName` in `<cacheDir>/checksums.json`, replacing any earlier entry.
 * The JSON is rewritten atomically, keys sorted.
 * @throws FileAccessError when the record cannot be written.
 */
export async function recordChecksum(
  cacheDir: string,
  fileName: string,
  sha256: string,
): Promise<void> {
  const checksums = await readChecksums(cacheDir);
  checksums[fileName] = sha256;
  const sorted = Object.fromEntries(
    Object.entries(checksums).sort(([a], [b]) => a.localeCompare(b)),
  );
  await writeFileAtomic(join(cacheDir, CHECKSUMS_FILE), `${JSON.stringify(sorted, null, 2)}\n`);
}

/** What {@link verifyChecksum} found. */
export type ChecksumStatus = 'verified' | 'recorded';

/**
 * Checks a cached model file against the SHA-256 recorded for its name in the `checksums.json`
 * of its own folder. There are no official hashes, so trust is on first use: a file without
 * an entry (e.g. one copied in by hand) has its hash recorded and is accepted.
 * @param path a file inside the cache folder.
 * @returns `'verified'` when it matched, `'recorded'` when it had no entry yet.
 * @throws ModelFormatError when the hash differs (the hint says to delete the file so it is
 *   downloaded again); FileAccessError when it cannot be read.
 */
export async function verifyChecksum(path: string): Promise<ChecksumStatus> {
  const cacheDir = dirname(path);
  const fileName = basename(path);
  const [actual, checksums] = await Promise.all([sha256File(path), readChecksums(cacheDir)]);
  const expected = checksums[fileName];
  if (expected === undefined) {
    await recordChecksum(cacheDir, fileName, actual);
    return 'recorded';
  }
  if (expected !== actual) {
    throw new ModelFormatError(
      `SHA-256 ${actual} does not match ${expected}, recorded when it was first downloaded`,
      {
        file: path,
        hint: `the file is corrupt or was replaced; delete ${path} so that it is downloaded again`,
      },
    );
  }
  return 'verified';
}

function corruptRecord(path: string, cause?: unknown): ModelFormatError {
  return new ModelFormatError('not a valid checksum record (file name → SHA-256 hex)', {
    file: path,
    hint: `delete ${path}; checksums are recorded again as models are loaded`,
    cause,
  });
}
