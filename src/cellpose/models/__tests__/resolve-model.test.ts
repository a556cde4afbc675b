import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FileAccessError, InvalidArgumentError, ModelFormatError } from '../../../errors.js';
import type { FetchLike } from '../download.js';
import { MODEL_BASE_URL } from '../registry.js';
import { resolveModel } from '../resolve-model.js';
import { generatedBytes, startFileServer, type FileServer } from './file-server.js';

const weights = generatedBytes(200_000, 3);
const sizeModel = generatedBytes(2_000, 4);
let server: FileServer;
let dir: string;
/** Sends the official URLs to the local server instead of the internet. */
let localFetch: FetchLike;

beforeAll(async () => {
  server = await startFileServer();
  server.files.set('cyto3', weights);
  server.files.set('size_cyto3.npy', sizeModel);
  localFetch = (url, init) => {
    if (!url.startsWith(MODEL_BASE_URL)) throw new Error(`unexpected URL ${url}`);
    return globalThis.fetch(server.baseUrl + url.slice(MODEL_BASE_URL.length), init);
  };
});
afterAll(() => server.close());
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cellscope-resolve-'));
  server.requests.length = 0;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('resolveModel, built-in models', () => {
  it('downloads weights and size model, records their checksums, then verifies them', async () => {
    const files: string[] = [];
    const model = await resolveModel('cyto3', {
      download: true,
      cacheDir: dir,
      fetch: localFetch,
      onProgress: (_received, _total, file) => files.push(file),
    });
    expect(model).toEqual({
      name: 'cyto3',
      weightsPath: join(dir, 'cyto3'),
      sizeModelPath: join(dir, 'size_cyto3.npy'),
      diamMean: 30,
      builtIn: true,
    });
    expect(sha256(readFileSync(model.weightsPath))).toBe(sha256(weights));
    expect(new Set(files)).toEqual(new Set(['cyto3', 'size_cyto3.npy']));
    expect(JSON.parse(readFileSync(join(dir, 'checksums.json'), 'utf8'))).toEqual({
      cyto3: sha256(weights),
      'size_cyto3.npy': sha256(sizeModel),
    });

    // Cached now: no request, and no download needed.
    await expect(resolveModel('cyto3', { cacheDir: dir, fetch: localFetch })).resolves.toEqual(
      model,
    );
    expect(server.requests).toHaveLength(2);
  });

  it('rejects a cached file changed after its checksum was recorded', async () => {
    await resolveModel('cyto3', { download: true, cacheDir: dir, fetch: localFetch });
    const bytes = new Uint8Array(readFileSync(join(dir, 'cyto3')));
    bytes[1234] ^= 0xff;
    writeFileSync(join(dir, 'cyto3'), bytes);
    const error = await resolveModel('cyto3', { cacheDir: dir }).catch((e) => e);
    expect(error).toBeInstanceOf(ModelFormatError);
    expect(error.hint).toContain(`delete ${join(dir, 'cyto3')}`);
  });

  it('says how to get a built-in that is not cached, without downloading', async () => {
    const error = await resolveModel('cyto3', { cacheDir: dir, fetch: localFetch }).catch((e) => e);
    expect(error).toBeInstanceOf(FileAccessError);
    expect(error.hint).toContain('cellscope models download cyto3');
    expect(error.hint).toContain(join(dir, 'cyto3'));
    expect(error.hint).toContain(`${MODEL_BASE_URL}/cyto3`);
    expect(server.requests).toHaveLength(0);
  });

  it('fails when the size model cannot be downloaded', async () => {
    server.files.delete('size_cyto3.npy');
    try {
      const error = await resolveModel('cyto3', {
        download: true,
        cacheDir: dir,
        fetch: localFetch,
      }).catch((e) => e);
      expect(error).toBeInstanceOf(FileAccessError);
      expect(error.message).toContain(join(dir, 'size_cyto3.npy'));
    } finally {
      server.files.set('size_cyto3.npy', sizeModel);
    }
  });

  it('lists the built-in names for an unknown name', async () => {
    const error = await resolveModel('cyto4', { cacheDir: dir }).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error.message).toContain('cyto3, nuclei, cyto2, cyto');
  });
});

describe('resolveModel, custom models', () => {
  it('uses an existing file as is, with no size model and no download', async () => {
    const path = join(dir, 'my_model');
    writeFileSync(path, 'custom');
    await expect(resolveModel(path, { download: true, fetch: localFetch })).resolves.toEqual({
      name: 'my_model',
      weightsPath: path,
      builtIn: false,
    });
    expect(server.requests).toHaveLength(0);
  });

  it('reports a missing custom path as a FileAccessError naming it', async () => {
    const path = join(dir, 'nowhere.pth');
    const error = await resolveModel(path).catch((e) => e);
    expect(error).toBeInstanceOf(FileAccessError);
    expect(error.file).toBe(path);
    expect(error.message).toContain('not found');
    await expect(resolveModel('missing_model.pth')).rejects.toThrow(FileAccessError);
  });

  it('refuses a directory', async () => {
    mkdirSync(join(dir, 'folder'));
    await expect(resolveModel(join(dir, 'folder'))).rejects.toThrow('directory');
  });
});
