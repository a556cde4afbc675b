import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readNpy, type NpyArray } from '../src/io/npy.js';

/** `../shared` next to the repository: reference data every developer and CI has, a user's clone may not. */
export const SHARED_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared');
export const HAS_SHARED = existsSync(join(SHARED_DIR, 'fixtures'));
export const SKIP_SHARED_REASON = `reference data not found at ${SHARED_DIR}; tests that compare with it are skipped`;

if (!HAS_SHARED) console.warn(SKIP_SHARED_REASON);

export function sharedPath(...parts: string[]): string {
  return join(SHARED_DIR, ...parts);
}

export function readSharedBytes(...parts: string[]): Uint8Array {
  return new Uint8Array(readFileSync(sharedPath(...parts)));
}

export function readSharedNpy(...parts: string[]): NpyArray {
  return readNpy(readSharedBytes(...parts), sharedPath(...parts));
}

export function readSharedJson<T = unknown>(...parts: string[]): T {
  return JSON.parse(readFileSync(sharedPath(...parts), 'utf8')) as T;
}
