import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HAS_SHARED, readSharedBytes, readSharedNpy } from '../../../../test/shared.js';
import { randomCellposeWeights } from '../../../../test/cellpose-weights.js';
import { seededRandom } from '../../../synth/random.js';
import { createNetworkSession } from '../../runtime.js';
import { decodeStateDict, type StateDict } from '../../weights/state-dict.js';
import { buildCellposeOnnx } from '../onnx-graph.js';
import { packCpnetWeights } from '../cpnet-weights.js';
import { cpnetModule, createCpnetRunner, type CpnetRunner } from '../cpnet-wasm.js';

const NET = 'fixtures/cellpose/net';
// Node 20 has no relaxed SIMD; where it has, both flavours are checked.
const FLAVOURS = (['plain', 'relaxed'] as const).filter((simd) => cpnetModule(simd));

/** Largest |a − b| over the largest |b|. */
function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    worst = Math.max(worst, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return worst / scale;
}

/** Every tile of an N×C×H×W batch through the runner, as one output and one style array. */
function runAll(runner: CpnetRunner, data: Float32Array, n: number, h: number, w: number) {
  const tiles = Array.from({ length: n }, (_, t) => runner.run(data, t, h, w));
  const join = (parts: Float32Array[]) => {
    const out = new Float32Array(parts.reduce((sum, p) => sum + p.length, 0));
    parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
    return out;
  };
  return { flows: join(tiles.map((t) => t.flows)), style: join(tiles.map((t) => t.style)) };
}

/** onnxruntime-node on the ONNX graph of the same weights. */
async function reference(weights: StateDict, data: Float32Array, dims: number[]) {
  const session = await createNetworkSession(buildCellposeOnnx(weights).model, { threads: 1 });
  try {
    const out = await session.run({ input: { data, dims } });
    return { flows: out.flows_cellprob.data, style: out.style.data };
  } finally {
    await session.release();
  }
}

describe.each(FLAVOURS)('CPnet in cellscope WebAssembly kernels (%s SIMD)', (simd) => {
  it.skipIf(!HAS_SHARED)('matches PyTorch on cpnet_small_cyto.pth within 1e-4', () => {
    const weights = decodeStateDict(readSharedBytes(NET, 'cpnet_small_cyto.pth'));
    const input = readSharedNpy(NET, 'input.npy');
    const [n, , h, w] = input.shape;
    const runner = createCpnetRunner(packCpnetWeights(weights), { simd });
    const ours = runAll(runner, input.data as Float32Array, n, h, w);
    const flows = readSharedNpy(NET, 'cyto_output.npy').data as Float32Array;
    const style = readSharedNpy(NET, 'cyto_style.npy').data as Float32Array;
    let worst = 0;
    for (let i = 0; i < flows.length; i++)
      worst = Math.max(worst, Math.abs(ours.flows[i] - flows[i]));
    expect(worst).toBeLessThanOrEqual(1e-4);
    for (let i = 0; i < style.length; i++)
      worst = Math.max(worst, Math.abs(ours.style[i] - style[i]));
    expect(worst).toBeLessThanOrEqual(1e-4);
  });

  it('matches onnxruntime on odd channel counts and an odd deepest width', async () => {
    // nbase 2, 8, 24, 40: every count padded; 36 px wide is 9 at the third level.
    const weights = randomCellposeWeights({ nbase: [2, 8, 24, 40], seed: 3 });
    const random = seededRandom(9);
    const [n, h, w] = [2, 24, 36];
    const data = Float32Array.from({ length: n * 2 * h * w }, () => 4 * random() - 1);
    const ours = runAll(createCpnetRunner(packCpnetWeights(weights), { simd }), data, n, h, w);
    const expected = await reference(weights, data, [n, 2, h, w]);
    expect(relativeError(ours.flows, expected.flows)).toBeLessThan(1e-5);
    expect(relativeError(ours.style, expected.style)).toBeLessThan(1e-5);
  });

  it('matches onnxruntime on the packaged nuclei model, across tile sizes', async () => {
    const weights = decodeStateDict(
      new Uint8Array(
        readFileSync(new URL('../../../../models/cellscope-nuclei.pth', import.meta.url)),
      ),
    );
    const runner = createCpnetRunner(packCpnetWeights(weights), { simd });
    const random = seededRandom(4);
    // A new size lays the buffers out again; going back must not see the other size's values.
    for (const [h, w] of [
      [64, 96],
      [32, 32],
      [64, 96],
    ]) {
      const data = Float32Array.from({ length: 2 * h * w }, () => 3 * random() - 0.5);
      const ours = runAll(runner, data, 1, h, w);
      const expected = await reference(weights, data, [1, 2, h, w]);
      expect(relativeError(ours.flows, expected.flows)).toBeLessThan(1e-5);
      expect(relativeError(ours.style, expected.style)).toBeLessThan(1e-5);
    }
  });
});

it('refuses tiles that the pooling levels cannot halve', () => {
  const runner = createCpnetRunner(packCpnetWeights(randomCellposeWeights({ nbase: [2, 8, 16] })));
  expect(() => runner.run(new Float32Array(2 * 31 * 32), 0, 31, 32)).toThrow(/multiples of 2/);
});
