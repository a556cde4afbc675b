import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { FileAccessError } from '../../errors.js';
import { startAppServer, type AppServer, type ListedFile } from '../serve-app.js';

// root/app is served; root/package.json is what a path traversal would reach.
const root = mkdtempSync(join(tmpdir(), 'cellscope-serve-'));
const appDir = join(root, 'app');
mkdirSync(join(appDir, 'assets'), { recursive: true });
const INDEX = '<!doctype html><title>cellscope</title>';
writeFileSync(join(appDir, 'index.html'), INDEX);
writeFileSync(join(appDir, 'assets', 'main.js'), 'console.log(1);');
const WASM = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
writeFileSync(join(appDir, 'assets', 'ort.wasm'), WASM);
writeFileSync(join(root, 'package.json'), '{"secret": true}');
const images = [join(root, 'a.tif'), join(root, 'b.png')];
const imageBytes = [randomBytes(70_000), randomBytes(1234)];
images.forEach((path, i) => writeFileSync(path, imageBytes[i]));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let server: AppServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(): Promise<string> {
  server = await startAppServer({ appDir, files: images, port: 0 });
  return server.url;
}

/** The header every /api call needs (access.test.ts checks the calls without it). */
function auth(): RequestInit {
  return { headers: { authorization: `Bearer ${server!.token}` } };
}

/** GET with the path sent as is: fetch would normalise `/../` away before sending. */
function rawGet(base: string, path: string): Promise<{ status: number; headers: Headers }> {
  return new Promise((done, fail) => {
    const req = request(new URL(base), { path, method: 'GET' }, (res) => {
      res.resume();
      const headers = new Headers();
      for (const [name, value] of Object.entries(res.headers)) headers.set(name, String(value));
      res.on('end', () => done({ status: res.statusCode ?? 0, headers }));
    });
    req.on('error', fail);
    req.end();
  });
}

function expectIsolationHeaders(headers: Headers): void {
  expect(headers.get('cross-origin-opener-policy')).toBe('same-origin');
  expect(headers.get('cross-origin-embedder-policy')).toBe('require-corp');
  expect(headers.get('cross-origin-resource-policy')).toBe('same-origin');
  expect(headers.get('cache-control')).toBe('no-cache');
}

describe('startAppServer', () => {
  it('listens on a free port of 127.0.0.1 by default', async () => {
    expect(await start()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('serves index.html at / and the app files with their content types', async () => {
    const url = await start();
    for (const path of ['', 'index.html', 'index.html?v=2']) {
      const response = await fetch(new URL(path, url));
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await response.text()).toBe(INDEX);
      expectIsolationHeaders(response.headers);
    }
    const js = await fetch(new URL('assets/main.js', url));
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expectIsolationHeaders(js.headers);
    const wasm = await fetch(new URL('assets/ort.wasm', url));
    expect(wasm.headers.get('content-type')).toBe('application/wasm');
    expect(new Uint8Array(await wasm.arrayBuffer())).toEqual(WASM);
    expectIsolationHeaders(wasm.headers);
  });

  it('answers HEAD with the headers only', async () => {
    const response = await fetch(new URL('assets/ort.wasm', await start()), { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe(String(WASM.length));
    expect(await response.text()).toBe('');
  });

  it('answers 404 for unknown paths and 405 for other methods, with the isolation headers', async () => {
    const url = await start();
    for (const path of ['missing.js', 'assets/', 'api/other']) {
      const response = await fetch(new URL(path, url), auth());
      expect(response.status, path).toBe(404);
      expectIsolationHeaders(response.headers);
    }
    const post = await fetch(url, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    expectIsolationHeaders(post.headers);
  });

  it('refuses path traversal with 403, however it is encoded', async () => {
    const url = await start();
    for (const path of [
      '/../package.json',
      '/%2e%2e/package.json',
      '/..%2fpackage.json',
      '/assets/..%2f..%2fpackage.json',
      '/..%5cpackage.json',
      '/api/files/..%2f..%2fpackage.json',
    ]) {
      const { status, headers } = await rawGet(url, path);
      expect(status, path).toBe(403);
      expectIsolationHeaders(headers);
    }
    // fetch resolves the dots itself, which leaves a path inside the app.
    expect((await fetch(`${url}../package.json`)).status).toBe(404);
  });

  it('lists the command-line files and streams their bytes, and nothing else', async () => {
    const url = await start();
    const list = await fetch(new URL('api/files', url), auth());
    expect(list.status).toBe(200);
    expect(list.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expectIsolationHeaders(list.headers);
    const { files } = (await list.json()) as { files: ListedFile[] };
    expect(files).toEqual([
      { name: 'a.tif', url: '/api/files/0', size: imageBytes[0].length },
      { name: 'b.png', url: '/api/files/1', size: imageBytes[1].length },
    ]);
    for (const [i, file] of files.entries()) {
      const response = await fetch(new URL(file.url, url), auth());
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/octet-stream');
      expectIsolationHeaders(response.headers);
      expect(Buffer.from(await response.arrayBuffer()).equals(imageBytes[i])).toBe(true);
    }
    for (const path of ['api/files/2', 'api/files/-1', 'api/files/a.tif', 'a.tif']) {
      const response = await fetch(new URL(path, url), auth());
      expect(response.status, path).toBe(404);
      expectIsolationHeaders(response.headers);
    }
  });

  it('serves an empty list when no files are given', async () => {
    server = await startAppServer({ appDir });
    const response = await fetch(new URL('api/files', server.url), auth());
    expect(await response.json()).toEqual({ files: [] });
  });

  it('throws a FileAccessError with a build hint when index.html is missing', async () => {
    const empty = join(root, 'empty');
    mkdirSync(empty, { recursive: true });
    const attempt = startAppServer({ appDir: empty });
    await expect(attempt).rejects.toBeInstanceOf(FileAccessError);
    await expect(attempt).rejects.toMatchObject({
      file: empty,
      hint: 'run "npm run build" first (the app is built into dist/web)',
    });
  });

  it('throws a FileAccessError naming a missing file', async () => {
    const missing = join(root, 'missing.tif');
    const attempt = startAppServer({ appDir, files: [missing] });
    await expect(attempt).rejects.toBeInstanceOf(FileAccessError);
    await expect(attempt).rejects.toMatchObject({ file: missing, message: 'file not found' });
  });
});
