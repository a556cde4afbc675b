import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModelFormatError } from '../../../errors.js';
import { readChecksums, recordChecksum, sha256File, verifyChecksum } from '../checksums.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cellscope-checksums-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('checksums', () => {
  it('hashes a file with SHA-256', async () => {
    writeFileSync(join(dir, 'abc'), 'abc');
    // FIPS 180-2 test vector for "abc".
    expect(await sha256File(join(dir, 'abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('records on first sight, then verifies, then rejects a changed file', async () => {
    const path = join(dir, 'cyto3');
    writeFileSync(path, 'weights');
    expect(await readChecksums(dir)).toEqual({});
    expect(await verifyChecksum(path)).toBe('recorded');
    const hash = createHash('sha256').update('weights').digest('hex');
    expect(JSON.parse(readFileSync(join(dir, 'checksums.json'), 'utf8'))).toEqual({ cyto3: hash });
    expect(await verifyChecksum(path)).toBe('verified');

    writeFileSync(path, 'tampered');
    const error = await verifyChecksum(path).catch((e) => e);
    expect(error).toBeInstanceOf(ModelFormatError);
    expect(error.file).toBe(path);
    expect(error.hint).toContain(`delete ${path}`);
  });

  it('keeps other entries when recording one', async () => {
    await recordChecksum(dir, 'b', 'b'.repeat(64));
    await recordChecksum(dir, 'a', 'a'.repeat(64));
    expect(await readChecksums(dir)).toEqual({ a: 'a'.repeat(64), b: 'b'.repeat(64) });
  });

  it('rejects a corrupt checksum record with a hint to delete it', async () => {
    writeFileSync(join(dir, 'checksums.json'), '{"cyto3": 42}');
    const error = await readChecksums(dir).catch((e) => e);
    expect(error).toBeInstanceOf(ModelFormatError);
    expect(error.hint).toContain('delete');
  });
});
