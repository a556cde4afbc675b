import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FileAccessError } from '../../../errors.js';
import { downloadFile } from '../download.js';
import { closedPort, generatedBytes, startFileServer, type FileServer } from './file-server.js';

const SIZE = 300_000;
const content = generatedBytes(SIZE);
let server: FileServer;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
let dir: string;

beforeAll(async () => {
  server = await startFileServer();
  server.files.set('weights', content);
});
afterAll(() => server.close());
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cellscope-download-'));
  server.requests.length = 0;
  Object.assign(server.mode, { ranges: true, dropAfter: undefined, status: undefined });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('downloadFile', () => {
  it('streams a fresh download into place and reports progress', async () => {
    const destination = join(dir, 'sub', 'weights');
    const progress: [number, number | undefined][] = [];
    const result = await downloadFile(`${server.baseUrl}/weights`, destination, {
      onProgress: (received, total) => progress.push([received, total]),
    });
    expect(result).toEqual({ path: destination, bytes: SIZE, resumedFrom: 0 });
    expect(sha256(readFileSync(destination))).toBe(sha256(content));
    expect(existsSync(`${destination}.part`)).toBe(false);
    expect(server.requests).toEqual([{ path: 'weights', range: undefined }]);
    expect(progress.at(-1)).toEqual([SIZE, SIZE]);
    expect(progress.every(([, total]) => total === SIZE)).toBe(true);
  });

  it('keeps the part file when the connection drops, then resumes it with a Range request', async () => {
    const destination = join(dir, 'weights');
    server.mode.dropAfter = 100_000;
    const error = await downloadFile(`${server.baseUrl}/weights`, destination).catch((e) => e);
    expect(error).toBeInstanceOf(FileAccessError);
    expect(error.message).toContain(`${server.baseUrl}/weights`);
    expect(error.hint).toContain('resume');
    expect(existsSync(destination)).toBe(false);
    const partial = statSync(`${destination}.part`).size;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThanOrEqual(100_000);

    const result = await downloadFile(`${server.baseUrl}/weights`, destination);
    expect(server.requests[1].range).toBe(`bytes=${partial}-`);
    expect(result).toEqual({ path: destination, bytes: SIZE, resumedFrom: partial });
    expect(sha256(readFileSync(destination))).toBe(sha256(content));
    expect(existsSync(`${destination}.part`)).toBe(false);
  });

  it('restarts from zero when the server answers a Range request with 200', async () => {
    const destination = join(dir, 'weights');
    // A stale part whose bytes are wrong: it must be discarded, not appended to.
    writeFileSync(`${destination}.part`, new Uint8Array(5_000).fill(7));
    server.mode.ranges = false;
    const result = await downloadFile(`${server.baseUrl}/weights`, destination);
    expect(server.requests).toEqual([{ path: 'weights', range: 'bytes=5000-' }]);
    expect(result.resumedFrom).toBe(0);
    expect(sha256(readFileSync(destination))).toBe(sha256(content));
  });

  it('finishes a part file that is already complete (416 with a matching total)', async () => {
    const destination = join(dir, 'weights');
    writeFileSync(`${destination}.part`, content);
    const result = await downloadFile(`${server.baseUrl}/weights`, destination);
    expect(server.requests).toEqual([{ path: 'weights', range: `bytes=${SIZE}-` }]);
    expect(result).toEqual({ path: destination, bytes: SIZE, resumedFrom: SIZE });
    expect(sha256(readFileSync(destination))).toBe(sha256(content));
  });

  it('starts over when the part file is longer than the file on the server', async () => {
    const destination = join(dir, 'weights');
    writeFileSync(`${destination}.part`, new Uint8Array(SIZE + 10));
    await downloadFile(`${server.baseUrl}/weights`, destination);
    expect(server.requests.map((r) => r.range)).toEqual([`bytes=${SIZE + 10}-`, undefined]);
    expect(sha256(readFileSync(destination))).toBe(sha256(content));
  });

  it('turns an HTTP error status into a FileAccessError and writes nothing', async () => {
    const destination = join(dir, 'missing');
    const error = await downloadFile(`${server.baseUrl}/missing`, destination).catch((e) => e);
    expect(error).toBeInstanceOf(FileAccessError);
    expect(error.message).toContain('404');
    expect(error.message).toContain(destination);
    expect(existsSync(destination)).toBe(false);
  });

  it('says which URL failed and where to put the file when offline (closed port)', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/cyto3`;
    const destination = join(dir, 'cyto3');
    const error = await downloadFile(url, destination).catch((e) => e);
    expect(error).toBeInstanceOf(FileAccessError);
    expect(error.message).toContain(url);
    expect(error.message).toContain(destination);
    expect(error.hint).toContain(url);
    expect(error.hint).toContain(destination);
    expect(existsSync(destination)).toBe(false);
  });

  it('says which URL failed when fetch rejects like Node does without DNS', async () => {
    const url = 'https://www.cellpose.org/models/cyto3';
    const destination = join(dir, 'cyto3');
    const dns = Object.assign(new Error('getaddrinfo ENOTFOUND www.cellpose.org'), {
      code: 'ENOTFOUND',
    });
    const fetch = () => Promise.reject(new TypeError('fetch failed', { cause: dns }));
    const error = await downloadFile(url, destination, { fetch }).catch((e) => e);
    expect(error).toBeInstanceOf(FileAccessError);
    expect(error.message).toContain(url);
    expect(error.message).toContain(destination);
    expect(error.message).toContain('ENOTFOUND');
  });

  it('rethrows an abort and keeps nothing at the destination', async () => {
    const destination = join(dir, 'weights');
    const controller = new AbortController();
    controller.abort();
    const error = await downloadFile(`${server.baseUrl}/weights`, destination, {
      signal: controller.signal,
    }).catch((e) => e);
    expect(error).not.toBeInstanceOf(FileAccessError);
    expect((error as Error).name).toBe('AbortError');
    expect(existsSync(destination)).toBe(false);
  });
});
