import { unzipSync } from 'fflate';
import { ModelFormatError, UnsupportedError } from '../../errors.js';
import { PickleGlobal, unpickle } from './pickle.js';

/** Element types of PyTorch storages this reader accepts. */
export type TensorDtype =
  | 'float32'
  | 'float16'
  | 'bfloat16'
  | 'float64'
  | 'int64'
  | 'int32'
  | 'int16'
  | 'int8'
  | 'uint8'
  | 'bool';

/** One tensor of a state_dict, contiguous in C order. */
export interface Tensor {
  /** The storage's element type in the file. */
  readonly dtype: TensorDtype;
  readonly shape: readonly number[];
  /**
   * The values: float32 for float32/float16/bfloat16 files (half precision widened exactly),
   * float64 for float64, and the matching integer array otherwise (int64 as BigInt64Array).
   */
  readonly data:
    Float32Array | Float64Array | BigInt64Array | Int32Array | Int16Array | Int8Array | Uint8Array;
}

/** A PyTorch `state_dict`: parameter name → tensor, in the file's order. */
export type StateDict = Map<string, Tensor>;

const STORAGE_TYPES: Record<string, { dtype: TensorDtype; bytes: number }> = {
  FloatStorage: { dtype: 'float32', bytes: 4 },
  HalfStorage: { dtype: 'float16', bytes: 2 },
  BFloat16Storage: { dtype: 'bfloat16', bytes: 2 },
  DoubleStorage: { dtype: 'float64', bytes: 8 },
  LongStorage: { dtype: 'int64', bytes: 8 },
  IntStorage: { dtype: 'int32', bytes: 4 },
  ShortStorage: { dtype: 'int16', bytes: 2 },
  CharStorage: { dtype: 'int8', bytes: 1 },
  ByteStorage: { dtype: 'uint8', bytes: 1 },
  BoolStorage: { dtype: 'bool', bytes: 1 },
};

/** What a tensor will be, known from the pickle before any of its values are read. */
export interface TensorInfo {
  readonly dtype: TensorDtype;
  readonly shape: readonly number[];
}

export interface DecodeStateDictOptions {
  /**
   * Checks every tensor's name, dtype and shape before any value is read or decompressed (a
   * model's architecture), throwing to refuse the file.
   */
  validate?: (tensors: ReadonlyMap<string, TensorInfo>) => void;
  /** Refuse files whose tensors would take more memory than this. @default 1 GiB */
  maxBytes?: number;
}

const DEFAULT_MAX_BYTES = 1024 ** 3;
/** state_dict pickles are kilobytes; a larger one is not a weight file. */
const MAX_PICKLE_BYTES = 64 * 1024 ** 2;

/** A storage the pickle refers to; its bytes come from the zip entry or the legacy stream. */
interface StorageRef {
  readonly key: string;
  readonly dtype: TensorDtype;
  readonly elementBytes: number;
  /** Elements the persistent id says the storage holds. */
  readonly numel: number;
  /** Elements into the root storage (legacy views), else 0. */
  readonly viewOffset: number;
}

/** What `_rebuild_tensor_v2` records; the values are read once every storage is known. */
class PendingTensor implements TensorInfo {
  /** Values in the tensor. */
  readonly count: number;
  /** Elements from the first to the last one the tensor reads, inclusive. */
  readonly span: number;

  constructor(
    readonly storage: StorageRef,
    readonly offset: number,
    readonly shape: number[],
    readonly stride: number[],
  ) {
    this.count = shape.reduce((a, b) => a * b, 1);
    this.span =
      1 + shape.reduce((n, size, axis) => n + (size > 0 ? (size - 1) * stride[axis] : 0), 0);
  }

  get dtype(): TensorDtype {
    return this.storage.dtype;
  }
}

const isZip = (bytes: Uint8Array): boolean =>
  bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;

/**
 * Reads a PyTorch `state_dict` file (`torch.save(model.state_dict(), path)`), the format of
 * Cellpose's model files, in either layout torch has written: the zip archive (torch ≥ 1.6:
 * `<stem>/data.pkl` + `<stem>/data/<key>`) or the legacy stream (a run of pickles, then each
 * storage's bytes). Nothing in the file is executed: see {@link unpickle}.
 *
 * Throws {@link ModelFormatError} for a truncated, corrupt or unsafe file, and
 * {@link UnsupportedError} for torch's pre-1.0 tar layout.
 */
export function decodeStateDict(
  bytes: Uint8Array,
  options: DecodeStateDictOptions = {},
): StateDict {
  if (bytes.length < 4) throw new ModelFormatError('file is too short to be a PyTorch file');
  if (isZip(bytes)) return readZip(bytes, options);
  if (bytes[0] === 0x80) return readLegacy(bytes, options);
  if (bytes.length > 262 && new TextDecoder().decode(bytes.subarray(257, 262)) === 'ustar') {
    throw new UnsupportedError("torch's pre-1.0 tar layout is not supported", {
      hint: 'load and re-save the weights with a current PyTorch',
    });
  }
  throw new ModelFormatError('not a PyTorch weight file (neither a zip archive nor a pickle)');
}

function readZip(bytes: Uint8Array, options: DecodeStateDictOptions): StateDict {
  // First the pickle alone: storages are decompressed only once it has named them.
  const sizes = new Map<string, number>();
  const files = unzipOnly(bytes, (name, size) => {
    sizes.set(name, size);
    return /^([^/]+\/)?(data\.pkl|byteorder)$/.test(name) && size <= MAX_PICKLE_BYTES;
  });
  const pickleName = [...sizes.keys()].find((name) => /^([^/]+\/)?data\.pkl$/.test(name));
  if (!pickleName)
    throw new ModelFormatError('the zip archive has no data.pkl: not a torch.save file');
  if (!files[pickleName]) {
    throw new ModelFormatError(
      `data.pkl is ${sizes.get(pickleName)} bytes, more than the ${MAX_PICKLE_BYTES}-byte limit of a state_dict pickle`,
    );
  }
  const prefix = pickleName.slice(0, -'data.pkl'.length);
  const order = files[`${prefix}byteorder`];
  if (order && new TextDecoder().decode(order).trim() !== 'little') {
    throw new UnsupportedError('big-endian PyTorch files are not supported');
  }
  const storages = new Map<string, StorageRef>();
  const { value } = unpickle(files[pickleName], {
    callables: TORCH_CALLABLES,
    persistentLoad: (id) => storageRef(id, storages),
  });
  return toStateDict(value, options, (refs) => {
    const wanted = new Map(refs.map((ref) => [`${prefix}data/${ref.key}`, ref]));
    const data = unzipOnly(bytes, (name, size) => {
      const ref = wanted.get(name);
      if (!ref) return false;
      // The zip directory's size is what fflate allocates: it must match what the pickle declares.
      if (size > ref.numel * ref.elementBytes) {
        throw new ModelFormatError(
          `storage data/${ref.key} holds ${size} bytes, more than the ${ref.numel * ref.elementBytes} its ${ref.numel} elements need`,
        );
      }
      return true;
    });
    return (ref) => {
      const found = data[`${prefix}data/${ref.key}`];
      if (!found) throw new ModelFormatError(`the zip archive lacks storage data/${ref.key}`);
      return found;
    };
  });
}

/** The zip entries `keep` accepts (by name and uncompressed size), nothing else decompressed. */
function unzipOnly(
  bytes: Uint8Array,
  keep: (name: string, size: number) => boolean,
): Record<string, Uint8Array> {
  try {
    return unzipSync(bytes, { filter: (file) => keep(file.name, file.originalSize) });
  } catch (error) {
    if (error instanceof ModelFormatError) throw error;
    throw new ModelFormatError(
      `the zip archive is corrupt or truncated: ${(error as Error).message}`,
    );
  }
}

const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;

function readLegacy(bytes: Uint8Array, options: DecodeStateDictOptions): StateDict {
  const plain = { callables: {} };
  const magic = unpickle(bytes, plain);
  if (magic.value !== LEGACY_MAGIC) {
    throw new ModelFormatError('a pickle, but not a PyTorch file (no legacy magic number)');
  }
  const protocol = unpickle(bytes, plain, magic.end);
  if (protocol.value !== 1001) {
    throw new UnsupportedError(`legacy PyTorch protocol ${String(protocol.value)} (expected 1001)`);
  }
  const info = unpickle(bytes, plain, protocol.end);
  if (info.value instanceof Map && info.value.get('little_endian') === false) {
    throw new UnsupportedError('big-endian PyTorch files are not supported');
  }
  const storages = new Map<string, StorageRef>();
  const main = unpickle(
    bytes,
    {
      callables: TORCH_CALLABLES,
      persistentLoad: (id) => storageRef(id, storages),
    },
    info.end,
  );
  const keys = unpickle(bytes, plain, main.end);
  if (!Array.isArray(keys.value) || !keys.value.every((k) => typeof k === 'string')) {
    throw new ModelFormatError('legacy PyTorch file: the storage key list is malformed');
  }
  // Each storage: int64 element count, then its raw bytes, in the key list's order.
  const data = new Map<string, Uint8Array>();
  const byKey = new Map([...storages.values()].map((ref) => [ref.key, ref]));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = keys.end;
  for (const key of keys.value as string[]) {
    const ref = byKey.get(key);
    if (!ref) throw new ModelFormatError(`legacy PyTorch file: storage ${key} is never used`);
    if (at + 8 > bytes.length) throw new ModelFormatError('legacy PyTorch file is truncated');
    const count = Number(view.getBigInt64(at, true));
    const length = count * ref.elementBytes;
    if (count < 0 || at + 8 + length > bytes.length) {
      throw new ModelFormatError(`legacy PyTorch file is truncated in storage ${key}`);
    }
    data.set(key, bytes.subarray(at + 8, at + 8 + length));
    at += 8 + length;
  }
  return toStateDict(main.value, options, () => (ref) => {
    const found = data.get(ref.key);
    if (!found) throw new ModelFormatError(`legacy PyTorch file lacks storage ${ref.key}`);
    return found;
  });
}

/** torch's persistent id: ('storage', StorageType, key, location, numel[, view_metadata]). */
function storageRef(id: unknown, seen: Map<string, StorageRef>): StorageRef {
  if (!Array.isArray(id) || id[0] !== 'storage' || id.length < 5) {
    throw new ModelFormatError('unexpected persistent id in the pickle (not a torch storage)');
  }
  const [, type, key, , numel, view] = id as unknown[];
  const kind = type instanceof PickleGlobal ? STORAGE_TYPES[type.name] : undefined;
  if (!kind || typeof key !== 'string') {
    throw new ModelFormatError(`unsupported storage type ${String((type as PickleGlobal)?.name)}`);
  }
  if (!Number.isSafeInteger(numel) || (numel as number) < 0) {
    throw new ModelFormatError(`storage ${key} declares ${String(numel)} elements`);
  }
  let viewOffset = 0;
  if (Array.isArray(view)) viewOffset = Number(view[1]);
  if (!Number.isSafeInteger(viewOffset) || viewOffset < 0) {
    throw new ModelFormatError(
      `storage ${key} is a view at offset ${String((view as unknown[])[1])}`,
    );
  }
  const ref = {
    key,
    dtype: kind.dtype,
    elementBytes: kind.bytes,
    numel: numel as number,
    viewOffset,
  };
  seen.set(`${key}@${viewOffset}`, ref);
  return ref;
}

/** The globals a state_dict pickle may name, each a pure constructor. */
const TORCH_CALLABLES: Record<string, (args: unknown[]) => unknown> = {
  'collections.OrderedDict': () => new Map(),
  'torch._utils._rebuild_tensor_v2': (args) => rebuildTensor(args),
  'torch._utils._rebuild_tensor': (args) => rebuildTensor(args),
  // A Parameter pickles as its tensor plus requires_grad: the tensor is all we keep.
  'torch._utils._rebuild_parameter': (args) => args[0],
  ...Object.fromEntries(
    Object.keys(STORAGE_TYPES).map((name) => [
      `torch.${name}`,
      () => {
        throw new ModelFormatError(`torch.${name} called directly in the pickle`);
      },
    ]),
  ),
};

function rebuildTensor(args: unknown[]): PendingTensor {
  const [storage, offset, shape, stride] = args;
  const ints = (value: unknown): value is number[] =>
    Array.isArray(value) && value.every((v) => Number.isSafeInteger(v) && (v as number) >= 0);
  if (
    typeof storage !== 'object' ||
    storage === null ||
    !('key' in storage) ||
    !Number.isSafeInteger(offset) ||
    (offset as number) < 0 ||
    !ints(shape) ||
    !ints(stride) ||
    shape.length !== stride.length
  ) {
    throw new ModelFormatError('malformed tensor record in the pickle');
  }
  return new PendingTensor(storage as StorageRef, offset as number, [...shape], [...stride]);
}

/**
 * Checks every tensor against its storage, the budget and the caller's `validate` from the pickle
 * alone, then asks `open` for the storages' bytes (decompressing only those) and copies values.
 */
function toStateDict(
  value: unknown,
  options: DecodeStateDictOptions,
  open: (refs: StorageRef[]) => (ref: StorageRef) => Uint8Array,
): StateDict {
  if (!(value instanceof Map)) {
    throw new ModelFormatError('the file holds no state_dict (expected a dict of tensors)');
  }
  const pending = new Map<string, PendingTensor>();
  for (const [name, entry] of value) {
    if (typeof name !== 'string') throw new ModelFormatError('state_dict key is not a string');
    if (!(entry instanceof PendingTensor)) {
      throw new ModelFormatError(`state_dict entry ${name} is not a tensor`);
    }
    pending.set(name, entry);
  }
  options.validate?.(pending);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  let total = 0;
  const refs = new Map<string, StorageRef>();
  for (const [name, tensor] of pending) {
    checkWithinStorage(name, tensor);
    total += tensor.count * OUTPUT_BYTES[tensor.storage.dtype];
    refs.set(tensor.storage.key, tensor.storage);
  }
  for (const ref of refs.values()) total += ref.numel * ref.elementBytes;
  if (total > maxBytes) {
    throw new ModelFormatError(
      `the tensors need ${total} bytes of memory, more than the ${maxBytes}-byte limit`,
      { hint: 'raise maxBytes if this is a genuine model' },
    );
  }
  const bytesOf = open([...refs.values()]);
  const out: StateDict = new Map();
  for (const [name, tensor] of pending)
    out.set(name, materialize(name, tensor, bytesOf(tensor.storage)));
  return out;
}

/** Bytes per value of the arrays `materialize` returns (half precision is widened). */
const OUTPUT_BYTES: Record<TensorDtype, number> = {
  float32: 4,
  float16: 4,
  bfloat16: 4,
  float64: 8,
  int64: 8,
  int32: 4,
  int16: 2,
  int8: 1,
  uint8: 1,
  bool: 1,
};

/**
 * A tensor may view part of its storage, in any order, but never hold more values than the
 * storage has (an expanded or stride-0 tensor, which `.contiguous()` would blow up) or reach
 * past its end.
 */
function checkWithinStorage(name: string, tensor: PendingTensor): void {
  const { storage, shape, stride } = tensor;
  const available = storage.numel - storage.viewOffset;
  if (tensor.count > Math.max(available, 0)) {
    throw new ModelFormatError(
      `tensor ${name} of shape [${shape.join(', ')}] (strides [${stride.join(', ')}]) has ` +
        `${tensor.count} values but its storage holds only ${available}: an expanded or ` +
        'stride-0 tensor, refused',
      { hint: 'save it with .contiguous() or .clone()' },
    );
  }
  if (tensor.count > 0 && tensor.offset + tensor.span > available) {
    throw new ModelFormatError(`tensor ${name} reaches past its storage (file truncated?)`);
  }
}

/** Copies a (possibly strided) tensor out of its storage bytes, in C order. */
function materialize(name: string, pending: PendingTensor, bytes: Uint8Array): Tensor {
  const { storage, shape, stride, count } = pending;
  const start = storage.viewOffset + pending.offset;
  const first = start * storage.elementBytes;
  const end = (start + pending.span) * storage.elementBytes;
  if (count > 0 && end > bytes.length) {
    throw new ModelFormatError(`tensor ${name} reaches past its storage (file truncated?)`);
  }
  // An aligned copy of just the bytes this tensor reads, not its whole storage.
  const copy = count > 0 ? bytes.slice(first, end) : new Uint8Array(0);
  const view = new DataView(copy.buffer);
  const read = reader(storage.dtype, view);
  const data = allocate(storage.dtype, count);
  const index = new Array<number>(shape.length).fill(0);
  let source = 0;
  for (let i = 0; i < count; i++) {
    (data as { [k: number]: number | bigint })[i] = read(source);
    for (let axis = shape.length - 1; axis >= 0; axis--) {
      index[axis]++;
      source += stride[axis];
      if (index[axis] < shape[axis]) break;
      source -= shape[axis] * stride[axis];
      index[axis] = 0;
    }
  }
  return { dtype: storage.dtype, shape, data };
}

function allocate(dtype: TensorDtype, count: number): Tensor['data'] {
  switch (dtype) {
    case 'float32':
    case 'float16':
    case 'bfloat16':
      return new Float32Array(count);
    case 'float64':
      return new Float64Array(count);
    case 'int64':
      return new BigInt64Array(count);
    case 'int32':
      return new Int32Array(count);
    case 'int16':
      return new Int16Array(count);
    case 'int8':
      return new Int8Array(count);
    case 'uint8':
    case 'bool':
      return new Uint8Array(count);
  }
}

function reader(dtype: TensorDtype, view: DataView): (element: number) => number | bigint {
  switch (dtype) {
    case 'float32':
      return (i) => view.getFloat32(4 * i, true);
    case 'float16':
      return (i) => halfToFloat(view.getUint16(2 * i, true));
    case 'bfloat16':
      return (i) => {
        // bfloat16 is the top half of a float32.
        scratch.setUint32(0, view.getUint16(2 * i, true) << 16, true);
        return scratch.getFloat32(0, true);
      };
    case 'float64':
      return (i) => view.getFloat64(8 * i, true);
    case 'int64':
      return (i) => view.getBigInt64(8 * i, true);
    case 'int32':
      return (i) => view.getInt32(4 * i, true);
    case 'int16':
      return (i) => view.getInt16(2 * i, true);
    case 'int8':
      return (i) => view.getInt8(i);
    case 'uint8':
    case 'bool':
      return (i) => view.getUint8(i);
  }
}

const scratch = new DataView(new ArrayBuffer(4));

/** IEEE 754 half → number, exactly (subnormals, infinities and NaN included). */
export function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}
