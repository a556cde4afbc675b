// Classic TIFF directories (TIFF 6.0 §2) as the writer lays them out: fields, their values and
// the IFD bytes.

const UINT32_MAX = 0xffffffff;

/** TIFF 6.0 §2 field types the writer uses. */
export const FieldType = { Byte: 1, Ascii: 2, Short: 3, Long: 4, Rational: 5 } as const;
export type FieldType = (typeof FieldType)[keyof typeof FieldType];
/** Bytes per element of `Field.values` (a RATIONAL is two LONG elements). */
const ELEMENT_BYTES: Record<FieldType, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 4 };

export interface Field {
  tag: number;
  type: FieldType;
  values: ArrayLike<number>;
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

export function ifdByteLength(fields: readonly Field[]): number {
  let length = 2 + 12 * fields.length + 4;
  for (const field of fields) {
    const bytes = field.values.length * ELEMENT_BYTES[field.type];
    if (bytes > 4) length += bytes + (bytes & 1); // TIFF 6.0 §2: values start on a word boundary
  }
  return length;
}

/** One IFD (TIFF 6.0 §2): entry count, 12-byte entries sorted by tag, next-IFD offset, values. */
export function writeIfd(
  view: DataView,
  out: Uint8Array,
  at: number,
  fields: readonly Field[],
  next: number,
): void {
  view.setUint16(at, fields.length, true);
  let valueAt = at + 2 + 12 * fields.length + 4;
  fields.forEach((field, i) => {
    const entry = at + 2 + 12 * i;
    const bytes = field.values.length * ELEMENT_BYTES[field.type];
    view.setUint16(entry, field.tag, true);
    view.setUint16(entry + 2, field.type, true);
    view.setUint32(
      entry + 4,
      field.type === FieldType.Rational ? field.values.length / 2 : field.values.length,
      true,
    );
    let target = entry + 8;
    if (bytes > 4) {
      view.setUint32(entry + 8, valueAt, true);
      target = valueAt;
      valueAt += bytes + (bytes & 1);
    }
    writeValues(view, out, target, field);
  });
  view.setUint32(at + 2 + 12 * fields.length, next, true);
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
    default:
      for (let i = 0; i < values.length; i++) view.setUint32(at + 4 * i, values[i], true);
  }
}
