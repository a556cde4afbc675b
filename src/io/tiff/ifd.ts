import { ImageFormatError } from '../../errors.js';
import { FIELD_TYPE_SIZE } from './tags.js';

/** One directory entry, its value read only when asked for. */
interface Entry {
  type: number;
  count: number;
  /** Absolute byte offset of the value (inline values point into the entry itself). */
  valueOffset: number;
}

/** The header facts every page shares. */
export interface TiffContainer {
  bytes: Uint8Array;
  view: DataView;
  littleEndian: boolean;
  bigTiff: boolean;
}

/** One image file directory: random access to its tag values. */
export class Ifd {
  constructor(
    readonly container: TiffContainer,
    readonly offset: number,
    private readonly entries: Map<number, Entry>,
  ) {}

  has(tag: number): boolean {
    return this.entries.has(tag);
  }

  /** Numeric values of a tag (rationals as numerator / denominator); `undefined` if absent. */
  numbers(tag: number): number[] | undefined {
    const entry = this.entries.get(tag);
    if (!entry) return undefined;
    const { view, littleEndian } = this.container;
    const size = FIELD_TYPE_SIZE[entry.type];
    const values = new Array<number>(entry.count);
    for (let i = 0, at = entry.valueOffset; i < entry.count; i++, at += size) {
      values[i] = readValue(view, entry.type, at, littleEndian);
    }
    return values;
  }

  /** First numeric value of a tag, or `fallback` when the tag is absent or empty. */
  number(tag: number, fallback: number): number;
  number(tag: number): number | undefined;
  number(tag: number, fallback?: number): number | undefined {
    const entry = this.entries.get(tag);
    if (!entry || entry.count === 0) return fallback;
    return readValue(
      this.container.view,
      entry.type,
      entry.valueOffset,
      this.container.littleEndian,
    );
  }

  /** An ASCII tag as a string, without its trailing NULs. */
  text(tag: number): string | undefined {
    const entry = this.entries.get(tag);
    if (!entry) return undefined;
    const raw = this.container.bytes.subarray(entry.valueOffset, entry.valueOffset + entry.count);
    const end = raw.indexOf(0);
    return new TextDecoder('utf-8').decode(end >= 0 ? raw.subarray(0, end) : raw);
  }

  /** A BYTE/UNDEFINED tag's raw bytes (a view into the file). */
  raw(tag: number): Uint8Array | undefined {
    const entry = this.entries.get(tag);
    if (!entry) return undefined;
    const length = entry.count * FIELD_TYPE_SIZE[entry.type];
    return this.container.bytes.subarray(entry.valueOffset, entry.valueOffset + length);
  }
}

function readValue(view: DataView, type: number, at: number, le: boolean): number {
  switch (type) {
    case 1:
    case 2:
    case 7:
      return view.getUint8(at);
    case 6:
      return view.getInt8(at);
    case 3:
      return view.getUint16(at, le);
    case 8:
      return view.getInt16(at, le);
    case 4:
    case 13:
      return view.getUint32(at, le);
    case 9:
      return view.getInt32(at, le);
    case 5:
      return view.getUint32(at, le) / view.getUint32(at + 4, le);
    case 10:
      return view.getInt32(at, le) / view.getInt32(at + 4, le);
    case 11:
      return view.getFloat32(at, le);
    case 12:
      return view.getFloat64(at, le);
    case 16:
    case 18:
      return Number(view.getBigUint64(at, le));
    case 17:
      return Number(view.getBigInt64(at, le));
    default:
      return NaN;
  }
}

/** Largest number of pages read from one file; a chain longer than this is treated as corrupt. */
const MAX_PAGES = 1_000_000;

/** Reads the header and the chain of IFDs. Throws `ImageFormatError` for anything malformed. */
export function parseTiff(bytes: Uint8Array): { container: TiffContainer; ifds: Ifd[] } {
  if (bytes.length === 0) throw new ImageFormatError('file is empty');
  if (bytes.length < 8)
    throw new ImageFormatError(`file is only ${bytes.length} bytes, too short for a TIFF header`);
  const order = String.fromCharCode(bytes[0], bytes[1]);
  if (order !== 'II' && order !== 'MM') {
    throw new ImageFormatError('not a TIFF file (no II/MM byte-order mark)');
  }
  const littleEndian = order === 'II';
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint16(2, littleEndian);
  let bigTiff: boolean;
  let firstIfd: number;
  if (version === 42) {
    bigTiff = false;
    firstIfd = view.getUint32(4, littleEndian);
  } else if (version === 43) {
    if (bytes.length < 16) throw new ImageFormatError('BigTIFF header is truncated');
    if (view.getUint16(4, littleEndian) !== 8) {
      throw new ImageFormatError('BigTIFF header declares an offset size other than 8');
    }
    bigTiff = true;
    firstIfd = safeNumber(view.getBigUint64(8, littleEndian));
  } else {
    throw new ImageFormatError(`not a TIFF file (version ${version}, expected 42 or 43)`);
  }
  const container: TiffContainer = { bytes, view, littleEndian, bigTiff };
  if (firstIfd === 0) throw new ImageFormatError('TIFF has no image directory');
  const ifds: Ifd[] = [];
  const seen = new Set<number>();
  let next = firstIfd;
  while (next !== 0) {
    if (seen.has(next)) break; // a loop in the chain: keep the pages read so far
    if (ifds.length >= MAX_PAGES) throw new ImageFormatError(`more than ${MAX_PAGES} pages`);
    seen.add(next);
    const parsed = readIfd(container, next, ifds.length);
    if (!parsed) break;
    ifds.push(parsed.ifd);
    next = parsed.next;
  }
  if (ifds.length === 0) {
    throw new ImageFormatError(
      `first image directory at byte ${firstIfd} lies outside the ${bytes.length}-byte file`,
    );
  }
  return { container, ifds };
}

/**
 * Reads one IFD. Returns undefined when a later IFD is unreadable (a truncated multi-page file:
 * the pages before it are still good, as libtiff and tifffile treat it).
 */
function readIfd(
  c: TiffContainer,
  offset: number,
  index: number,
): { ifd: Ifd; next: number } | undefined {
  const { view, littleEndian: le, bytes } = c;
  const countSize = c.bigTiff ? 8 : 2;
  const entrySize = c.bigTiff ? 20 : 12;
  const inlineSize = c.bigTiff ? 8 : 4;
  const fail = (reason: string): undefined => {
    if (index === 0) throw new ImageFormatError(reason);
    return undefined;
  };
  if (offset + countSize > bytes.length) {
    return fail(`image directory at byte ${offset} lies outside the ${bytes.length}-byte file`);
  }
  const count = c.bigTiff ? safeNumber(view.getBigUint64(offset, le)) : view.getUint16(offset, le);
  const entriesStart = offset + countSize;
  const end = entriesStart + count * entrySize;
  if (end > bytes.length) {
    return fail(
      `image directory at byte ${offset} declares ${count} entries but the file ends first (truncated?)`,
    );
  }
  const entries = new Map<number, Entry>();
  for (let i = 0; i < count; i++) {
    const at = entriesStart + i * entrySize;
    const tag = view.getUint16(at, le);
    const type = view.getUint16(at + 2, le);
    const size = FIELD_TYPE_SIZE[type];
    if (size === undefined) continue; // unknown field type: skip, as the spec asks
    const valueCount = c.bigTiff
      ? safeNumber(view.getBigUint64(at + 4, le))
      : view.getUint32(at + 4, le);
    const valueField = at + 4 + (c.bigTiff ? 8 : 4);
    const length = valueCount * size;
    const valueOffset =
      length <= inlineSize
        ? valueField
        : c.bigTiff
          ? safeNumber(view.getBigUint64(valueField, le))
          : view.getUint32(valueField, le);
    if (valueOffset + length > bytes.length) continue; // value outside the file: treat the tag as absent
    entries.set(tag, { type, count: valueCount, valueOffset });
  }
  const next =
    end + inlineSize <= bytes.length
      ? c.bigTiff
        ? safeNumber(view.getBigUint64(end, le))
        : view.getUint32(end, le)
      : 0;
  return { ifd: new Ifd(c, offset, entries), next };
}

function safeNumber(value: bigint): number {
  // Offsets past 2^53 cannot be in any file we can hold; mark them as out of range.
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value);
}
