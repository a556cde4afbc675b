// BigTIFF directories as the tiled writers lay them out: fields, their byte length and the IFD
// bytes (BigTIFF: 8-byte counts and offsets, so no 4 GiB limit).

/** BigTIFF field types (TIFF 6.0 §2 plus the BigTIFF LONG8 and IFD8). */
export const FieldType = { Ascii: 2, Short: 3, Long: 4, Rational: 5, Long8: 16, Ifd8: 18 } as const;
export type FieldType = (typeof FieldType)[keyof typeof FieldType];
/** Bytes per element of `Field.values` (a RATIONAL is two LONG elements). */
const ELEMENT_BYTES: Record<FieldType, number> = { 2: 1, 3: 2, 4: 4, 5: 4, 16: 8, 18: 8 };

export interface Field {
  tag: number;
  type: FieldType;
  values: ArrayLike<number>;
}

/** Bytes of one IFD: count, 20-byte entries, next offset, and the values that do not fit inline. */
export function ifdByteLength(fields: readonly Field[]): number {
  let length = 8 + 20 * fields.length + 8;
  for (const field of fields) {
    const bytes = field.values.length * ELEMENT_BYTES[field.type];
    if (bytes > 8) length += bytes + (bytes & 1);
  }
  return length;
}

/**
 * One BigTIFF IFD into `out` at `at` (which is where it will lie in the file): uint64 entry
 * count, 20-byte entries sorted by tag, uint64 next offset, then the values.
 */
export function writeIfd(
  out: Uint8Array,
  at: number,
  fields: readonly Field[],
  next: number,
  fileOffset = at,
): void {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const sorted = [...fields].sort((a, b) => a.tag - b.tag);
  view.setBigUint64(at, BigInt(sorted.length), true);
  let valueAt = at + 8 + 20 * sorted.length + 8;
  sorted.forEach((field, i) => {
    const entry = at + 8 + 20 * i;
    const bytes = field.values.length * ELEMENT_BYTES[field.type];
    view.setUint16(entry, field.tag, true);
    view.setUint16(entry + 2, field.type, true);
    const count = field.type === FieldType.Rational ? field.values.length / 2 : field.values.length;
    view.setBigUint64(entry + 4, BigInt(count), true);
    let target = entry + 12;
    if (bytes > 8) {
      // Offsets in the file, wherever `out` sits in it.
      view.setBigUint64(entry + 12, BigInt(valueAt - at + fileOffset), true);
      target = valueAt;
      valueAt += bytes + (bytes & 1);
    }
    writeValues(view, out, target, field);
  });
  view.setBigUint64(at + 8 + 20 * sorted.length, BigInt(next), true);
}

function writeValues(view: DataView, out: Uint8Array, at: number, field: Field): void {
  const { values } = field;
  for (let i = 0; i < values.length; i++) {
    switch (field.type) {
      case FieldType.Ascii:
        out[at + i] = values[i];
        break;
      case FieldType.Short:
        view.setUint16(at + 2 * i, values[i], true);
        break;
      case FieldType.Long:
      case FieldType.Rational:
        view.setUint32(at + 4 * i, values[i], true);
        break;
      default:
        view.setBigUint64(at + 8 * i, BigInt(values[i]), true);
    }
  }
}
