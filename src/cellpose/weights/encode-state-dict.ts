import { zipSync } from 'fflate';
import { InvalidArgumentError } from '../../errors.js';
import { concatBytes } from '../../io/bytes.js';
import type { StateDict, Tensor, TensorDtype } from './state-dict.js';

export interface EncodeStateDictOptions {
  /**
   * `zip`: torch ≥ 1.6's archive, as `torch.save` writes today; `legacy`: the older stream of
   * pickles followed by raw storages.
   * @default 'zip'
   */
  layout?: 'zip' | 'legacy';
  /** Folder name inside the zip archive (torch uses the file's stem). @default 'archive' */
  stem?: string;
}

const STORAGE_NAMES: Partial<Record<TensorDtype, string>> = {
  float32: 'FloatStorage',
  float64: 'DoubleStorage',
  int64: 'LongStorage',
  int32: 'IntStorage',
};

/**
 * Writes a state_dict as `torch.save(state_dict, path)` would: a file PyTorch's
 * `torch.load(weights_only=True)` and Cellpose read. float32, float64, int32 and int64 tensors.
 */
export function encodeStateDict(
  stateDict: StateDict,
  options: EncodeStateDictOptions = {},
): Uint8Array {
  const tensors = [...stateDict];
  for (const [name, tensor] of tensors) {
    if (!STORAGE_NAMES[tensor.dtype]) {
      throw new InvalidArgumentError(
        `cannot write ${name}: ${tensor.dtype} tensors are not supported`,
      );
    }
    const count = tensor.shape.reduce((a, b) => a * b, 1);
    if (tensor.data.length !== count) {
      throw new InvalidArgumentError(
        `${name} has ${tensor.data.length} values for shape [${tensor.shape.join(', ')}]`,
      );
    }
  }
  const legacy = options.layout === 'legacy';
  const main = new PickleWriter();
  main.stateDict(tensors, legacy);
  if (!legacy) {
    const stem = options.stem ?? 'archive';
    const files: Record<string, Uint8Array> = {
      [`${stem}/data.pkl`]: main.finish(),
      [`${stem}/byteorder`]: new TextEncoder().encode('little'),
    };
    tensors.forEach(([, tensor], key) => (files[`${stem}/data/${key}`] = storageBytes(tensor)));
    files[`${stem}/version`] = new TextEncoder().encode('3\n');
    return zipSync(files, { level: 0 });
  }
  const parts: Uint8Array[] = [];
  const pickle = (write: (p: PickleWriter) => void): void => {
    const p = new PickleWriter();
    write(p);
    parts.push(p.finish());
  };
  pickle((p) => p.long(0x1950a86a20f9469cfc6cn));
  pickle((p) => p.int(1001));
  pickle((p) => p.sysInfo());
  parts.push(main.finish());
  pickle((p) => p.stringList(tensors.map((_, key) => String(key))));
  for (const [, tensor] of tensors) {
    const count = new Uint8Array(8);
    new DataView(count.buffer).setBigInt64(0, BigInt(tensor.data.length), true);
    parts.push(count, storageBytes(tensor));
  }
  return concatBytes(parts);
}

function storageBytes(tensor: Tensor): Uint8Array {
  const { data } = tensor;
  // Typed arrays are little-endian on every platform Node and browsers run on.
  return new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
}

/** Emits pickle protocol 2 opcodes, as Python's pickler does for these values. */
class PickleWriter {
  readonly #bytes: number[] = [0x80, 2];

  finish(): Uint8Array {
    this.#bytes.push(0x2e); // STOP
    return Uint8Array.from(this.#bytes);
  }

  int(value: number): void {
    const b = this.#bytes;
    b.push(0x4a, value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff, (value >>> 24) & 0xff);
  }

  long(value: bigint): void {
    const bytes: number[] = [];
    for (let v = value; v > 0n; v >>= 8n) bytes.push(Number(v & 0xffn));
    if (bytes[bytes.length - 1] & 0x80) bytes.push(0);
    this.#bytes.push(0x8a, bytes.length, ...bytes);
  }

  string(value: string): void {
    const utf8 = new TextEncoder().encode(value);
    const n = utf8.length;
    this.#bytes.push(0x58, n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24, ...utf8);
  }

  global(module: string, name: string): void {
    this.#bytes.push(0x63, ...new TextEncoder().encode(`${module}\n${name}\n`));
  }

  tuple(write: () => void): void {
    this.#bytes.push(0x28);
    write();
    this.#bytes.push(0x74);
  }

  ints(values: readonly number[]): void {
    this.tuple(() => values.forEach((v) => this.int(v)));
  }

  stringList(values: string[]): void {
    this.#bytes.push(0x5d, 0x28);
    values.forEach((v) => this.string(v));
    this.#bytes.push(0x65);
  }

  sysInfo(): void {
    this.#bytes.push(0x7d, 0x28);
    this.string('protocol_version');
    this.int(1001);
    this.string('little_endian');
    this.#bytes.push(0x88);
    this.string('type_sizes');
    this.#bytes.push(0x7d, 0x28);
    for (const [name, size] of [
      ['short', 2],
      ['int', 4],
      ['long', 4],
    ] as const) {
      this.string(name);
      this.int(size);
    }
    this.#bytes.push(0x75, 0x75);
  }

  emptyOrderedDict(): void {
    this.global('collections', 'OrderedDict');
    this.#bytes.push(0x29, 0x52); // EMPTY_TUPLE, REDUCE
  }

  /** OrderedDict of `_rebuild_tensor_v2(storage, 0, shape, stride, False, OrderedDict())`. */
  stateDict(tensors: [string, Tensor][], legacy: boolean): void {
    this.emptyOrderedDict();
    this.#bytes.push(0x28);
    tensors.forEach(([name, tensor], key) => {
      this.string(name);
      this.global('torch._utils', '_rebuild_tensor_v2');
      this.tuple(() => {
        this.tuple(() => {
          this.string('storage');
          this.global('torch', STORAGE_NAMES[tensor.dtype] as string);
          this.string(String(key));
          this.string('cpu');
          this.int(tensor.data.length);
          if (legacy) this.#bytes.push(0x4e); // no view
        });
        this.#bytes.push(0x51); // BINPERSID
        this.int(0);
        this.ints(tensor.shape);
        const stride = tensor.shape.map((_, axis) =>
          tensor.shape.slice(axis + 1).reduce((a, b) => a * b, 1),
        );
        this.ints(stride);
        this.#bytes.push(0x89); // requires_grad False
        this.emptyOrderedDict();
      });
      this.#bytes.push(0x52); // REDUCE
    });
    this.#bytes.push(0x75); // SETITEMS
  }
}
