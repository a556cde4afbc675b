import { mkdir, open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { FileAccessError } from '../../errors.js';

/** The part of `fetch` that {@link downloadFile} uses; `globalThis.fetch` fits. */
export type FetchLike = (url: string, init?: RequestInit) => Promise<Response>;

/**
 * Download progress: bytes of the file on disk so far (a resumed download starts at the size
 * of the `.part` file), and the file's full size when the server says it.
 */
export type DownloadProgress = (receivedBytes: number, totalBytes: number | undefined) => void;

export interface DownloadOptions {
  /** The fetch to use (tests inject one). @default globalThis.fetch */
  fetch?: FetchLike;
  /** Called after every chunk written, and once before the first when resuming. */
  onProgress?: DownloadProgress;
  /** Stops the download; the `.part` file is kept so a later call resumes it. */
  signal?: AbortSignal;
}

export interface DownloadResult {
  /** The destination path, now holding the complete file. */
  path: string;
  /** Size of the complete file in bytes. */
  bytes: number;
  /** Bytes that were already in `<destination>.part` and not fetched again (0 for a fresh start). */
  resumedFrom: number;
}

/**
 * Downloads `url` to `destination`, streaming into `<destination>.part` and renaming it into
 * place only when complete, so `destination` never holds half a file.
 *
 * A `.part` left by an interrupted run is resumed with `Range: bytes=<size>-`: a 206 reply is
 * appended, a 200 reply (server ignores ranges) restarts from zero, and a 416 whose
 * `Content-Range` total equals the part's size means it was already complete. The size is
 * checked against `Content-Length` / `Content-Range` when the server gives them.
 *
 * @throws FileAccessError when the server cannot be reached, answers with an error status, the
 *   connection drops (the `.part` is kept for a resume), or the file cannot be written. The
 *   message names the URL and the destination where a copy fetched by hand can be put.
 * @throws the signal's reason when `signal` aborts.
 */
export async function downloadFile(
  url: string,
  destination: string,
  options: DownloadOptions = {},
): Promise<DownloadResult> {
  const part = `${destination}.part`;
  await mkdir(dirname(destination), { recursive: true }).catch((cause: unknown) => {
    throw new FileAccessError(`could not create the folder for ${destination}`, {
      file: dirname(destination),
      cause,
    });
  });
  const first = await attempt(url, destination, part, await partSize(part), options);
  // A part file the server cannot continue (wrong range, or longer than the file) is dropped.
  const result =
    first === 'restart' ? await attempt(url, destination, part, 0, options, true) : first;
  if (result === 'restart')
    throw unexpected(
      url,
      destination,
      'the server answered with a byte range that was not asked for',
    );
  return result;
}

async function attempt(
  url: string,
  destination: string,
  part: string,
  offset: number,
  options: DownloadOptions,
  retried = false,
): Promise<DownloadResult | 'restart'> {
  const { fetch = globalThis.fetch, onProgress, signal } = options;
  if (retried) await rm(part, { force: true });
  // Compressed transfer would make Content-Length and byte ranges refer to other bytes.
  const headers: Record<string, string> = { 'accept-encoding': 'identity' };
  if (offset > 0) headers.range = `bytes=${offset}-`;

  let response: Response;
  try {
    response = await fetch(url, { headers, signal });
  } catch (cause) {
    if (signal?.aborted) throw signal.reason ?? cause;
    throw unreachable(url, destination, cause);
  }

  const status = response.status;
  if (status === 416 && offset > 0) {
    await response.body?.cancel();
    const total = parseContentRange(response.headers.get('content-range'))?.total;
    if (total !== offset) return 'restart';
    await finish(part, destination);
    return { path: destination, bytes: offset, resumedFrom: offset };
  }
  if (status !== 200 && status !== 206) {
    await response.body?.cancel();
    throw new FileAccessError(
      `could not download ${url} to ${destination}: the server answered ${status} ${response.statusText}`.trimEnd(),
      { hint: offlineHint(url, destination) },
    );
  }

  let start = 0;
  let total: number | undefined;
  const length = contentLength(response);
  if (status === 206) {
    const range = parseContentRange(response.headers.get('content-range'));
    // A range we did not ask for cannot be appended to the part file.
    if (range?.start !== offset) {
      await response.body?.cancel();
      return 'restart';
    }
    start = offset;
    total = range.total ?? (length === undefined ? undefined : offset + length);
  } else {
    total = length;
  }

  let received = start;
  if (start > 0) onProgress?.(received, total);
  let handle: FileHandle;
  try {
    handle = await open(part, start > 0 ? 'a' : 'w');
  } catch (cause) {
    await response.body?.cancel();
    throw new FileAccessError(`could not write (${(cause as Error).message})`, {
      file: part,
      cause,
    });
  }
  try {
    const reader = response.body?.getReader();
    while (reader) {
      const chunk = await reader.read().catch((cause: unknown) => {
        if (signal?.aborted) throw signal.reason ?? cause;
        throw interrupted(url, destination, part, received, total, cause);
      });
      if (chunk.done) break;
      if (total !== undefined && received + chunk.value.byteLength > total) {
        await reader.cancel();
        await handle.close();
        await rm(part, { force: true });
        throw unexpected(
          url,
          destination,
          `the server sent more than the ${total} bytes it announced`,
        );
      }
      await writeChunk(handle, chunk.value, part);
      received += chunk.value.byteLength;
      onProgress?.(received, total);
    }
    if (total !== undefined && received < total) {
      throw interrupted(url, destination, part, received, total, undefined);
    }
    // Flush to disk before the rename, so a crash cannot leave a complete name on partial data.
    await handle.sync();
  } finally {
    await handle.close().catch(() => undefined);
  }
  await finish(part, destination);
  return { path: destination, bytes: received, resumedFrom: start };
}

async function partSize(part: string): Promise<number> {
  try {
    const info = await stat(part);
    return info.isFile() ? info.size : 0;
  } catch {
    return 0;
  }
}

async function writeChunk(handle: FileHandle, chunk: Uint8Array, part: string): Promise<void> {
  try {
    await handle.write(chunk);
  } catch (cause) {
    throw new FileAccessError(`could not write (${(cause as Error).message})`, {
      file: part,
      cause,
    });
  }
}

async function finish(part: string, destination: string): Promise<void> {
  try {
    await rename(part, destination);
  } catch (cause) {
    throw new FileAccessError(`could not move the finished download into place`, {
      file: destination,
      cause,
    });
  }
}

function contentLength(response: Response): number | undefined {
  // A decoded body's length differs from the header's, so the header is useless then.
  const encoding = response.headers.get('content-encoding');
  if (encoding && encoding !== 'identity') return undefined;
  const text = response.headers.get('content-length');
  if (text === null || !/^\d+$/.test(text.trim())) return undefined;
  return Number(text);
}

// Parses "bytes <start>-<end>/<total>" or "bytes *" + "/<total>" (RFC 9110 §14.4).
function parseContentRange(header: string | null): { start?: number; total?: number } | undefined {
  const match = header?.trim().match(/^bytes\s+(?:(\d+)-(\d+)|\*)\/(\d+|\*)$/i);
  if (!match) return undefined;
  return {
    start: match[1] === undefined ? undefined : Number(match[1]),
    total: match[3] === '*' ? undefined : Number(match[3]),
  };
}

/** Why a network error happened, in words: Node's fetch hides it in `cause`. */
function reason(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const inner = cause.cause as { code?: string; message?: string } | undefined;
  const detail = inner?.code ?? inner?.message;
  return detail ? `${cause.message}: ${detail}` : cause.message;
}

function offlineHint(url: string, destination: string): string {
  return `check the network connection and try again; to work offline, download ${url} on another machine and save it as ${destination}`;
}

function unreachable(url: string, destination: string, cause: unknown): FileAccessError {
  return new FileAccessError(`could not download ${url} to ${destination} (${reason(cause)})`, {
    hint: offlineHint(url, destination),
    cause,
  });
}

function interrupted(
  url: string,
  destination: string,
  part: string,
  received: number,
  total: number | undefined,
  cause: unknown,
): FileAccessError {
  const of = total === undefined ? '' : ` of ${total}`;
  const why = cause === undefined ? 'the connection closed early' : reason(cause);
  return new FileAccessError(
    `download of ${url} to ${destination} stopped after ${received}${of} bytes (${why})`,
    {
      hint: `run again to resume from ${part}; to work offline, download ${url} on another machine and save it as ${destination}`,
      cause,
    },
  );
}

function unexpected(url: string, destination: string, why: string): FileAccessError {
  return new FileAccessError(`could not download ${url} to ${destination}: ${why}`, {
    hint: offlineHint(url, destination),
  });
}
