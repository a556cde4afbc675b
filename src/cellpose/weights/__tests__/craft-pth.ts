import { zipSync } from 'fflate';

/** One `_rebuild_tensor_v2` record, with whatever storage, offset and strides a test needs. */
export interface CraftTensor {
  name: string;
  /** torch storage class, e.g. FloatStorage. @default FloatStorage */
  storageType?: string;
  /** Storage key: the zip entry `archive/data/<key>`. */
  key: string;
  /** Elements the persistent id declares. */
  numel: number;
  offset?: number;
  shape: number[];
  stride: number[];
}

const encoder = new TextEncoder();

/** A protocol-2 pickle of an OrderedDict of tensors, as `torch.save(state_dict)` writes it. */
export function tensorPickle(tensors: readonly CraftTensor[]): Uint8Array {
  const out: number[] = [0x80, 0x02];
  const op = (...bytes: number[]): void => void out.push(...bytes);
  const text = (value: string): void => {
    const bytes = encoder.encode(value);
    op(0x58, ...int32(bytes.length), ...bytes); // BINUNICODE
  };
  const global = (module: string, name: string): void =>
    op(0x63, ...encoder.encode(`${module}\n${name}\n`));
  const int = (value: number): void => op(0x4a, ...int32(value)); // BININT
  const tuple = (values: number[]): void => {
    op(0x28); // MARK
    values.forEach(int);
    op(0x74); // TUPLE
  };
  global('collections', 'OrderedDict');
  op(0x29, 0x52); // EMPTY_TUPLE, REDUCE
  for (const t of tensors) {
    text(t.name);
    global('torch._utils', '_rebuild_tensor_v2');
    op(0x28); // MARK: the arguments
    op(0x28); // MARK: the persistent id
    text('storage');
    global('torch', t.storageType ?? 'FloatStorage');
    text(t.key);
    text('cpu');
    int(t.numel);
    op(0x74, 0x51); // TUPLE, BINPERSID
    int(t.offset ?? 0);
    tuple(t.shape);
    tuple(t.stride);
    op(0x89); // requires_grad False
    op(0x74, 0x52, 0x73); // TUPLE, REDUCE, SETITEM
  }
  op(0x2e); // STOP
  return Uint8Array.from(out);
}

function int32(value: number): number[] {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setInt32(0, value, true);
  return [...bytes];
}

/** A torch zip archive: `archive/data.pkl` plus `archive/data/<key>` for each storage. */
export function pthZip(
  pickle: Uint8Array,
  storages: Record<string, Uint8Array>,
  options: { level?: 0 | 6 } = {},
): Uint8Array {
  const files: Record<string, Uint8Array> = { 'archive/data.pkl': pickle };
  for (const [key, bytes] of Object.entries(storages)) files[`archive/data/${key}`] = bytes;
  return zipSync(files, { level: options.level ?? 0 });
}

/**
 * Rewrites what the zip's central directory records for `name` (what fflate trusts): the
 * uncompressed size, and whether the entry is deflated.
 */
export function patchZipEntry(
  zip: Uint8Array,
  name: string,
  patch: { size?: number; deflated?: boolean },
): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  const wanted = encoder.encode(name);
  for (let at = 0; at + 46 < out.length; at++) {
    if (view.getUint32(at, true) !== 0x02014b50) continue;
    const length = view.getUint16(at + 28, true);
    const found = out.subarray(at + 46, at + 46 + length);
    if (found.length === wanted.length && found.every((b, i) => b === wanted[i])) {
      if (patch.size !== undefined) view.setUint32(at + 24, patch.size, true);
      if (patch.deflated !== undefined) view.setUint16(at + 10, patch.deflated ? 8 : 0, true);
      return out;
    }
  }
  throw new Error(`no central directory entry ${name}`);
}
