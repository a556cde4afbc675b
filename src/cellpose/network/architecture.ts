import { ModelFormatError, UnsupportedError } from '../../errors.js';
import type { StateDict, TensorInfo } from '../weights/state-dict.js';

/** The shape of a Cellpose CPnet, read off its weights. */
export interface CellposeArchitecture {
  /** Channels per level, input first: `[2, 32, 64, 128, 256]` for cyto3 and nuclei. */
  readonly nbase: readonly number[];
  /** Output channels: 3 (dY, dX, cell probability) for Cellpose 1–3 models. */
  readonly nout: number;
  /** Convolution kernel size (3). */
  readonly kernel: number;
  /** The file's `diam_mean` (the mean object diameter it was trained at), if stored. */
  readonly diamMean?: number;
  /** The file's `diam_labels`, if stored. */
  readonly diamLabels?: number;
  /** Trainable parameters plus the two diameter scalars, as torch's `numel()` sum counts them. */
  readonly parameterCount: number;
}

const DOWN = (level: number): string => `downsample.down.res_down_${level}`;
const UP = (level: number): string => `upsample.up.res_up_${level}`;

/** The CPnet shape read off a state_dict's tensor shapes alone. */
export interface CpnetLayout {
  readonly nbase: readonly number[];
  readonly nout: number;
  readonly kernel: number;
}

/** Dtypes a CPnet's weights may be stored in; all are read as float32. */
const FLOAT_DTYPES: readonly string[] = ['float32', 'float16', 'bfloat16'];

/**
 * Reads the CPnet layout (Cellpose `resnet_torch.CPnet`) from tensor shapes alone: `nbase` from
 * the encoder's convolution shapes, `nout` from the output convolution, and checks that every
 * tensor the network needs is there with the shape and a float dtype that layout implies. Made
 * to run as `decodeStateDict`'s `validate`, before any value is read.
 *
 * Throws {@link UnsupportedError} for Cellpose-4 (transformer) weights and
 * {@link ModelFormatError} for anything that is not a complete CPnet.
 */
export function checkCpnetLayout(tensors: ReadonlyMap<string, TensorInfo>): CpnetLayout {
  if (tensors.has('W2')) {
    throw new UnsupportedError(
      'this is a Cellpose-4 (Cellpose-SAM) model, not a Cellpose 1–3 CPnet',
      {
        hint: 'use a Cellpose 3 model such as cyto3 or nuclei',
      },
    );
  }
  const get = (name: string): TensorInfo => {
    const tensor = tensors.get(name);
    if (!tensor) throw new ModelFormatError(`not a Cellpose CPnet: the weights lack ${name}`);
    return tensor;
  };
  const first = get(`${DOWN(0)}.conv.conv_0.2.weight`);
  if (first.shape.length !== 4) throw new ModelFormatError(`${DOWN(0)} is not a 2-D convolution`);
  const kernel = first.shape[2];
  const nbase = [first.shape[1]];
  for (let level = 0; tensors.has(`${DOWN(level)}.conv.conv_0.2.weight`); level++) {
    nbase.push(get(`${DOWN(level)}.conv.conv_0.2.weight`).shape[0]);
  }
  const nout = get('output.2.weight').shape[0];

  for (const [name, shape] of expectedShapes(nbase, nout, kernel)) {
    const tensor = get(name);
    if (tensor.shape.join() !== shape.join()) {
      throw new ModelFormatError(
        `not a Cellpose CPnet with nbase [${nbase.join(', ')}]: ${name} has shape ` +
          `[${tensor.shape.join(', ')}], expected [${shape.join(', ')}]`,
      );
    }
    if (!FLOAT_DTYPES.includes(tensor.dtype)) {
      throw new ModelFormatError(
        `${name} holds ${tensor.dtype} values; CPnet weights must be float32, float16 or bfloat16`,
        { hint: 'convert them in PyTorch with model.float() and save again' },
      );
    }
  }
  return { nbase, nout, kernel };
}

/**
 * The CPnet layout of a state_dict ({@link checkCpnetLayout}), its parameter count and its
 * diameters, refusing weights that hold NaN or infinite values.
 */
export function cellposeArchitecture(weights: StateDict): CellposeArchitecture {
  const { nbase, nout, kernel } = checkCpnetLayout(weights);
  for (const [name] of expectedShapes(nbase, nout, kernel)) {
    const { data } = weights.get(name)!;
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i])) {
        throw new ModelFormatError(
          `${name} holds ${String(data[i])} at index ${i}: the weights are corrupt (or training diverged)`,
        );
      }
    }
  }
  let parameterCount = 0;
  for (const [name, tensor] of weights) {
    if (
      name.endsWith('running_mean') ||
      name.endsWith('running_var') ||
      name.endsWith('num_batches_tracked')
    ) {
      continue;
    }
    parameterCount += tensor.data.length;
  }
  const scalar = (name: string): number | undefined => {
    const tensor = weights.get(name);
    if (!tensor || tensor.data.length !== 1) return undefined;
    const value = Number(tensor.data[0]);
    if (!(value > 0) || !Number.isFinite(value)) {
      throw new ModelFormatError(`${name} is ${value}; expected a positive diameter in pixels`);
    }
    return value;
  };
  return {
    nbase,
    nout,
    kernel,
    diamMean: scalar('diam_mean'),
    diamLabels: scalar('diam_labels'),
    parameterCount,
  };
}

/** Every float tensor CPnet(nbase, nout, sz) has, with its shape (resnet_torch.py). */
export function expectedShapes(
  nbase: readonly number[],
  nout: number,
  kernel: number,
): [string, number[]][] {
  const shapes: [string, number[]][] = [];
  const bn = (prefix: string, channels: number): void => {
    for (const part of ['weight', 'bias', 'running_mean', 'running_var']) {
      shapes.push([`${prefix}.${part}`, [channels]]);
    }
  };
  const conv = (prefix: string, out: number, input: number, size: number): void => {
    shapes.push([`${prefix}.weight`, [out, input, size, size]], [`${prefix}.bias`, [out]]);
  };
  const levels = nbase.length - 1;
  for (let level = 0; level < levels; level++) {
    const [input, out] = [nbase[level], nbase[level + 1]];
    for (let k = 0; k < 4; k++) {
      const cin = k === 0 ? input : out;
      bn(`${DOWN(level)}.conv.conv_${k}.0`, cin);
      conv(`${DOWN(level)}.conv.conv_${k}.2`, out, cin, kernel);
    }
    bn(`${DOWN(level)}.proj.0`, input);
    conv(`${DOWN(level)}.proj.1`, out, input, 1);
  }
  const up = [...nbase.slice(1), nbase[nbase.length - 1]];
  const styleChannels = nbase[nbase.length - 1];
  for (let level = 0; level < levels; level++) {
    const [input, out] = [up[level + 1], up[level]];
    bn(`${UP(level)}.conv.conv_0.0`, input);
    conv(`${UP(level)}.conv.conv_0.2`, out, input, kernel);
    for (let k = 1; k < 4; k++) {
      bn(`${UP(level)}.conv.conv_${k}.conv.0`, out);
      conv(`${UP(level)}.conv.conv_${k}.conv.2`, out, out, kernel);
      shapes.push([`${UP(level)}.conv.conv_${k}.full.weight`, [out, styleChannels]]);
      shapes.push([`${UP(level)}.conv.conv_${k}.full.bias`, [out]]);
    }
    bn(`${UP(level)}.proj.0`, input);
    conv(`${UP(level)}.proj.1`, out, input, 1);
  }
  bn('output.0', nbase[1]);
  conv('output.2', nout, nbase[1], 1);
  return shapes;
}
