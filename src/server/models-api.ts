import { open, stat, type FileHandle } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import {
  BUILT_IN_MODEL_NAMES,
  getBuiltInModel,
  isBuiltInModelName,
  modelCacheDir,
  resolveModel,
  verifyChecksum,
  type BuiltInModelName,
  type FetchLike,
} from '../cellpose/models/index.js';
import { FileAccessError, isCellscopeError } from '../errors.js';

export interface ModelsApiOptions {
  /** The model cache folder the models are served from and downloaded into. @default modelCacheDir() */
  cacheDir?: string;
  /** The fetch used for downloads (tests inject one). @default globalThis.fetch */
  fetch?: FetchLike;
  /** Whether `POST /api/models/<name>/download` may download; when false it answers 403. @default true */
  allowDownload?: boolean;
}

/** One entry of `GET /api/models`. */
export interface ModelsApiEntry {
  name: BuiltInModelName;
  description: string;
  /** Object diameter in pixels the network was trained at. */
  diamMean: number;
  /** The weights file is in the cache. */
  cached: boolean;
  /** The size model (`size_*.npy`) is in the cache. */
  sizeModel: boolean;
}

/** The body of every models API answer that is not a success. */
export interface ModelsApiError {
  error: string;
  /** The cache file the problem is about, when there is one. */
  file?: string;
  hint?: string;
}

export interface ModelsApi {
  /** Answers a request whose decoded path passes {@link isModelsApiPath}. Never rejects. */
  handle(request: IncomingMessage, response: ServerResponse, path: string): Promise<void>;
  /** Aborts downloads in progress; their `.part` files stay for a later resume. */
  close(): void;
}

/** True for `/api/models` and every path below it. */
export function isModelsApiPath(path: string): boolean {
  return /^\/api\/models(?:\/|$)/.test(path);
}

const JSON_TYPE = 'application/json; charset=utf-8';

function notCachedHint(name: string): string {
  return `run "cellscope models download ${name}" or use Download in the app`;
}

/**
 * The view server's access to the Cellpose model cache (Node only), for a page that can neither
 * reach www.cellpose.org (no CORS, often offline) nor read the disk:
 * - `GET /api/models`: `{ models: ModelsApiEntry[] }`, every built-in model;
 * - `GET /api/models/<name>/weights` and `/size`: the cached file's bytes, checked against its
 *   recorded SHA-256 first (500 when it does not match; 404 when not cached);
 * - `POST /api/models/<name>/download`: fetches the missing files into the cache as
 *   `cellscope models download` does, then `{ name, cached: true }`; 502 when the download fails,
 *   403 when downloads are off. Concurrent requests for one model share one download.
 *
 * `<name>` must be a built-in model name, so no other file is reachable. Every answer is JSON
 * except the file bytes. The server checks Host, Origin and token before any call gets here
 * (see access.ts).
 */
export function createModelsApi(options: ModelsApiOptions = {}): ModelsApi {
  const cacheDir = resolve(options.cacheDir ?? modelCacheDir());
  const allowDownload = options.allowDownload ?? true;
  const downloads = new Map<BuiltInModelName, Promise<void>>();
  const stop = new AbortController();

  function download(name: BuiltInModelName): Promise<void> {
    let running = downloads.get(name);
    if (!running) {
      running = resolveModel(name, {
        download: true,
        cacheDir,
        fetch: options.fetch,
        signal: stop.signal,
      })
        .then(() => undefined)
        .finally(() => downloads.delete(name));
      downloads.set(name, running);
    }
    return running;
  }

  async function route(
    request: IncomingMessage,
    response: ServerResponse,
    path: string,
  ): Promise<void> {
    if (/^\/api\/models\/?$/.test(path)) {
      if (!allowMethods(request, response, 'GET, HEAD')) return;
      return sendJson(request, response, 200, { models: await listCache(cacheDir) });
    }
    const match = /^\/api\/models\/([^/]+)\/(weights|size|download)$/.exec(path);
    if (!match) return sendJson(request, response, 404, { error: `not found: ${path}` });
    const [, name, action] = match;
    if (!isBuiltInModelName(name)) {
      return sendJson(request, response, 404, {
        error: `unknown model "${name}"; built-in models are ${BUILT_IN_MODEL_NAMES.join(', ')}`,
      });
    }

    if (action === 'download') {
      if (!allowMethods(request, response, 'POST')) return;
      request.resume(); // the body, if any, means nothing
      if (!allowDownload) {
        return sendJson(request, response, 403, {
          error: 'this server does not download models (cellscope view --no-download)',
          hint: `run "cellscope models download ${name}", then reload the app`,
        });
      }
      try {
        await download(name);
      } catch (error) {
        if (stop.signal.aborted) {
          return sendJson(request, response, 503, { error: 'the server is stopping' });
        }
        // No file: the network or the remote server failed (the message names the URL).
        const remote = error instanceof FileAccessError && error.file === undefined;
        return sendJson(request, response, remote ? 502 : 500, errorBody(error));
      }
      return sendJson(request, response, 200, { name, cached: true });
    }

    if (!allowMethods(request, response, 'GET, HEAD')) return;
    const model = getBuiltInModel(name);
    const file = join(cacheDir, action === 'weights' ? model.weightsFile : model.sizeModelFile);
    const what = action === 'weights' ? `model "${name}"` : `the size model of "${name}"`;
    const notCached = (): void =>
      sendJson(request, response, 404, {
        error: `${what} is not downloaded: ${file} not found`,
        hint: notCachedHint(name),
      });
    if (!(await isFile(file))) return notCached();
    await verifyChecksum(file);
    let handle: FileHandle;
    try {
      handle = await open(file, 'r');
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return notCached();
      throw cause;
    }
    try {
      const { size } = await handle.stat();
      response.writeHead(200, {
        'Content-Type': 'application/octet-stream',
        'Content-Length': size,
      });
      if (request.method === 'HEAD') {
        response.end();
        return;
      }
      await pipeline(handle.createReadStream({ autoClose: false }), response);
    } finally {
      await handle.close();
    }
  }

  return {
    async handle(request, response, path) {
      try {
        await route(request, response, path);
      } catch (error) {
        if (response.headersSent) response.destroy();
        else sendJson(request, response, 500, errorBody(error));
      }
    },
    close() {
      stop.abort();
    },
  };
}

async function listCache(cacheDir: string): Promise<ModelsApiEntry[]> {
  return Promise.all(
    BUILT_IN_MODEL_NAMES.map(async (name) => {
      const model = getBuiltInModel(name);
      const [cached, sizeModel] = await Promise.all([
        isFile(join(cacheDir, model.weightsFile)),
        isFile(join(cacheDir, model.sizeModelFile)),
      ]);
      return { name, description: model.description, diamMean: model.diamMean, cached, sizeModel };
    }),
  );
}

/** A readable message and the error's hint, never a stack. */
function errorBody(error: unknown): ModelsApiError {
  if (isCellscopeError(error)) {
    const body: ModelsApiError = {
      error: error.file ? `${error.file}: ${error.message}` : error.message,
    };
    if (error.file) body.file = error.file;
    if (error.hint) body.hint = error.hint;
    return body;
  }
  return { error: `internal error: ${error instanceof Error ? error.message : String(error)}` };
}

/** Sets `Allow` and answers 405 unless the method is one of `allowed`. */
function allowMethods(
  request: IncomingMessage,
  response: ServerResponse,
  allowed: string,
): boolean {
  if (allowed.split(', ').includes(request.method ?? '')) return true;
  response.setHeader('Allow', allowed);
  sendJson(request, response, 405, { error: `method not allowed; use ${allowed}` });
  return false;
}

function sendJson(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  value: unknown,
): void {
  const body = Buffer.from(JSON.stringify(value));
  response.writeHead(status, { 'Content-Type': JSON_TYPE, 'Content-Length': body.length });
  response.end(request.method === 'HEAD' ? undefined : body);
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.isFile(),
    () => false,
  );
}
