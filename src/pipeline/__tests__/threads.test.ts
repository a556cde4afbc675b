import { describe, expect, it, vi } from 'vitest';
import { cellposeModelFromForward } from '../../cellpose/cellpose-model.js';
import { createStack } from '../../image/stack.js';
import { parseAnalysisConfig } from '../config.js';
import { segmentImage } from '../segment-image.js';
import { segmentWithModels, type ModelCache } from '../segment-with-models.js';
import { threadsPerWorker } from '../threads.js';

// The `threads` option (config, library, `--threads`) reaches Cellpose's dynamics and network,
// and a batch's workers share it instead of each starting the machine's cores.

const seen = vi.hoisted(() => ({
  chunkThreads: [] as (number | undefined)[],
  loaded: [] as unknown[],
}));

// Every dynamics kernel (flow following, the flow-error diffusion) runs through runChunks.
vi.mock('../../image/run-chunks.js', async (original) => {
  const actual = await original<typeof import('../../image/run-chunks.js')>();
  return {
    ...actual,
    runChunks: (...args: Parameters<typeof actual.runChunks>) => {
      seen.chunkThreads.push(args[4].threads);
      return actual.runChunks(...args);
    },
  };
});
vi.mock('../../cellpose/model.js', () => ({
  loadCellposeModel: async (name: string, options: unknown) => {
    seen.loaded.push(options);
    return blobModel();
  },
}));

const ARCHITECTURE = { nbase: [2, 32, 64, 128, 256], nout: 3, kernel: 3, parameterCount: 0 };

/** A stand-in network: cell probability where the first channel is bright, flows up its slope. */
function blobModel() {
  return cellposeModelFromForward(ARCHITECTURE, async (batch, n, height, width) => {
    const plane = height * width;
    const output = new Float32Array(n * 3 * plane);
    for (let t = 0; t < n; t++) {
      const input = batch.subarray(t * 2 * plane, t * 2 * plane + plane);
      const out = t * 3 * plane;
      for (let y = 1; y < height - 1; y++) {
        for (let x = 1; x < width - 1; x++) {
          const i = y * width + x;
          output[out + i] = 5 * (input[i + width] - input[i - width]);
          output[out + plane + i] = 5 * (input[i + 1] - input[i - 1]);
          output[out + 2 * plane + i] = input[i] > 0.3 ? 4 : -4;
        }
      }
    }
    return { output, style: new Float32Array(n * 256).fill(1 / 16) };
  });
}

/** Two bright discs on a dark field. */
const stack = createStack(
  [0, 1].map(() => ({
    width: 64,
    height: 48,
    data: Uint16Array.from({ length: 64 * 48 }, (_, i) => {
      const y = Math.floor(i / 64);
      const x = i % 64;
      const d = Math.min(Math.hypot(y - 20, x - 18), Math.hypot(y - 28, x - 46));
      return Math.round(1000 * Math.exp(-(d * d) / 60));
    }),
  })),
);
const config = (threads?: number) =>
  parseAnalysisConfig({
    channels: { nuclei: 0, cytoplasm: 1 },
    nuclei: { method: 'cellpose', model: 'stub', diameter: 17, flowThreshold: 0 },
    cells: { method: 'from-nuclei' },
    ...(threads && { threads }),
  });

describe('threadsPerWorker', () => {
  it.each([
    [8, 1, 8],
    [8, 3, 2],
    [2, 2, 1],
    [2, 4, 1],
    [16, 5, 3],
  ])('%i threads over %i workers: %i each', (threads, workers, each) => {
    expect(threadsPerWorker(threads, workers)).toBe(each);
  });
});

describe('threads reach the Cellpose dynamics', () => {
  it('from the option, then the config, with the same masks for 1 and 3 threads', async () => {
    const models: ModelCache = new Map([['stub', Promise.resolve(blobModel())]]);
    const masks = [];
    for (const [options, fromConfig] of [
      [1, undefined],
      [3, undefined],
      [undefined, 2],
    ] as const) {
      seen.chunkThreads.length = 0;
      const result = await segmentWithModels(stack, config(fromConfig), {
        models,
        threads: options,
      });
      expect(seen.chunkThreads.length).toBeGreaterThan(0);
      expect(new Set(seen.chunkThreads)).toEqual(new Set([options ?? fromConfig]));
      masks.push(result.nucleusLabels.data);
    }
    expect(Math.max(...masks[0])).toBe(2);
    expect(masks[1]).toEqual(masks[0]);
    expect(masks[2]).toEqual(masks[0]);
  });

  it('and to the network of the models segmentImage opens', async () => {
    seen.loaded.length = 0;
    seen.chunkThreads.length = 0;
    await segmentImage(stack, config(4), { threads: 1 });
    expect(seen.loaded).toEqual([{ download: false, threads: 1 }]);
    expect(new Set(seen.chunkThreads)).toEqual(new Set([1]));
  });
});
