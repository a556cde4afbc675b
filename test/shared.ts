import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeNpy, type NpyArray } from '../src/io/npy.js';

/** `../shared` next to the repository: reference data every developer and CI has, a user's clone may not. */
export const SHARED_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared');
export const HAS_SHARED = existsSync(join(SHARED_DIR, 'fixtures'));

/**
 * The cases a fixture-driven suite generates, counted when the file is collected, outside any
 * `skipIf`: a renamed or emptied manifest then fails the file instead of generating no tests.
 * Without ../shared the list is empty and the count is not checked (test/global-setup.ts says so
 * once, and fails the run in CI).
 */
export function countedCases<T>(cases: readonly T[], expected: number, what: string): readonly T[] {
  if (HAS_SHARED && cases.length !== expected)
    throw new Error(
      `${what}: expected ${expected} fixture cases in ${SHARED_DIR}, found ${cases.length}`,
    );
  return cases;
}

export function sharedPath(...parts: string[]): string {
  return join(SHARED_DIR, ...parts);
}

export function readSharedBytes(...parts: string[]): Uint8Array {
  return new Uint8Array(readFileSync(sharedPath(...parts)));
}

export function readSharedNpy(...parts: string[]): NpyArray {
  return decodeNpy(readSharedBytes(...parts), sharedPath(...parts));
}

export function readSharedJson<T = unknown>(...parts: string[]): T {
  return JSON.parse(readFileSync(sharedPath(...parts), 'utf8')) as T;
}
