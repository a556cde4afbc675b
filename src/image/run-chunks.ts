/** Typed arrays a kernel reads and writes; on threads they live in shared memory. */
export type KernelArray = Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array;

/**
 * Work on the indices `from` ≤ k < `to`, reading and writing only `arrays`. Its source text is
 * what the worker threads run, so it must be self-contained: no imports, no outer variables.
 */
export type ChunkKernel = (
  arrays: readonly KernelArray[],
  params: readonly number[],
  from: number,
  to: number,
) => void;

export interface RunChunksOptions {
  /** Threads, the calling one included. @default the machine's cores */
  threads?: number;
  /** Indices per chunk; threads take chunks from a shared counter, so uneven work balances. */
  chunk: number;
}

interface NodeWorker {
  on(event: 'message' | 'error', listener: (value: unknown) => void): void;
  postMessage(value: unknown): void;
  terminate(): Promise<number>;
}
interface PageWorker {
  onmessage: (() => void) | null;
  onerror: ((event: { message: string }) => void) | null;
  postMessage(value: unknown): void;
  terminate(): void;
}
interface NodeWorkerThreads {
  Worker: new (code: string, options: { eval: true }) => NodeWorker;
}

/** Node's worker_threads without an import, so bundles for the page never see it. */
function nodeWorkerThreads(): NodeWorkerThreads | undefined {
  const node = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return node?.getBuiltinModule?.('node:worker_threads') as NodeWorkerThreads | undefined;
}

/** The machine's cores: `navigator.hardwareConcurrency` in the page, `os` in Node. */
export function defaultThreads(): number {
  const page = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  if (page?.hardwareConcurrency) return page.hardwareConcurrency;
  const node = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const os = node?.getBuiltinModule?.('node:os') as { availableParallelism?: () => number };
  return os?.availableParallelism?.() ?? 1;
}

/** Shared memory needs cross-origin isolation in the page; Node always has it. */
function canShareMemory(): boolean {
  const g = globalThis as { crossOriginIsolated?: boolean };
  return typeof SharedArrayBuffer !== 'undefined' && g.crossOriginIsolated !== false;
}

/**
 * The worker's script: claim chunks from the counter and run the kernel on each. Node's
 * worker_threads comes from getBuiltinModule, not require, so page bundles name no Node built-in.
 */
function workerScript(kernel: ChunkKernel): string {
  return `'use strict';
var __name = (f) => f; // esbuild's keepNames helper, in case the kernel's text calls it
const kernel = (${kernel.toString()});
function run(job) {
  for (;;) {
    const from = Atomics.add(job.counter, 0, 1) * job.chunk;
    if (from >= job.count) return;
    kernel(job.arrays, job.params, from, Math.min(job.count, from + job.chunk));
  }
}
if (typeof WorkerGlobalScope !== 'undefined') {
  self.onmessage = (event) => { run(event.data); self.postMessage(0); };
} else {
  const { parentPort } = process.getBuiltinModule('node:worker_threads');
  parentPort.on('message', (job) => { run(job); parentPort.postMessage(0); });
}`;
}

interface Thread {
  /** Runs one job to its end. */
  run(job: object): Promise<void>;
  close(): void;
}

function startThread(script: string): Thread | undefined {
  try {
    return newThread(script);
  } catch {
    // A page or runtime that refuses workers: the calling thread does the work.
    return undefined;
  }
}

function newThread(script: string): Thread | undefined {
  const threads = nodeWorkerThreads();
  if (threads) {
    const worker = new threads.Worker(script, { eval: true });
    return {
      run: (job) =>
        new Promise((resolve, reject) => {
          worker.on('message', () => resolve());
          worker.on('error', reject);
          worker.postMessage(job);
        }),
      close: () => void worker.terminate(),
    };
  }
  const Page = (globalThis as { Worker?: new (url: string) => PageWorker }).Worker;
  if (!Page || typeof Blob === 'undefined') return undefined;
  const url = URL.createObjectURL(new Blob([script], { type: 'text/javascript' }));
  const worker = new Page(url);
  return {
    run: (job) =>
      new Promise((resolve, reject) => {
        worker.onmessage = () => resolve();
        worker.onerror = (event) => reject(new Error(event.message));
        worker.postMessage(job);
      }),
    close: () => {
      worker.terminate();
      URL.revokeObjectURL(url);
    },
  };
}

function shared<T extends KernelArray>(array: T): T {
  if (array.buffer instanceof SharedArrayBuffer) return array;
  const Type = array.constructor as new (buffer: SharedArrayBuffer) => T;
  const copy = new Type(new SharedArrayBuffer(array.byteLength));
  copy.set(array as ArrayLike<number> & T);
  return copy;
}

/**
 * Runs `kernel` over the indices 0 ≤ k < `count` in chunks, on `threads` threads sharing the
 * arrays' memory: the calling thread and worker threads (Node) or web workers (the page). Each
 * index is worked on exactly once by the same code, so when the kernel's indices are independent
 * the result is identical for any thread count. One thread, no shared memory, or no workers:
 * the kernel runs here, in one call.
 */
export async function runChunks(
  kernel: ChunkKernel,
  arrays: readonly KernelArray[],
  params: readonly number[],
  count: number,
  options: RunChunksOptions,
): Promise<void> {
  const { chunk } = options;
  const wanted = Math.min(options.threads ?? defaultThreads(), Math.ceil(count / chunk));
  if (wanted <= 1 || !canShareMemory()) {
    kernel(arrays, params, 0, count);
    return;
  }
  const script = workerScript(kernel);
  const helpers: Thread[] = [];
  for (let t = 1; t < wanted; t++) {
    const thread = startThread(script);
    if (thread) helpers.push(thread);
  }
  const views = arrays.map(shared);
  const counter = new Int32Array(new SharedArrayBuffer(4));
  const job = { arrays: views, params: [...params], counter, chunk, count };
  try {
    const running = helpers.map((thread) => thread.run(job));
    // Handled below; this keeps a worker's error from being unhandled if this thread throws first.
    for (const promise of running) promise.catch(() => undefined);
    // This thread works too, from the same counter.
    for (;;) {
      const from = Atomics.add(counter, 0, 1) * chunk;
      if (from >= count) break;
      kernel(views, params, from, Math.min(count, from + chunk));
    }
    await Promise.all(running);
  } finally {
    for (const thread of helpers) thread.close();
  }
  views.forEach((view, k) => {
    if (view !== arrays[k]) (arrays[k] as Float64Array).set(view);
  });
}
