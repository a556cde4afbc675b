import { ModelFormatError } from '../errors.js';
import { readNpyHeader } from '../io/npy.js';
import { PickleGlobal, unpickle, type Buildable } from './weights/pickle.js';

/**
 * Cellpose's size model (`models.SizeModel`, a `size_<model>.npy` file): a ridge regression
 * from the network's style vector to log(diameter).
 */
export interface SizeModel {
  /** Regression weights, one per style element (256 for cyto3 / nuclei). */
  readonly A: Float64Array;
  /** Mean style of the training set. */
  readonly smean: Float64Array;
  /** Mean of log(diameter) − log(diam_mean) over the training set. */
  readonly ymean: number;
  /** The diameter the model's network was trained at (30 for cyto3, 17 for nuclei). */
  readonly diamMean: number;
}

/**
 * Reads a `size_*.npy` file: `np.save` of the pickled dict `{A, smean, ymean, diam_mean}`.
 * The pickle is read by the data-only reader: only numpy arrays, dtypes and scalars can appear.
 */
export function decodeSizeModel(bytes: Uint8Array, file?: string): SizeModel {
  const { descr, shape, dataStart } = readNpyHeader(bytes, file);
  if (descr !== '|O' || shape.length !== 0) {
    throw new ModelFormatError(`not a Cellpose size model: a ${descr} array of shape (${shape})`, {
      file,
    });
  }
  let value: unknown;
  try {
    value = unpickle(bytes.subarray(dataStart), { callables: NUMPY_CALLABLES }).value;
  } catch (error) {
    if (error instanceof ModelFormatError) throw new ModelFormatError(error.message, { file });
    throw error;
  }
  const dict =
    value instanceof NumpyArray && value.objects?.length === 1 ? value.objects[0] : value;
  if (!(dict instanceof Map)) {
    throw new ModelFormatError('not a Cellpose size model: no {A, smean, ymean, diam_mean} dict', {
      file,
    });
  }
  const vector = (name: string): Float64Array => {
    const entry = dict.get(name);
    if (!(entry instanceof NumpyArray) || !entry.values || entry.shape.length !== 1) {
      throw new ModelFormatError(`size model: ${name} is not a 1-D numeric array`, { file });
    }
    return Float64Array.from(entry.values);
  };
  const scalar = (name: string): number => {
    const entry = dict.get(name);
    const number =
      entry instanceof NumpyArray && entry.values?.length === 1 ? entry.values[0] : entry;
    if (typeof number !== 'number' || !Number.isFinite(number)) {
      throw new ModelFormatError(`size model: ${name} is not a number`, { file });
    }
    return number;
  };
  const model = {
    A: vector('A'),
    smean: vector('smean'),
    ymean: scalar('ymean'),
    diamMean: scalar('diam_mean'),
  };
  if (model.A.length !== model.smean.length) {
    throw new ModelFormatError('size model: A and smean differ in length', { file });
  }
  return model;
}

/**
 * The first-stage diameter from a style vector (`SizeModel._size_estimation`):
 * `max(5, exp(A·(style − smean) + log(diam_mean) + ymean))`, or `diam_mean` where that is 0 or
 * NaN. A shorter style (a narrower network) is zero-padded to A's length, as Cellpose's 256-long
 * style buffer does.
 */
export function diameterFromStyle(style: ArrayLike<number>, model: SizeModel): number {
  if (style.length > model.A.length) {
    throw new ModelFormatError(
      `style has ${style.length} values, the size model ${model.A.length}`,
    );
  }
  let dot = 0;
  for (let i = 0; i < model.A.length; i++) {
    dot += model.A[i] * ((i < style.length ? style[i] : 0) - model.smean[i]);
  }
  const diameter = Math.max(5, Math.exp(dot + Math.log(model.diamMean) + model.ymean));
  return diameter > 0 && !Number.isNaN(diameter) ? diameter : model.diamMean;
}

/** A numpy array being rebuilt by `_reconstruct` + `BUILD`. */
class NumpyArray implements Buildable {
  shape: number[] = [];
  values?: Float64Array;
  objects?: unknown[];

  setState(state: unknown): void {
    if (!Array.isArray(state) || state.length !== 5)
      throw new ModelFormatError('malformed numpy array state');
    const [, shape, dtype, fortran, data] = state as [unknown, number[], unknown, boolean, unknown];
    if (!(dtype instanceof NumpyDtype) || fortran)
      throw new ModelFormatError('unsupported numpy array layout');
    this.shape = [...shape];
    const count = this.shape.reduce((a, b) => a * b, 1);
    if (dtype.kind === 'O') {
      if (!Array.isArray(data) || data.length !== count)
        throw new ModelFormatError('malformed object array');
      this.objects = data;
      return;
    }
    if (!(data instanceof Uint8Array)) throw new ModelFormatError('numpy array data is not bytes');
    this.values = dtype.decode(data, count);
  }
}

/** A numpy dtype: `dtype('f8', False, True)` then `BUILD` with its byte order. */
class NumpyDtype implements Buildable {
  littleEndian = true;

  constructor(readonly kind: string) {}

  setState(state: unknown): void {
    if (Array.isArray(state) && typeof state[1] === 'string') this.littleEndian = state[1] !== '>';
  }

  /** `count` values of this dtype from raw bytes, as numbers. */
  decode(bytes: Uint8Array, count: number): Float64Array {
    const size = Number(this.kind.slice(1));
    const readers: Record<string, (view: DataView, at: number, little: boolean) => number> = {
      f4: (v, at, le) => v.getFloat32(at, le),
      f8: (v, at, le) => v.getFloat64(at, le),
      i4: (v, at, le) => v.getInt32(at, le),
      i8: (v, at, le) => Number(v.getBigInt64(at, le)),
    };
    const read = readers[this.kind];
    if (!read || bytes.length < count * size) {
      throw new ModelFormatError(
        `numpy dtype ${this.kind} with ${bytes.length} bytes is not supported`,
      );
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return Float64Array.from({ length: count }, (_, i) => read(view, i * size, this.littleEndian));
  }
}

const reconstruct = (args: unknown[]): NumpyArray => {
  if (!(args[0] instanceof PickleGlobal) || args[0].name !== 'ndarray') {
    throw new ModelFormatError('numpy _reconstruct of something other than ndarray');
  }
  return new NumpyArray();
};
const dtype = (args: unknown[]): NumpyDtype => {
  if (typeof args[0] !== 'string') throw new ModelFormatError('malformed numpy dtype');
  return new NumpyDtype(args[0] === 'O8' ? 'O' : args[0]);
};
const scalar = (args: unknown[]): number => {
  const [type, data] = args;
  if (!(type instanceof NumpyDtype) || !(data instanceof Uint8Array)) {
    throw new ModelFormatError('malformed numpy scalar');
  }
  return type.decode(data, 1)[0];
};

/** What `np.save(allow_pickle=True)` of a dict of arrays and floats may refer to (NumPy 1 and 2 names). */
const NUMPY_CALLABLES: Record<string, (args: unknown[]) => unknown> = {
  'numpy.core.multiarray._reconstruct': reconstruct,
  'numpy._core.multiarray._reconstruct': reconstruct,
  'numpy.core.multiarray.scalar': scalar,
  'numpy._core.multiarray.scalar': scalar,
  'numpy.dtype': dtype,
  'numpy.ndarray': () => {
    throw new ModelFormatError('numpy.ndarray called directly');
  },
};
