import { cellposeArchitecture } from './architecture.js';
import type { StateDict } from '../weights/state-dict.js';

const BN_EPSILON = 1e-5; // torch.nn.BatchNorm2d default, as onnx-graph.ts builds it

/** A convolution laid out for cpnet.wat: weights `[ky][kx][ci][co]`, channels padded. */
export interface CpnetConv {
  /** Kernel size (3, or 1 for the projections and the output). */
  k: number;
  /** Input channels as stored: the producing tensor's padded count. */
  cin: number;
  /** Output channels, padded to a multiple of 16 (the kernel's block). */
  cout: number;
  weights: Float32Array;
  bias: Float32Array;
}

/** Eval-mode BatchNorm as `x · scale + shift` per channel, padded with zeros. */
export interface CpnetAffine {
  scale: Float32Array;
  shift: Float32Array;
}

/** BatchNorm (then ReLU unless a projection) then a convolution, as CPnet's batchconv. */
export interface CpnetBatchConv {
  norm: CpnetAffine;
  conv: CpnetConv;
  /** batchconvstyle's Linear(style), `[channel][style]` as torch stores it. */
  style?: { weight: Float32Array; bias: Float32Array; length: number };
}

/** A residual block: four batchconvs and the 1×1 projection of its input. */
export interface CpnetBlock {
  convs: [CpnetBatchConv, CpnetBatchConv, CpnetBatchConv, CpnetBatchConv];
  proj: CpnetBatchConv;
}

/** A CPnet's weights rearranged for the WebAssembly kernels (plain arrays: they can be posted). */
export interface CpnetWeights {
  nbase: number[];
  nout: number;
  /** Padded input channels (a multiple of 4). */
  inputChannels: number;
  down: CpnetBlock[];
  up: CpnetBlock[];
  output: CpnetBatchConv;
}

/** Output channels of a convolution as stored: the kernel writes 16 at a time. */
export const padChannels = (c: number): number => 16 * Math.ceil(c / 16);

/**
 * Rearranges a Cellpose CPnet state_dict (resnet_torch.py) for cpnet.wat, following the graph
 * onnx-graph.ts builds: convolutions channels-last with padded channels (zero weights, so the
 * padding stays zero), BatchNorms folded into a per-channel scale and shift.
 */
export function packCpnetWeights(weights: StateDict): CpnetWeights {
  const { nbase, nout } = cellposeArchitecture(weights);
  const levels = nbase.length - 1;
  const inputChannels = 4 * Math.ceil(nbase[0] / 4);
  const get = (name: string): { data: Float32Array; shape: readonly number[] } => {
    const tensor = weights.get(name);
    if (!tensor) throw new Error(`missing ${name}`); // cellposeArchitecture checked them all
    return { data: tensor.data as Float32Array, shape: tensor.shape };
  };
  const norm = (prefix: string, channels: number): CpnetAffine => {
    const [gamma, beta, mean, variance] = ['weight', 'bias', 'running_mean', 'running_var'].map(
      (p) => get(`${prefix}.${p}`).data,
    );
    const scale = new Float32Array(channels);
    const shift = new Float32Array(channels);
    for (let c = 0; c < gamma.length; c++) {
      scale[c] = gamma[c] / Math.sqrt(variance[c] + BN_EPSILON);
      shift[c] = beta[c] - mean[c] * scale[c];
    }
    return { scale, shift };
  };
  const conv = (prefix: string, cin: number): CpnetConv => {
    const { data, shape } = get(`${prefix}.weight`);
    const [co0, ci0, k] = shape;
    const cout = padChannels(co0);
    const packed = new Float32Array(k * k * cin * cout);
    for (let co = 0; co < co0; co++)
      for (let ci = 0; ci < ci0; ci++)
        for (let ky = 0; ky < k; ky++)
          for (let kx = 0; kx < k; kx++)
            packed[((ky * k + kx) * cin + ci) * cout + co] =
              data[((co * ci0 + ci) * k + ky) * k + kx];
    const bias = new Float32Array(cout);
    bias.set(get(`${prefix}.bias`).data);
    return { k, cin, cout, weights: packed, bias };
  };
  // batchconv's layers are `.0` (BatchNorm) and `.2` (conv); batchconv0's `.0` and `.1`.
  const batchconv = (prefix: string, cin: number, convAt = 2): CpnetBatchConv => ({
    norm: norm(`${prefix}.0`, cin),
    conv: conv(`${prefix}.${convAt}`, cin),
  });
  const styled = (prefix: string, cin: number): CpnetBatchConv => {
    const { data, shape } = get(`${prefix}.full.weight`);
    return {
      ...batchconv(`${prefix}.conv`, cin),
      style: { weight: data, bias: get(`${prefix}.full.bias`).data, length: shape[1] },
    };
  };

  const down: CpnetBlock[] = [];
  for (let level = 0; level < levels; level++) {
    const prefix = `downsample.down.res_down_${level}`;
    const cin = level === 0 ? inputChannels : padChannels(nbase[level]);
    const c = padChannels(nbase[level + 1]);
    down.push({
      convs: [
        batchconv(`${prefix}.conv.conv_0`, cin),
        batchconv(`${prefix}.conv.conv_1`, c),
        batchconv(`${prefix}.conv.conv_2`, c),
        batchconv(`${prefix}.conv.conv_3`, c),
      ],
      proj: batchconv(`${prefix}.proj`, cin, 1),
    });
  }
  const up: CpnetBlock[] = [];
  for (let level = 0; level < levels; level++) {
    const prefix = `upsample.up.res_up_${level}`;
    // The bottom block reads the deepest features; the others the block below, upsampled.
    const cin = padChannels(nbase[Math.min(level + 2, levels)]);
    const c = padChannels(nbase[level + 1]);
    up.push({
      convs: [
        batchconv(`${prefix}.conv.conv_0`, cin),
        styled(`${prefix}.conv.conv_1`, c),
        styled(`${prefix}.conv.conv_2`, c),
        styled(`${prefix}.conv.conv_3`, c),
      ],
      proj: batchconv(`${prefix}.proj`, cin, 1),
    });
  }
  const output = batchconv('output', padChannels(nbase[1]));
  return { nbase: [...nbase], nout, inputChannels, down, up, output };
}
