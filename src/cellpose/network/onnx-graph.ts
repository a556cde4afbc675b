import onnxProto from 'onnx-proto';
import type { StateDict } from '../weights/state-dict.js';
import { cellposeArchitecture, type CellposeArchitecture } from './architecture.js';

const { onnx } = onnxProto;

export interface CellposeOnnxOptions {
  /** Also output the encoder's four feature maps as `downsample_0` … `downsample_3`. */
  encoderOutputs?: boolean;
}

/** Names of the graph's input and outputs, as the Cellpose fixtures' ONNX files use them. */
export const CELLPOSE_ONNX_NAMES = {
  input: 'input',
  flows: 'flows_cellprob',
  style: 'style',
} as const;

/** The ONNX metadata key holding the CellposeArchitecture as JSON. */
export const CELLPOSE_ONNX_ARCHITECTURE_KEY = 'cellscope.cellpose.architecture';

const BN_EPSILON = 1e-5; // torch.nn.BatchNorm2d default, as Cellpose builds it
const OPSET = 17;

/**
 * Builds Cellpose's CPnet (resnet_torch.py) as an ONNX model, opset 17, from a state_dict:
 * input `input` [N, 2, H, W] float32 (H, W multiples of 8), outputs `flows_cellprob`
 * [N, nout, H, W] (dY, dX, cell-probability logit) and `style` [N, nbase[-1]] (the spatial mean
 * of the deepest features divided by its L2 norm, which is Cellpose's `make_style`).
 * BatchNorm stays an eval-mode BatchNormalization node (running statistics).
 */
export function buildCellposeOnnx(
  weights: StateDict,
  options: CellposeOnnxOptions = {},
): { model: Uint8Array; architecture: CellposeArchitecture } {
  const architecture = cellposeArchitecture(weights);
  const graph = new GraphBuilder(weights);
  const { nbase, nout } = architecture;
  const levels = nbase.length - 1;

  // Encoder: resdown blocks, 2×2 max-pooling between levels.
  const features: string[] = [];
  let x: string = CELLPOSE_ONNX_NAMES.input;
  for (let level = 0; level < levels; level++) {
    if (level > 0) x = graph.node('MaxPool', [x], { kernel_shape: [2, 2], strides: [2, 2] });
    x = graph.resdown(`downsample.down.res_down_${level}`, x);
    features.push(x);
  }

  // make_style: spatial mean, then divide by the L2 norm (no epsilon, as Cellpose).
  const mean = graph.node('ReduceMean', [features[levels - 1]], { axes: [2, 3], keepdims: 0 });
  const norm = graph.node('ReduceL2', [mean], { axes: [1], keepdims: 1 });
  const style = graph.node('Div', [mean, norm], {}, CELLPOSE_ONNX_NAMES.style);

  // Decoder: the bottom block takes the deepest features as input and skip; nearest ×2 upsampling.
  x = graph.resup(
    `upsample.up.res_up_${levels - 1}`,
    features[levels - 1],
    features[levels - 1],
    style,
  );
  for (let level = levels - 2; level >= 0; level--) {
    x = graph.node('Resize', [x, '', graph.constant('up2', Float32Array.of(1, 1, 2, 2), [4])], {
      mode: 'nearest',
      coordinate_transformation_mode: 'asymmetric',
      nearest_mode: 'floor',
    });
    x = graph.resup(`upsample.up.res_up_${level}`, x, features[level], style);
  }
  graph.batchconv('output', x, CELLPOSE_ONNX_NAMES.flows);

  const outputs = [
    graph.valueInfo(CELLPOSE_ONNX_NAMES.flows, ['N', nout, 'H', 'W']),
    graph.valueInfo(CELLPOSE_ONNX_NAMES.style, ['N', nbase[levels]]),
  ];
  if (options.encoderOutputs) {
    features.forEach((name, level) => {
      const exposed = graph.node('Identity', [name], {}, `downsample_${level}`);
      outputs.push(graph.valueInfo(exposed, ['N', nbase[level + 1], `H${level}`, `W${level}`]));
    });
  }
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'cellscope',
    // The architecture travels with the graph, so an exported .onnx opens like its .pth.
    metadataProps: [{ key: CELLPOSE_ONNX_ARCHITECTURE_KEY, value: JSON.stringify(architecture) }],
    opsetImport: [{ domain: '', version: OPSET }],
    graph: {
      name: `cellpose_cpnet_${nbase.join('_')}`,
      node: graph.nodes,
      initializer: graph.initializers,
      input: [graph.valueInfo(CELLPOSE_ONNX_NAMES.input, ['N', nbase[0], 'H', 'W'])],
      output: outputs,
    },
  });
  return { model: onnx.ModelProto.encode(model).finish(), architecture };
}

type AttributeValue = number | string | number[];

/** Accumulates nodes and initializers, naming intermediate values `v0`, `v1`, … */
class GraphBuilder {
  readonly nodes: onnxProto.onnx.INodeProto[] = [];
  readonly initializers: onnxProto.onnx.ITensorProto[] = [];
  readonly #used = new Set<string>();
  #next = 0;

  constructor(readonly weights: StateDict) {}

  node(
    type: string,
    inputs: string[],
    attributes: Record<string, AttributeValue> = {},
    output?: string,
  ): string {
    const name = output ?? `v${this.#next++}`;
    this.nodes.push({
      opType: type,
      input: inputs,
      output: [name],
      name: `${type}_${this.nodes.length}`,
      attribute: Object.entries(attributes).map(([key, value]) => attribute(key, value)),
    });
    return name;
  }

  /** A state_dict tensor as an initializer (each added once). */
  weight(name: string, shape?: number[]): string {
    if (!this.#used.has(name)) {
      const tensor = this.weights.get(name);
      if (!tensor) throw new Error(`missing ${name}`); // cellposeArchitecture checked them all
      this.constant(name, tensor.data as Float32Array, shape ?? [...tensor.shape]);
      this.#used.add(name);
    }
    return name;
  }

  constant(name: string, values: Float32Array | BigInt64Array, dims: number[]): string {
    if (this.initializers.some((t) => t.name === name)) return name;
    this.initializers.push({
      name,
      dims,
      dataType:
        values instanceof Float32Array
          ? onnx.TensorProto.DataType.FLOAT
          : onnx.TensorProto.DataType.INT64,
      rawData: new Uint8Array(
        values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength),
      ),
    });
    return name;
  }

  valueInfo(name: string, dims: (number | string)[]): onnxProto.onnx.IValueInfoProto {
    return {
      name,
      type: {
        tensorType: {
          elemType: onnx.TensorProto.DataType.FLOAT,
          shape: {
            dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })),
          },
        },
      },
    };
  }

  batchNorm(prefix: string, x: string): string {
    const inputs = ['weight', 'bias', 'running_mean', 'running_var'].map((p) =>
      this.weight(`${prefix}.${p}`),
    );
    return this.node('BatchNormalization', [x, ...inputs], { epsilon: BN_EPSILON });
  }

  conv(prefix: string, x: string, output?: string): string {
    const size = this.weights.get(`${prefix}.weight`)?.shape[2] ?? 1;
    const pad = size >> 1;
    return this.node(
      'Conv',
      [x, this.weight(`${prefix}.weight`), this.weight(`${prefix}.bias`)],
      { kernel_shape: [size, size], pads: [pad, pad, pad, pad] },
      output,
    );
  }

  /** batchconv: BatchNorm → ReLU → conv (pre-activation). */
  batchconv(prefix: string, x: string, output?: string): string {
    return this.conv(`${prefix}.2`, this.node('Relu', [this.batchNorm(`${prefix}.0`, x)]), output);
  }

  /** batchconv0: BatchNorm → conv, no ReLU (the 1×1 projections). */
  batchconv0(prefix: string, x: string): string {
    return this.conv(`${prefix}.1`, this.batchNorm(`${prefix}.0`, x));
  }

  /** batchconvstyle: (x + skip) + Linear(style) per channel, then batchconv. */
  batchconvstyle(prefix: string, x: string, style: string, skip?: string): string {
    const input = skip ? this.node('Add', [x, skip]) : x;
    const feature = this.node(
      'Gemm',
      [style, this.weight(`${prefix}.full.weight`), this.weight(`${prefix}.full.bias`)],
      {
        transB: 1,
      },
    );
    const axes = this.constant('axes_2_3', BigInt64Array.of(2n, 3n), [2]);
    const added = this.node('Add', [input, this.node('Unsqueeze', [feature, axes])]);
    return this.batchconv(`${prefix}.conv`, added);
  }

  /** resdown: a = proj(x) + conv1(conv0(x)); a + conv3(conv2(a)). */
  resdown(prefix: string, x: string): string {
    const inner = this.batchconv(
      `${prefix}.conv.conv_1`,
      this.batchconv(`${prefix}.conv.conv_0`, x),
    );
    const a = this.node('Add', [this.batchconv0(`${prefix}.proj`, x), inner]);
    const tail = this.batchconv(
      `${prefix}.conv.conv_3`,
      this.batchconv(`${prefix}.conv.conv_2`, a),
    );
    return this.node('Add', [a, tail]);
  }

  /** resup: a = proj(x) + conv1(style, conv0(x), skip); a + conv3(style, conv2(style, a)). */
  resup(prefix: string, x: string, skip: string, style: string): string {
    const first = this.batchconv(`${prefix}.conv.conv_0`, x);
    const inner = this.batchconvstyle(`${prefix}.conv.conv_1`, first, style, skip);
    const a = this.node('Add', [this.batchconv0(`${prefix}.proj`, x), inner]);
    const second = this.batchconvstyle(`${prefix}.conv.conv_2`, a, style);
    return this.node('Add', [a, this.batchconvstyle(`${prefix}.conv.conv_3`, second, style)]);
  }
}

function attribute(name: string, value: AttributeValue): onnxProto.onnx.IAttributeProto {
  const { AttributeType } = onnx.AttributeProto;
  if (typeof value === 'string')
    return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) return { name, type: AttributeType.INTS, ints: value };
  if (Number.isInteger(value) && name !== 'epsilon')
    return { name, type: AttributeType.INT, i: value };
  return { name, type: AttributeType.FLOAT, f: value };
}
