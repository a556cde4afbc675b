import { randomBytes } from 'node:crypto';
import { createReadStream, type Stats } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { FileAccessError, InvalidArgumentError } from '../errors.js';
import {
  isApiPath,
  isLoopbackAddress,
  isWildcardAddress,
  queryToken,
  refusal,
  tokenCookie,
  tokenMatches,
  TOKEN_PARAMETER,
  type AccessPolicy,
} from './access.js';
import {
  createModelsApi,
  isModelsApiPath,
  type ModelsApi,
  type ModelsApiOptions,
} from './models-api.js';

export interface AppServerOptions {
  /** Folder of the built web app (`dist/web`); must hold an `index.html`. */
  appDir: string;
  /** Files the app may read through `/api/files`; nothing else on disk is reachable. */
  files?: readonly string[];
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 picks any free port. @default 0 */
  port?: number;
  /** The model cache behind `/api/models` (see {@link createModelsApi}). @default {} */
  models?: ModelsApiOptions;
  /**
   * Host names (or `name:port`) the Host header may name besides `localhost`, `127.0.0.1`,
   * `[::1]` and the `host` listened on, e.g. this machine's name for other machines to use.
   * @default []
   */
  allowedHosts?: readonly string[];
  /** The secret every `/api` call must carry. @default 32 random bytes, base64url */
  token?: string;
}

export interface AppServer {
  /** Where the app is served, e.g. `http://127.0.0.1:53117/` (loopback when listening on all). */
  url: string;
  /** The token `/api` calls need: `Authorization: Bearer <token>`, `?token=` or the cookie. */
  token: string;
  /** `url` with `?token=`: the page opened from it keeps the token in a cookie. */
  tokenUrl: string;
  /** False when other machines can connect (the server listens beyond loopback). */
  loopbackOnly: boolean;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

/** One entry of `GET /api/files`. */
export interface ListedFile {
  name: string;
  url: string;
  size: number;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.onnx': 'application/octet-stream',
  '.pth': 'application/octet-stream',
};

// Cross-origin isolation lets onnxruntime-web use SharedArrayBuffer (multi-threaded wasm);
// no-cache makes a rebuilt app show up on reload.
const EVERY_RESPONSE_HEADERS: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-cache',
  'X-Content-Type-Options': 'nosniff',
};

const BUILD_HINT = 'run "npm run build" first (the app is built into dist/web)';

export function contentTypeFor(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Serves the built web app of `appDir` and the `files` given on the command line over HTTP
 * (Node only). Static files answer GET and HEAD; `GET /api/files` lists the files and
 * `GET /api/files/<index>` streams one; `/api/models` serves and downloads the Cellpose models
 * of the model cache ({@link createModelsApi}). Paths that leave `appDir` get 403.
 *
 * Every request must name an allowed host (see {@link AccessPolicy}) and every `/api` call must
 * carry the token; a request with the right `?token=` gets it back as an HttpOnly cookie.
 */
export async function startAppServer(options: AppServerOptions): Promise<AppServer> {
  const { host = '127.0.0.1', port = 0 } = options;
  const token = options.token ?? randomBytes(32).toString('base64url');
  if (token.length < 16 || !/^[\w-]+$/.test(token)) {
    throw new InvalidArgumentError('the server token must be 16 or more URL-safe characters');
  }
  const files = await statListedFiles(options.files ?? []);
  const appRoot = await findAppRoot(options.appDir);
  const models = createModelsApi(options.models);
  const access: { policy?: AccessPolicy } = {}; // known once listening (port 0 picks one)

  const server = createServer((request, response) => {
    for (const [name, value] of Object.entries(EVERY_RESPONSE_HEADERS)) {
      response.setHeader(name, value);
    }
    handle(request, response, appRoot, files, models, access.policy).catch(() => {
      if (!response.headersSent) sendText(response, 500, 'internal server error');
      else response.destroy();
    });
  });

  await new Promise<void>((done, fail) => {
    server.once('error', (cause: NodeJS.ErrnoException) => {
      fail(listenError(cause, host, port));
    });
    server.listen(port, host, () => done());
  });

  const address = server.address() as AddressInfo;
  const bracket = (a: string): string => (address.family === 'IPv6' ? `[${a}]` : a);
  // A wildcard address is no place to browse to; this machine reaches it on loopback.
  const urlHost = isWildcardAddress(address.address)
    ? bracket(address.family === 'IPv6' ? '::1' : '127.0.0.1')
    : bracket(address.address);
  // The address asked for was named by the user, so it is as good as an allowed host.
  const bound = isWildcardAddress(address.address) ? [] : [host, bracket(address.address)];
  access.policy = {
    token,
    port: address.port,
    allowedHosts: [...bound, ...(options.allowedHosts ?? [])],
  };
  const url = `http://${urlHost}:${address.port}/`;
  return {
    url,
    token,
    tokenUrl: `${url}?${TOKEN_PARAMETER}=${token}`,
    loopbackOnly: isLoopbackAddress(address.address),
    close: () =>
      new Promise<void>((done, fail) => {
        models.close();
        server.close((error) => (error ? fail(error) : done()));
        // Keep-alive sockets would otherwise hold close() open until they time out.
        server.closeAllConnections();
      }),
  };
}

/** Listening errors as the user can act on them, never a getaddrinfo stack trace. */
function listenError(cause: NodeJS.ErrnoException, host: string, port: number): Error {
  switch (cause.code) {
    case 'EADDRINUSE':
    case 'EACCES':
      return new InvalidArgumentError(`cannot listen on ${host}:${port} (${cause.code})`, {
        hint: 'pick another --port, or 0 for any free port',
        cause,
      });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
    case 'EAI_FAIL':
    case 'EADDRNOTAVAIL':
    case 'EINVAL':
      return new InvalidArgumentError(
        `cannot listen on --host ${host}: ${
          cause.code === 'EADDRNOTAVAIL'
            ? 'not an address of this machine'
            : 'not a valid address or known host name'
        } (${cause.code})`,
        {
          hint: 'leave --host out for 127.0.0.1, or give localhost or an address of this machine',
          cause,
        },
      );
    default:
      return cause;
  }
}

interface ServedFile {
  path: string;
  name: string;
  size: number;
}

async function statListedFiles(paths: readonly string[]): Promise<ServedFile[]> {
  const files: ServedFile[] = [];
  for (const path of paths) {
    let stats: Stats;
    try {
      stats = await stat(path);
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      throw new FileAccessError(code === 'ENOENT' ? 'file not found' : (cause as Error).message, {
        file: path,
        cause,
      });
    }
    if (!stats.isFile()) throw new FileAccessError('is not a file', { file: path });
    files.push({ path: resolve(path), name: basename(path), size: stats.size });
  }
  return files;
}

/** The real path of `appDir`, after checking that the app was built into it. */
async function findAppRoot(appDir: string): Promise<string> {
  const index = await stat(join(appDir, 'index.html')).catch(() => undefined);
  if (!index?.isFile()) {
    throw new FileAccessError('no index.html: the web app is not built', {
      file: appDir,
      hint: BUILD_HINT,
    });
  }
  return realpath(appDir);
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  appRoot: string,
  files: readonly ServedFile[],
  models: ModelsApi,
  policy: AccessPolicy | undefined,
): Promise<void> {
  if (!policy) return sendText(response, 503, 'starting');
  let path: string;
  try {
    path = decodeURIComponent((request.url ?? '/').split(/[?#]/)[0]);
  } catch {
    return sendText(response, 400, 'malformed URL');
  }
  const refused = refusal(request, path, policy);
  if (refused) {
    if (!isApiPath(path)) return sendText(response, 403, `${refused.reason}: ${refused.hint}`);
    return sendJson(response, 403, { error: refused.reason, hint: refused.hint });
  }
  const given = queryToken(request.url);
  if (given !== undefined && tokenMatches(given, policy.token)) {
    response.setHeader('Set-Cookie', tokenCookie(policy.port, policy.token));
  }
  // Checked after decoding, so `..%2f` and `%2e%2e` count as `..`; `\` is a separator on Windows.
  if (path.includes('\0') || path.split(/[/\\]/).includes('..')) {
    return sendText(response, 403, 'forbidden');
  }
  // The models API answers its own methods (POST to download).
  if (isModelsApiPath(path)) return models.handle(request, response, path);
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD');
    return sendText(response, 405, 'method not allowed');
  }
  if (/^\/api\/files\/?$/.test(path)) return sendFileList(response, files);
  const fileIndex = /^\/api\/files\/(\d+)$/.exec(path);
  if (fileIndex) {
    const file = files[Number(fileIndex[1])];
    if (!file) return sendText(response, 404, 'no such file');
    return sendFile(request, response, file.path, 'application/octet-stream');
  }
  if (path.startsWith('/api/')) return sendText(response, 404, 'not found');
  return sendAppFile(request, response, appRoot, path);
}

async function sendFileList(response: ServerResponse, files: readonly ServedFile[]): Promise<void> {
  const listed: ListedFile[] = await Promise.all(
    files.map(async (file, index) => ({
      name: file.name,
      url: `/api/files/${index}`,
      // The file may have been rewritten since the server started.
      size: (await stat(file.path).catch(() => file)).size,
    })),
  );
  sendJson(response, 200, { files: listed });
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  const body = Buffer.from(JSON.stringify(value));
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': body.length,
  });
  response.end(body);
}

async function sendAppFile(
  request: IncomingMessage,
  response: ServerResponse,
  appRoot: string,
  urlPath: string,
): Promise<void> {
  let path = resolve(appRoot, `.${urlPath}`);
  if (!isInside(appRoot, path)) return sendText(response, 403, 'forbidden');
  let stats = await stat(path).catch(() => undefined);
  if (stats?.isDirectory()) {
    path = join(path, 'index.html');
    stats = await stat(path).catch(() => undefined);
  }
  if (!stats?.isFile()) return sendText(response, 404, 'not found');
  // A symbolic link inside the app must not lead out of it.
  if (!isInside(appRoot, await realpath(path))) return sendText(response, 403, 'forbidden');
  return sendFile(request, response, path, contentTypeFor(path));
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

async function sendFile(
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  contentType: string,
): Promise<void> {
  const stats = await stat(path).catch(() => undefined);
  if (!stats?.isFile()) return sendText(response, 404, 'file no longer exists');
  response.writeHead(200, { 'Content-Type': contentType, 'Content-Length': stats.size });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  await pipeline(createReadStream(path), response);
}

function sendText(response: ServerResponse, status: number, text: string): void {
  const body = Buffer.from(`${text}\n`);
  response.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': body.length,
  });
  response.end(body);
}
