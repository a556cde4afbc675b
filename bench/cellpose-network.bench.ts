import onnxProto from 'onnx-proto';
import { afterAll, bench, describe } from 'vitest';
import { expectedShapes } from '../src/cellpose/network/architecture.js';
import { buildCellposeOnnx } from '../src/cellpose/network/onnx-graph.js';
import { createNetworkSession } from '../src/cellpose/runtime.js';
import { seededRandom } from '../src/synth/random.js';
import { FULL_NBASE, randomCellposeWeights } from '../test/cellpose-weights.js';

// The full-width CPnet (nbase 2, 32, 64, 128, 256; random weights) on the tiles Cellpose feeds it
// for a 1011 × 1557 image: nuclei at diameter 170 (rescale 0.1 → one 128 × 176 tile) and cyto3
// at diameter 200 (rescale 0.15 → two 176 × 224 tiles). GFLOP/s = the GFLOP in the name / the
// mean time. The baseline is onnxruntime's own peak here: a plain stack of 3×3 convolutions,
// 128 → 128 channels on 56 × 56, in the same run. `npm run bench -- cellpose`

const { onnx } = onnxProto;

/** Multiply-adds ×2 of every convolution and Linear of CPnet on an h × w input. */
function cpnetGflop(h: number, w: number): number {
  let macs = 0;
  for (const [name, shape] of expectedShapes(FULL_NBASE, 3, 3)) {
    if (!name.endsWith('.weight') || shape.length < 2) continue;
    const level = Number(/res_(?:down|up)_(\d)/.exec(name)?.[1] ?? 0);
    const pixels = (h >> level) * (w >> level);
    macs += shape.length === 4 ? pixels * shape.reduce((a, b) => a * b, 1) : shape[0] * shape[1];
  }
  return (2 * macs) / 1e9;
}

/** `layers` 3×3 convolutions, c → c channels, as one ONNX model: the runtime's peak. */
function convStack(layers: number, channels: number): Uint8Array {
  const random = seededRandom(9);
  const nodes: onnxProto.onnx.INodeProto[] = [];
  const initializers: onnxProto.onnx.ITensorProto[] = [];
  for (let k = 0; k < layers; k++) {
    const weight = Float32Array.from(
      { length: channels * channels * 9 },
      () => (2 * random() - 1) / Math.sqrt(9 * channels),
    );
    initializers.push({
      name: `w${k}`,
      dims: [channels, channels, 3, 3],
      dataType: onnx.TensorProto.DataType.FLOAT,
      rawData: new Uint8Array(weight.buffer),
    });
    nodes.push({
      opType: 'Conv',
      input: [k === 0 ? 'input' : `x${k}`, `w${k}`],
      output: [k === layers - 1 ? 'output' : `x${k + 1}`],
      attribute: [
        { name: 'pads', type: onnx.AttributeProto.AttributeType.INTS, ints: [1, 1, 1, 1] },
      ],
    });
  }
  const info = (name: string): onnxProto.onnx.IValueInfoProto => ({
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: { dim: [1, channels, 56, 56].map((d) => ({ dimValue: d })) },
      },
    },
  });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'conv_stack',
      node: nodes,
      initializer: initializers,
      input: [info('input')],
      output: [info('output')],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

const random = seededRandom(1);
const input = (n: number, h: number, w: number): Float32Array =>
  Float32Array.from({ length: n * 2 * h * w }, () => 2 * random() - 1);

const cpnet = await createNetworkSession(buildCellposeOnnx(randomCellposeWeights()).model);
const STACK_LAYERS = 8;
const stack = await createNetworkSession(convStack(STACK_LAYERS, 128));
afterAll(async () => {
  await cpnet.release();
  await stack.release();
});

const stackGflop = (2 * STACK_LAYERS * 56 * 56 * 128 * 128 * 9) / 1e9;
const stackInput = Float32Array.from({ length: 128 * 56 * 56 }, () => 2 * random() - 1);
const nuclei = input(1, 128, 176);
const cyto = input(2, 176, 224);

describe('CPnet full width vs onnxruntime conv peak', () => {
  bench(
    `peak: ${STACK_LAYERS} conv3×3 128→128 on 56², ${stackGflop.toFixed(2)} GFLOP`,
    async () => {
      await stack.run({ input: { data: stackInput, dims: [1, 128, 56, 56] } });
    },
  );
  bench(`nuclei d170: 1 tile 128×176, ${cpnetGflop(128, 176).toFixed(2)} GFLOP`, async () => {
    await cpnet.run({ input: { data: nuclei, dims: [1, 2, 128, 176] } });
  });
  bench(`cyto3 d200: 2 tiles 176×224, ${(2 * cpnetGflop(176, 224)).toFixed(2)} GFLOP`, async () => {
    await cpnet.run({ input: { data: cyto, dims: [2, 2, 176, 224] } });
  });
});
