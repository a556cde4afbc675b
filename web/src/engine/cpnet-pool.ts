// CPnet in the page on cellscope's WebAssembly kernels: one runner per worker, a batch's tiles
// shared out among them (whole tiles, so no thread waits on another within one).
import {
  cpnetModule,
  UnsupportedError,
  type CpnetWeights,
  type NetworkForward,
} from 'cellscope/browser';
import type { CpnetRequest, CpnetResponse } from './cpnet.worker.js';

export interface CpnetPool {
  forward: NetworkForward;
  /** What the page shows, e.g. "WebAssembly SIMD (relaxed), 2 threads". */
  backend: string;
  release(): Promise<void>;
}

/** The kernels' SIMD flavour here, or undefined where WebAssembly SIMD is missing. */
export function cpnetSimd(): 'relaxed' | 'plain' | undefined {
  try {
    return cpnetModule()?.simd;
  } catch {
    return undefined;
  }
}

/** Starts `threads` workers on the packed weights and waits until each has compiled its kernels. */
export async function openCpnetPool(weights: CpnetWeights, threads: number): Promise<CpnetPool> {
  const workers = Array.from(
    { length: threads },
    () => new Worker(new URL('./cpnet.worker.ts', import.meta.url), { type: 'module' }),
  );
  const release = async (): Promise<void> => workers.forEach((w) => w.terminate());
  let simd: string;
  try {
    const ready = await Promise.all(workers.map((w) => send(w, { kind: 'weights', weights })));
    simd = ready[0].kind === 'ready' ? ready[0].simd : 'plain';
  } catch (error) {
    await release();
    throw error;
  }
  let nextId = 0;
  const forward: NetworkForward = async (batch, n, height, width) => {
    const plane = height * width;
    const channels = batch.length / (n * plane);
    const outputs: Extract<CpnetResponse, { kind: 'tile' }>[] = [];
    let next = 0;
    // Each worker takes the next tile as soon as it is free.
    await Promise.all(
      workers.map(async (worker) => {
        for (let t = next++; t < n; t = next++) {
          const tile = batch.slice(t * channels * plane, (t + 1) * channels * plane);
          const request: CpnetRequest = { kind: 'tile', id: nextId++, tile, h: height, w: width };
          const reply = await send(worker, request, [tile.buffer]);
          if (reply.kind !== 'tile') throw new Error('unexpected reply from a CPnet worker');
          outputs[t] = reply;
        }
      }),
    );
    const tileLength = outputs[0].flows.length;
    const styleLength = outputs[0].style.length;
    const output = new Float32Array(n * tileLength);
    const style = new Float32Array(n * styleLength);
    outputs.forEach((o, t) => {
      output.set(o.flows, t * tileLength);
      style.set(o.style, t * styleLength);
    });
    return { output, style, styleLength };
  };
  const backend = `WebAssembly SIMD${simd === 'relaxed' ? ' (relaxed)' : ''}, ${threads} thread${threads === 1 ? '' : 's'}`;
  return { forward, backend, release };
}

/** Posts one request and resolves with the worker's reply (an error reply rejects). */
function send(worker: Worker, request: CpnetRequest, transfer: Transferable[] = []) {
  return new Promise<CpnetResponse>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<CpnetResponse>) => {
      const reply = event.data;
      if (reply.kind === 'error') reject(new UnsupportedError(`CPnet worker: ${reply.message}`));
      else resolve(reply);
    };
    worker.onerror = (event) => reject(new Error(`a CPnet worker failed: ${event.message}`));
    worker.postMessage(request, transfer);
  });
}
