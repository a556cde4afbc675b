/// <reference lib="webworker" />
// One thread of the page's CPnet: runs whole tiles through cellscope's WebAssembly kernels.
import { createCpnetRunner, type CpnetRunner, type CpnetWeights } from 'cellscope/browser';

declare const self: DedicatedWorkerGlobalScope;

export type CpnetRequest =
  | { kind: 'weights'; weights: CpnetWeights }
  | { kind: 'tile'; id: number; tile: Float32Array; h: number; w: number };

export type CpnetResponse =
  | { kind: 'ready'; simd: 'relaxed' | 'plain' }
  | { kind: 'tile'; id: number; flows: Float32Array; style: Float32Array }
  | { kind: 'error'; message: string };

let runner: CpnetRunner | undefined;

self.onmessage = (event: MessageEvent<CpnetRequest>) => {
  const request = event.data;
  try {
    if (request.kind === 'weights') {
      runner = createCpnetRunner(request.weights);
      self.postMessage({ kind: 'ready', simd: runner.simd } satisfies CpnetResponse);
      return;
    }
    const { flows, style } = runner!.run(request.tile, 0, request.h, request.w);
    const message: CpnetResponse = { kind: 'tile', id: request.id, flows, style };
    self.postMessage(message, [flows.buffer, style.buffer]);
  } catch (error) {
    self.postMessage({ kind: 'error', message: String(error) } satisfies CpnetResponse);
  }
};
