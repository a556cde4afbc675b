// TIFF directories as cellscope's writers lay them out, classic (TIFF 6.0 §2: 12-byte entries,
// 4-byte counts and offsets) or BigTIFF (20-byte entries, 8-byte counts and offsets).

const UINT32_MAX = 0xffffffff;

/** Field types the writers use: TIFF 6.0 §2's, plus BigTIFF's LONG8 and IFD8. */
export const FieldType = {
  Byte: 1,
  Ascii: 2,
  Short: 3,
  Long: 4,
  Rational: 5,
  Long8: 16,
  Ifd8: 18,
} as const;
export type FieldType = (typeof FieldType)[keyof typeof FieldType];
/** Bytes per element of `Field.values` (a RATIONAL is two LONG elements). */
const ELEMENT_BYTES: Record<FieldType, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 4, 16: 8, 18: 8 };

export interface Field {
  tag: number;
  type: FieldType;
  values: ArrayLike<number>;
}

export interface IfdLayout {
  /** BigTIFF's layout; classic TIFF's otherwise. */
  bigTiff?: boolean;
}

/** Byte sizes of one layout: entry count, entry, next-IFD offset, inline value room. */
function sizes(layout: IfdLayout) {
  return layout.bigTiff
    ? { count: 8, entry: 20, next: 8, inline: 8 }
    : { count: 2, entry: 12, next: 4, inline: 4 };
}

/** NUL-terminated text for an ASCII field (UTF-8 beyond ASCII, as tifffile writes it). */
export function asciiz(text: string): Uint8Array {
  const encoded = new TextEncoder().encode(text);
  const out = new Uint8Array(encoded.length + 1);
  out.set(encoded);
  return out;
}

/**
 * The closest fraction with uint32 numerator and denominator (continued-fraction convergents),
 * so that pixel sizes such as 0.065 µm (200/13 pixels per µm) are stored exactly.
 */
export function toRational(value: number): [number, number] {
  let [h0, h1, k0, k1] = [0, 1, 1, 0];
  let x = value;
  for (let i = 0; i < 64; i++) {
    const a = Math.floor(x);
    const h2 = a * h1 + h0;
    const k2 = a * k1 + k0;
    if (h2 > UINT32_MAX || k2 > UINT32_MAX) break;
    [h0, h1, k0, k1] = [h1, h2, k1, k2];
    const fraction = x - a;
    if (h1 / k1 === value || fraction === 0) break;
    x = 1 / fraction;
  }
  return [h1, k1];
}

/** Bytes of one IFD: count, entries, next offset, and the values that do not fit inline. */
export function ifdByteLength(fields: readonly Field[], layout: IfdLayout = {}): number {
  const size = sizes(layout);
  let length = size.count + size.entry * fields.length + size.next;
  for (const field of fields) {
    const bytes = field.values.length * ELEMENT_BYTES[field.type];
    if (bytes > size.inline) length += bytes + (bytes & 1); // TIFF 6.0 §2: values on word bounds
  }
  return length;
}

/**
 * One IFD's bytes, to lie at file offset `at`: entry count, entries sorted by tag (TIFF 6.0 §2),
 * the next IFD's offset, then the values that do not fit in their entry.
 */
export function encodeIfd(
  fields: readonly Field[],
  next: number,
  at: number,
  layout: IfdLayout = {},
): Uint8Array {
  const size = sizes(layout);
  const out = new Uint8Array(ifdByteLength(fields, layout));
  const view = new DataView(out.buffer);
  const sorted = [...fields].sort((a, b) => a.tag - b.tag);
  // Counts and offsets: 4 bytes in classic TIFF, 8 in BigTIFF.
  const putWord = (offset: number, value: number) => {
    if (layout.bigTiff) view.setBigUint64(offset, BigInt(value), true);
    else view.setUint32(offset, value, true);
  };
  if (layout.bigTiff) view.setBigUint64(0, BigInt(sorted.length), true);
  else view.setUint16(0, sorted.length, true);
  let valueAt = size.count + size.entry * sorted.length + size.next;
  sorted.forEach((field, i) => {
    if (!layout.bigTiff && ELEMENT_BYTES[field.type] === 8) {
      throw new RangeError(`tag ${field.tag}: 8-byte field types exist only in BigTIFF`);
    }
    const entry = size.count + size.entry * i;
    const bytes = field.values.length * ELEMENT_BYTES[field.type];
    const count = field.type === FieldType.Rational ? field.values.length / 2 : field.values.length;
    view.setUint16(entry, field.tag, true);
    view.setUint16(entry + 2, field.type, true);
    putWord(entry + 4, count);
    let target = entry + 4 + size.inline;
    if (bytes > size.inline) {
      putWord(target, at + valueAt);
      target = valueAt;
      valueAt += bytes + (bytes & 1);
    }
    writeValues(view, out, target, field);
  });
  putWord(size.count + size.entry * sorted.length, next);
  return out;
}

function writeValues(view: DataView, out: Uint8Array, at: number, field: Field): void {
  const { values } = field;
  switch (field.type) {
    case FieldType.Byte:
    case FieldType.Ascii:
      out.set(values, at);
      return;
    case FieldType.Short:
      for (let i = 0; i < values.length; i++) view.setUint16(at + 2 * i, values[i], true);
      return;
    case FieldType.Long:
    case FieldType.Rational:
      for (let i = 0; i < values.length; i++) view.setUint32(at + 4 * i, values[i], true);
      return;
    default:
      for (let i = 0; i < values.length; i++)
        view.setBigUint64(at + 8 * i, BigInt(values[i]), true);
  }
}
