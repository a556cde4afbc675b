import { ImageFormatError } from '../../errors.js';
import { toSource, type ByteSource } from './source.js';
import { FIELD_TYPE_SIZE, Tag } from './tags.js';

/** One directory entry, its value read only when asked for. */
interface Entry {
  type: number;
  count: number;
  /** Absolute byte offset of the value (inline values point into the entry itself). */
  valueOffset: number;
  /** The value's bytes when they fit in the entry; others are read when asked for. */
  inline?: Uint8Array;
}

/** The header facts every page shares. */
export interface TiffContainer {
  source: ByteSource;
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
    const view = viewOf(this.value(entry, entry.count));
    const size = FIELD_TYPE_SIZE[entry.type];
    const values = new Array<number>(entry.count);
    for (let i = 0, at = 0; i < entry.count; i++, at += size) {
      values[i] = readValue(view, entry.type, at, this.container.littleEndian);
    }
    return values;
  }

  /** First numeric value of a tag, or `fallback` when the tag is absent or empty. */
  number(tag: number, fallback: number): number;
  number(tag: number): number | undefined;
  number(tag: number, fallback?: number): number | undefined {
    const entry = this.entries.get(tag);
    if (!entry || entry.count === 0) return fallback;
    return readValue(viewOf(this.value(entry, 1)), entry.type, 0, this.container.littleEndian);
  }

  /** An ASCII tag as a string, without its trailing NULs. */
  text(tag: number): string | undefined {
    const entry = this.entries.get(tag);
    if (!entry) return undefined;
    const raw = this.value(entry, entry.count);
    const end = raw.indexOf(0);
    return new TextDecoder('utf-8').decode(end >= 0 ? raw.subarray(0, end) : raw);
  }

  /** A BYTE/UNDEFINED tag's raw bytes. */
  raw(tag: number): Uint8Array | undefined {
    const entry = this.entries.get(tag);
    return entry && this.value(entry, entry.count);
  }

  /** The bytes of the first `count` values of an entry, read from the file only now. */
  private value(entry: Entry, count: number): Uint8Array {
    const length = count * FIELD_TYPE_SIZE[entry.type];
    return (
      entry.inline?.subarray(0, length) ?? this.container.source.read(entry.valueOffset, length)
    );
  }
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
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

/** The most entries one directory may hold, as libtiff's sanity check: real pages use dozens. */
const MAX_ENTRIES = 0xffff;

/**
 * Reads the header and the chain of IFDs, and nothing else: tag values outside the entries and
 * all pixel data stay in the file until asked for. Throws `ImageFormatError` for anything malformed.
 */
export function parseTiff(input: Uint8Array | ByteSource): {
  container: TiffContainer;
  ifds: Ifd[];
} {
  const source = toSource(input);
  const fileSize = source.size;
  if (fileSize === 0) throw new ImageFormatError('file is empty');
  if (fileSize < 8)
    throw new ImageFormatError(`file is only ${fileSize} bytes, too short for a TIFF header`);
  const bytes = source.read(0, 16);
  const order = String.fromCharCode(bytes[0], bytes[1]);
  if (order !== 'II' && order !== 'MM') {
    throw new ImageFormatError('not a TIFF file (no II/MM byte-order mark)');
  }
  const littleEndian = order === 'II';
  const view = viewOf(bytes);
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
  const container: TiffContainer = { source, littleEndian, bigTiff };
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
      `first image directory at byte ${firstIfd} lies outside the ${fileSize}-byte file`,
    );
  }
  return { container, ifds };
}

/** The IFDs a page's SubIFDs tag points to (an OME-TIFF's reduced levels), in tag order. */
export function subIfds(ifd: Ifd): Ifd[] {
  return (ifd.numbers(Tag.SubIFDs) ?? []).map((offset) => readIfd(ifd.container, offset, 0)!.ifd);
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
  const { littleEndian: le, source } = c;
  const fileSize = source.size;
  const countSize = c.bigTiff ? 8 : 2;
  const entrySize = c.bigTiff ? 20 : 12;
  const inlineSize = c.bigTiff ? 8 : 4;
  const fail = (reason: string): undefined => {
    if (index === 0) throw new ImageFormatError(reason);
    return undefined;
  };
  if (offset + countSize > fileSize) {
    return fail(`image directory at byte ${offset} lies outside the ${fileSize}-byte file`);
  }
  const countView = viewOf(source.read(offset, countSize));
  const count = c.bigTiff ? safeNumber(countView.getBigUint64(0, le)) : countView.getUint16(0, le);
  if (count > MAX_ENTRIES) {
    return fail(`image directory at byte ${offset} declares ${count} entries (corrupt?)`);
  }
  const entriesStart = offset + countSize;
  const end = entriesStart + count * entrySize;
  if (end > fileSize) {
    return fail(
      `image directory at byte ${offset} declares ${count} entries but the file ends first (truncated?)`,
    );
  }
  // The entries and the next-directory pointer in one read; positions below are within `block`.
  const block = source.read(entriesStart, count * entrySize + inlineSize);
  const view = viewOf(block);
  const entries = new Map<number, Entry>();
  for (let i = 0; i < count; i++) {
    const at = i * entrySize;
    const tag = view.getUint16(at, le);
    const type = view.getUint16(at + 2, le);
    const size = FIELD_TYPE_SIZE[type];
    if (size === undefined) continue; // unknown field type: skip, as the spec asks
    const valueCount = c.bigTiff
      ? safeNumber(view.getBigUint64(at + 4, le))
      : view.getUint32(at + 4, le);
    const valueField = at + 4 + (c.bigTiff ? 8 : 4);
    const length = valueCount * size;
    if (length <= inlineSize) {
      const inline = block.subarray(valueField, valueField + length);
      entries.set(tag, { type, count: valueCount, valueOffset: entriesStart + valueField, inline });
      continue;
    }
    const valueOffset = c.bigTiff
      ? safeNumber(view.getBigUint64(valueField, le))
      : view.getUint32(valueField, le);
    if (valueOffset + length > fileSize) continue; // value outside the file: treat the tag as absent
    entries.set(tag, { type, count: valueCount, valueOffset });
  }
  const tail = count * entrySize;
  const next =
    tail + inlineSize <= block.length
      ? c.bigTiff
        ? safeNumber(view.getBigUint64(tail, le))
        : view.getUint32(tail, le)
      : 0;
  return { ifd: new Ifd(c, offset, entries), next };
}

function safeNumber(value: bigint): number {
  // Offsets past 2^53 cannot be in any file we can hold; mark them as out of range.
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value);
}
