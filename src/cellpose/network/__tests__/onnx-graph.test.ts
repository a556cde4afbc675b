import { describe, expect, it } from 'vitest';
import {
  HAS_SHARED,
  readSharedBytes,
  readSharedJson,
  readSharedNpy,
} from '../../../../test/shared.js';
import { seededRandom } from '../../../synth/random.js';
import { randomCellposeWeights } from '../../../../test/cellpose-weights.js';
import { createNetworkSession } from '../../runtime.js';
import { decodeStateDict } from '../../weights/state-dict.js';
import { encodeStateDict } from '../../weights/encode-state-dict.js';
import { cellposeArchitecture } from '../architecture.js';
import { buildCellposeOnnx } from '../onnx-graph.js';

const NET = 'fixtures/cellpose/net';

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

/** Rows [0, h) and columns [0, w) of an N×C×H×W tensor. */
function cropNchw(data: Float32Array, dims: readonly number[], h: number, w: number): Float32Array {
  const [n, c, height, width] = dims;
  const out = new Float32Array(n * c * h * w);
  for (let plane = 0; plane < n * c; plane++) {
    for (let y = 0; y < h; y++) {
      out.set(
        data.subarray((plane * height + y) * width, (plane * height + y) * width + w),
        (plane * h + y) * w,
      );
    }
  }
  return out;
}

describe.skipIf(!HAS_SHARED)('CPnet graph from cpnet_small_cyto.pth against PyTorch', () => {
  it('reproduces the output, style, deep features and the non-square crop within 1e-4', async () => {
    const weights = decodeStateDict(readSharedBytes(NET, 'cpnet_small_cyto.pth'));
    const { model, architecture } = buildCellposeOnnx(weights, { encoderOutputs: true });
    expect(architecture).toMatchObject({ nbase: [2, 8, 16, 32, 64], nout: 3, diamMean: 30 });
    const session = await createNetworkSession(model, { threads: 2 });
    try {
      const input = readSharedNpy(NET, 'input.npy');
      const data = input.data as Float32Array;
      const full = await session.run({ input: { data, dims: input.shape } });
      const checks: [string, Float32Array, string][] = [
        ['flows_cellprob', full.flows_cellprob.data, 'cyto_output.npy'],
        ['style', full.style.data, 'cyto_style.npy'],
        ['downsample_3', full.downsample_3.data, 'cyto_downsample_3.npy'],
      ];
      const crop = await session.run({
        input: { data: cropNchw(data, input.shape, 176, 208), dims: [1, 2, 176, 208] },
      });
      checks.push(['crop flows', crop.flows_cellprob.data, 'crop176x208_output.npy']);
      checks.push(['crop style', crop.style.data, 'crop176x208_style.npy']);
      for (const [name, ours, file] of checks) {
        const expected = readSharedNpy(NET, file).data as Float32Array;
        expect([name, maxAbsDifference(ours, expected) <= 1e-4]).toEqual([name, true]);
      }
    } finally {
      await session.release();
    }
  });
});

describe('full-width CPnet (nbase 2, 32, 64, 128, 256)', () => {
  it('converts from a .pth, runs, and has the manifest parameter count and shapes', async () => {
    const bytes = encodeStateDict(randomCellposeWeights({ seed: 11 }), { stem: 'cyto3_random' });
    const weights = decodeStateDict(bytes);
    const architecture = cellposeArchitecture(weights);
    expect(architecture.nbase).toEqual([2, 32, 64, 128, 256]);
    if (HAS_SHARED) {
      const manifest = readSharedJson<{
        net: { n_params_full_total: number; state_dict_full: [string, number[], string][] };
      }>('fixtures/cellpose/manifest.json');
      expect(architecture.parameterCount).toBe(manifest.net.n_params_full_total);
      const floatEntries = manifest.net.state_dict_full.filter(
        ([name]) => !name.endsWith('num_batches_tracked'),
      );
      expect([...weights].map(([name, t]) => [name, t.shape])).toEqual(
        floatEntries.map(([name, shape]) => [name, shape]),
      );
    }
    const { model } = buildCellposeOnnx(weights);
    const session = await createNetworkSession(model, { threads: 2 });
    try {
      const random = seededRandom(5);
      const input = Float32Array.from({ length: 2 * 2 * 64 * 96 }, random);
      const out = await session.run({ input: { data: input, dims: [2, 2, 64, 96] } });
      expect(out.flows_cellprob.dims).toEqual([2, 3, 64, 96]);
      expect(out.style.dims).toEqual([2, 256]);
      const style = out.style.data.subarray(0, 256);
      expect(Math.hypot(...style)).toBeCloseTo(1, 5);
      expect(out.flows_cellprob.data.every(Number.isFinite)).toBe(true);
    } finally {
      await session.release();
    }
  });
});
