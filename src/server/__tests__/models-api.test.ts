import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FetchLike } from '../../cellpose/models/download.js';
import { BUILT_IN_MODEL_NAMES, getBuiltInModel } from '../../cellpose/models/registry.js';
import { generatedBytes } from '../../cellpose/models/__tests__/file-server.js';
import type { ModelsApiEntry, ModelsApiError, ModelsApiOptions } from '../models-api.js';
import { startAppServer, type AppServer } from '../serve-app.js';

const root = mkdtempSync(join(tmpdir(), 'cellscope-models-api-'));
const appDir = join(root, 'app');
mkdirSync(appDir);
writeFileSync(join(appDir, 'index.html'), '<!doctype html><title>cellscope</title>');
afterAll(() => rmSync(root, { recursive: true, force: true }));

const cyto3 = getBuiltInModel('cyto3');
const weights = generatedBytes(150_000, 7);
const sizeModel = generatedBytes(1_500, 8);
const remote = new Map<string, Uint8Array>([
  [cyto3.weightsUrl, weights],
  [cyto3.sizeModelUrl, sizeModel],
]);

/** Serves `remote` for the official URLs, as www.cellpose.org would; no test goes online. */
function fakeFetch(requested: string[], delayMs = 0): FetchLike {
  return async (url) => {
    requested.push(url);
    await new Promise((done) => setTimeout(done, delayMs));
    const bytes = remote.get(url);
    if (!bytes) return new Response(null, { status: 404, statusText: 'Not Found' });
    return new Response(bytes.slice(), {
      status: 200,
      headers: { 'content-length': String(bytes.length) },
    });
  };
}

const offlineFetch: FetchLike = async () => {
  throw new TypeError('fetch failed');
};

let cacheDir: string;
let server: AppServer | undefined;
beforeEach(() => {
  cacheDir = mkdtempSync(join(tmpdir(), 'cellscope-models-cache-'));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(cacheDir, { recursive: true, force: true });
});

async function start(models: Omit<ModelsApiOptions, 'cacheDir'> = {}): Promise<string> {
  server = await startAppServer({ appDir, models: { cacheDir, ...models } });
  return server.url;
}

function expectIsolationHeaders(response: Response): void {
  expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin');
  expect(response.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
  expect(response.headers.get('cross-origin-resource-policy')).toBe('same-origin');
  expect(response.headers.get('cache-control')).toBe('no-cache');
}

async function call(
  url: string,
  path: string,
  init?: RequestInit,
): Promise<{ response: Response; body: unknown }> {
  // Every call carries the token; access.test.ts checks the calls that do not.
  const headers = new Headers(init?.headers);
  headers.set('authorization', `Bearer ${server!.token}`);
  const response = await fetch(new URL(path, url), { ...init, headers });
  expectIsolationHeaders(response);
  const type = response.headers.get('content-type');
  if (type === 'application/json; charset=utf-8') return { response, body: await response.json() };
  return { response, body: new Uint8Array(await response.arrayBuffer()) };
}

const post = { method: 'POST' } as const;

describe('/api/models', () => {
  it('lists every built-in model, none cached in an empty cache', async () => {
    const { response, body } = await call(await start(), 'api/models');
    expect(response.status).toBe(200);
    const { models } = body as { models: ModelsApiEntry[] };
    expect(models.map((model) => model.name)).toEqual(BUILT_IN_MODEL_NAMES);
    expect(models[0]).toEqual({
      name: 'cyto3',
      description: cyto3.description,
      diamMean: 30,
      cached: false,
      sizeModel: false,
    });
    expect(models.find((model) => model.name === 'nuclei')?.diamMean).toBe(17);
    expect(models.every((model) => !model.cached && !model.sizeModel)).toBe(true);
  });

  it('downloads a model on POST, then lists it as cached and serves its files byte for byte', async () => {
    const requested: string[] = [];
    const url = await start({ fetch: fakeFetch(requested) });
    const download = await call(url, 'api/models/cyto3/download', post);
    expect(download.response.status).toBe(200);
    expect(download.body).toEqual({ name: 'cyto3', cached: true });
    expect(requested.sort()).toEqual([cyto3.sizeModelUrl, cyto3.weightsUrl].sort());
    expect(new Uint8Array(readFileSync(join(cacheDir, 'cyto3')))).toEqual(weights);

    const { body } = await call(url, 'api/models');
    expect((body as { models: ModelsApiEntry[] }).models[0]).toMatchObject({
      name: 'cyto3',
      cached: true,
      sizeModel: true,
    });

    const served = await call(url, 'api/models/cyto3/weights');
    expect(served.response.status).toBe(200);
    expect(served.response.headers.get('content-type')).toBe('application/octet-stream');
    expect(served.response.headers.get('content-length')).toBe(String(weights.length));
    expect(Buffer.from(served.body as Uint8Array).equals(weights)).toBe(true);
    const size = await call(url, 'api/models/cyto3/size');
    expect(size.response.status).toBe(200);
    expect(Buffer.from(size.body as Uint8Array).equals(sizeModel)).toBe(true);

    const head = await call(url, 'api/models/cyto3/weights', { method: 'HEAD' });
    expect(head.response.status).toBe(200);
    expect(head.response.headers.get('content-length')).toBe(String(weights.length));

    // Already cached: answered from the cache, nothing fetched again.
    expect((await call(url, 'api/models/cyto3/download', post)).response.status).toBe(200);
    expect(requested).toHaveLength(2);
  });

  it('shares one download between concurrent requests for the same model', async () => {
    const requested: string[] = [];
    const url = await start({ fetch: fakeFetch(requested, 50) });
    const answers = await Promise.all(
      [0, 1, 2].map(() => call(url, 'api/models/cyto3/download', post)),
    );
    expect(answers.map((answer) => answer.response.status)).toEqual([200, 200, 200]);
    expect(requested).toHaveLength(2);
  });

  it('answers 404 with a hint for a model that is not downloaded', async () => {
    const url = await start();
    for (const [path, what] of [
      ['api/models/cyto3/weights', 'model "cyto3"'],
      ['api/models/nuclei/size', 'the size model of "nuclei"'],
    ]) {
      const { response, body } = await call(url, path);
      expect(response.status, path).toBe(404);
      expect((body as ModelsApiError).error).toMatch(new RegExp(`^${what} is not downloaded`));
      const name = path.split('/')[2];
      expect((body as ModelsApiError).hint).toBe(
        `run "cellscope models download ${name}" or use Download in the app`,
      );
    }
  });

  it('answers 502 with a message naming the URL when offline, and caches nothing', async () => {
    const url = await start({ fetch: offlineFetch });
    const { response, body } = await call(url, 'api/models/cyto3/download', post);
    expect(response.status).toBe(502);
    const { error, hint } = body as ModelsApiError;
    expect(error).toContain(`could not download ${cyto3.weightsUrl}`);
    expect(error).toContain('fetch failed');
    expect(error).not.toMatch(/\n\s+at /);
    expect(hint).toMatch(/check the network connection/);
    const listed = await call(url, 'api/models');
    expect((listed.body as { models: ModelsApiEntry[] }).models[0].cached).toBe(false);
  });

  it('answers 502 naming the URL and the status when the server refuses', async () => {
    const url = await start({ fetch: fakeFetch([]) });
    const { response, body } = await call(url, 'api/models/nuclei/download', post);
    expect(response.status).toBe(502);
    expect((body as ModelsApiError).error).toContain(
      `could not download ${getBuiltInModel('nuclei').weightsUrl}`,
    );
    expect((body as ModelsApiError).error).toContain('404 Not Found');
  });

  it('answers 403 to a download when downloads are off, without fetching', async () => {
    const requested: string[] = [];
    const url = await start({ fetch: fakeFetch(requested), allowDownload: false });
    const { response, body } = await call(url, 'api/models/cyto3/download', post);
    expect(response.status).toBe(403);
    expect((body as ModelsApiError).hint).toContain('cellscope models download cyto3');
    expect(requested).toEqual([]);
  });

  it('refuses a download started by another origin', async () => {
    const requested: string[] = [];
    const url = await start({ fetch: fakeFetch(requested) });
    const { response } = await call(url, 'api/models/cyto3/download', {
      method: 'POST',
      headers: { origin: 'http://evil.example' },
    });
    expect(response.status).toBe(403);
    expect(requested).toEqual([]);
    const same = await call(url, 'api/models/cyto3/download', {
      method: 'POST',
      headers: { origin: new URL(url).origin },
    });
    expect(same.response.status).toBe(200);
  });

  it('answers 405 for the wrong method, with Allow', async () => {
    const url = await start({ fetch: fakeFetch([]) });
    const get = await call(url, 'api/models/cyto3/download');
    expect(get.response.status).toBe(405);
    expect(get.response.headers.get('allow')).toBe('POST');
    for (const path of ['api/models', 'api/models/cyto3/weights', 'api/models/cyto3/size']) {
      const { response } = await call(url, path, post);
      expect(response.status, path).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, HEAD');
    }
  });

  it('answers 404 for unknown models and paths, and reaches no other file', async () => {
    writeFileSync(join(cacheDir, 'checksums.json'), '{}');
    writeFileSync(join(cacheDir, 'other'), 'x');
    const url = await start({ fetch: fakeFetch([]) });
    for (const [path, init] of [
      ['api/models/cyto4/weights', undefined],
      ['api/models/Cyto3/size', undefined],
      ['api/models/other/weights', undefined],
      ['api/models/__proto__/weights', undefined],
      ['api/models/cyto4/download', post],
      ['api/models/cyto3', undefined],
      ['api/models/cyto3/checksums.json', undefined],
      ['api/models/cyto3/weights/extra', undefined],
      ['api/models/checksums.json', undefined],
    ] as const) {
      const { response, body } = await call(url, path, init);
      expect(response.status, path).toBe(404);
      expect(typeof (body as ModelsApiError).error).toBe('string');
    }
    const unknown = await call(url, 'api/models/cyto4/weights');
    expect((unknown.body as ModelsApiError).error).toBe(
      'unknown model "cyto4"; built-in models are cyto3, nuclei, cyto2, cyto',
    );
  });

  it('refuses with 500 a cached file that no longer matches its recorded checksum', async () => {
    const url = await start({ fetch: fakeFetch([]) });
    await call(url, 'api/models/cyto3/download', post);
    const path = join(cacheDir, 'cyto3');
    const changed = weights.slice();
    changed[100] ^= 0xff;
    writeFileSync(path, changed);
    const { response, body } = await call(url, 'api/models/cyto3/weights');
    expect(response.status).toBe(500);
    const { error, file, hint } = body as ModelsApiError;
    expect(file).toBe(path);
    expect(error).toMatch(/does not match/);
    expect(hint).toContain(`delete ${path}`);
  });

  it('accepts a file copied into the cache by hand and records its checksum', async () => {
    writeFileSync(join(cacheDir, 'size_cyto3.npy'), sizeModel);
    const url = await start();
    const { response, body } = await call(url, 'api/models/cyto3/size');
    expect(response.status).toBe(200);
    expect(Buffer.from(body as Uint8Array).equals(sizeModel)).toBe(true);
    const listed = await call(url, 'api/models');
    expect((listed.body as { models: ModelsApiEntry[] }).models[0]).toMatchObject({
      cached: false,
      sizeModel: true,
    });
    expect(Object.keys(JSON.parse(readFileSync(join(cacheDir, 'checksums.json'), 'utf8')))).toEqual(
      ['size_cyto3.npy'],
    );
  });
});
