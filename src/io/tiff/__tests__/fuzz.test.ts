import { zlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { CellscopeError, ImageFormatError } from '../../../errors.js';
import { HAS_SHARED, readSharedBytes, readSharedJson } from '../../../../test/shared.js';
import { seededRandom } from '../../../synth/random.js';
import { encodePackBits } from '../codecs.js';
import { encodeLzw } from '../lzw.js';
import { decodeTiffArray, tiffArrayToStack } from '../read.js';
import { Tag } from '../tags.js';

// Mutated valid TIFFs must read or raise a CellscopeError: never crash, hang, allocate absurdly,
// or escape as an untyped exception (not even one that decodeTiffArray's safety net wraps).
// CELLSCOPE_FUZZ_CASES sets the case count (at least 2,000 on CI); CELLSCOPE_FUZZ_SEED the run.

const requested = Number(process.env.CELLSCOPE_FUZZ_CASES) || 2000;
const CASES = process.env.CI ? Math.max(2000, requested) : requested;
const BASE_SEED = Number(process.env.CELLSCOPE_FUZZ_SEED) >>> 0 || 0x7ce11;

interface Rng {
  next: () => number;
  int: (n: number) => number;
  pick: <T>(items: readonly T[]) => T;
}

function rngFrom(seed: number): Rng {
  const next = seededRandom(seed);
  const int = (n: number): number => Math.floor(next() * n);
  return { next, int, pick: (items) => items[int(items.length)] };
}

// ---------------------------------------------------------------------------------------------
// A compact TIFF assembler for seeds that do not depend on ../shared.

const TYPE_SIZE: Record<number, number> = {
  ...{ 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4 },
  ...{ 16: 8, 17: 8, 18: 8 },
};

interface SeedSpec {
  name: string;
  littleEndian: boolean;
  bigTiff?: boolean;
  width: number;
  height: number;
  samplesPerPixel?: number;
  bitsPerSample: 1 | 8 | 16 | 32;
  float?: boolean;
  compression: 1 | 5 | 8 | 32773;
  predictor?: 1 | 2;
  planar?: boolean;
  /** Square tiles of this size; strips of `rowsPerStrip` rows otherwise. */
  tile?: number;
  rowsPerStrip?: number;
  pages?: number;
  description?: string;
  /** ImageJ slice labels, stored in the IJMetadata tag. */
  labels?: string[];
  /** ImageJ's layout for big stacks: one IFD, every page's pixels back to back. */
  contiguous?: boolean;
}

function sampleValue(spec: SeedSpec, p: number, s: number, y: number, x: number): number {
  if (spec.bitsPerSample === 1) return (x * y + p + s) % 3 === 0 ? 1 : 0;
  if (spec.float) return Math.fround((x - y) * 0.75 + s * 100 - p);
  const v = 900 + x * 37 + y * 101 + s * 500 + p * 7 + ((x * y) >> 3);
  return spec.bitsPerSample === 8 ? v & 0xff : spec.bitsPerSample === 16 ? v & 0xffff : v * 977;
}

/** The pixels decodeTiffArray should return: pages first, then SYX (planar) or YXS. */
function expectedPixels(spec: SeedSpec): number[] {
  const { width, height } = spec;
  const spp = spec.samplesPerPixel ?? 1;
  const values: number[] = [];
  for (let p = 0; p < (spec.pages ?? 1); p++) {
    if (spec.planar) {
      for (let s = 0; s < spp; s++)
        for (let y = 0; y < height; y++)
          for (let x = 0; x < width; x++) values.push(sampleValue(spec, p, s, y, x));
    } else {
      for (let y = 0; y < height; y++)
        for (let x = 0; x < width; x++)
          for (let s = 0; s < spp; s++) values.push(sampleValue(spec, p, s, y, x));
    }
  }
  return values;
}

/** Stored bytes of one strip or tile: predictor, byte order and compression applied. */
function encodeChunk(
  spec: SeedSpec,
  p: number,
  samples: number[],
  y0: number,
  x0: number,
  rows: number,
  cols: number,
): Uint8Array {
  const { bitsPerSample: bits } = spec;
  const perPixel = samples.length;
  const values: number[] = [];
  for (let y = y0; y < y0 + rows; y++) {
    for (let x = x0; x < x0 + cols; x++) {
      for (const s of samples) {
        const inside = y < spec.height && x < spec.width;
        values.push(inside ? sampleValue(spec, p, s, y, x) : 0);
      }
    }
  }
  if (spec.predictor === 2) {
    const rowLength = cols * perPixel;
    for (let r = 0; r < rows; r++) {
      for (let i = (r + 1) * rowLength - 1; i >= r * rowLength + perPixel; i--) {
        values[i] = (values[i] - values[i - perPixel]) & (2 ** bits - 1);
      }
    }
  }
  let raw: Uint8Array;
  if (bits === 1) {
    const rowBytes = Math.ceil((cols * perPixel) / 8);
    raw = new Uint8Array(rows * rowBytes);
    values.forEach((v, i) => {
      const r = Math.floor(i / (cols * perPixel));
      const c = i % (cols * perPixel);
      raw[r * rowBytes + (c >> 3)] |= v << (7 - (c & 7));
    });
  } else {
    raw = new Uint8Array((values.length * bits) / 8);
    const view = new DataView(raw.buffer);
    values.forEach((v, i) => {
      if (bits === 8) view.setUint8(i, v);
      else if (bits === 16) view.setUint16(i * 2, v, spec.littleEndian);
      else if (spec.float) view.setFloat32(i * 4, v, spec.littleEndian);
      else view.setUint32(i * 4, v >>> 0, spec.littleEndian);
    });
  }
  if (spec.compression === 5) return encodeLzw(raw);
  if (spec.compression === 8) return zlibSync(raw);
  if (spec.compression === 32773) return encodePackBits(raw);
  return raw;
}

type TagEntry = [tag: number, type: number, values: readonly number[]];

function buildTiff(spec: SeedSpec): Uint8Array {
  const le = spec.littleEndian;
  const big = spec.bigTiff ?? false;
  const spp = spec.samplesPerPixel ?? 1;
  const pages = spec.pages ?? 1;
  let buffer = new Uint8Array(1 << 16);
  let length = 0;
  const reserve = (n: number): DataView => {
    if (length + n > buffer.length) {
      const grown = new Uint8Array(Math.max(buffer.length * 2, length + n));
      grown.set(buffer);
      buffer = grown;
    }
    return new DataView(buffer.buffer);
  };
  const put = (type: number, value: number, at: number): void => {
    const view = reserve(0);
    const size = TYPE_SIZE[type];
    if (size === 1) view.setUint8(at, value);
    else if (size === 2) view.setUint16(at, value, le);
    else if (size === 4) view.setUint32(at, value, le);
    else view.setBigUint64(at, BigInt(value), le);
  };
  const align = (): void => {
    reserve(1);
    length += length % 2;
  };
  length = big ? 16 : 8;
  reserve(length);
  put(1, le ? 0x49 : 0x4d, 0);
  put(1, le ? 0x49 : 0x4d, 1);
  put(3, big ? 43 : 42, 2);
  if (big) put(3, 8, 4);

  // Pixel data first, back to back (the contiguous ImageJ layout relies on that).
  const tile = spec.tile;
  const chunkRows = tile ?? spec.rowsPerStrip ?? spec.height;
  const chunkCols = tile ?? spec.width;
  const planes = spec.planar ? spp : 1;
  const offsets: number[][] = [];
  const counts: number[][] = [];
  for (let p = 0; p < pages; p++) {
    offsets.push([]);
    counts.push([]);
    for (let plane = 0; plane < planes; plane++) {
      const samples = spec.planar ? [plane] : Array.from({ length: spp }, (_, s) => s);
      for (let y0 = 0; y0 < spec.height; y0 += chunkRows) {
        for (let x0 = 0; x0 < spec.width; x0 += chunkCols) {
          const rows = tile ?? Math.min(chunkRows, spec.height - y0);
          const data = encodeChunk(spec, p, samples, y0, x0, rows, chunkCols);
          reserve(data.length);
          buffer.set(data, length);
          offsets[p].push(length);
          counts[p].push(data.length);
          length += data.length;
        }
      }
    }
  }

  const offsetType = big ? 16 : 4;
  let previousNext = big ? 8 : 4;
  for (let p = 0; p < (spec.contiguous ? 1 : pages); p++) {
    const entries: TagEntry[] = [
      [256, 4, [spec.width]],
      [257, 3, [spec.height]],
      [258, 3, Array<number>(spp).fill(spec.bitsPerSample)],
      [259, 3, [spec.compression]],
      [262, 3, [spp === 3 ? 2 : 1]],
      [277, 3, [spp]],
      [tile ? 324 : 273, offsetType, offsets[p]],
      [tile ? 325 : 279, offsetType, counts[p]],
    ];
    if (tile) entries.push([322, 4, [tile]], [323, 3, [tile]]);
    else entries.push([278, 3, [chunkRows]]);
    if (spec.planar) entries.push([284, 3, [2]]);
    if (spec.predictor === 2) entries.push([317, 3, [2]]);
    if (spec.float) entries.push([339, 3, Array<number>(spp).fill(3)]);
    if (p === 0 && spec.description) {
      entries.push([270, 2, [...new TextEncoder().encode(spec.description), 0]]);
    }
    if (p === 0 && spec.labels) {
      // ImageJ's IJMetadata: "IJIJ", one (type, count) header, then UTF-16BE strings.
      const head = [0x49, 0x4a, 0x49, 0x4a, 0x6c, 0x61, 0x62, 0x6c, 0, 0, 0, spec.labels.length];
      const strings = spec.labels.map((l) => [...l].flatMap((ch) => [0, ch.charCodeAt(0)]));
      entries.push(
        [50838, 4, [head.length, ...strings.map((s) => s.length)]],
        [50839, 1, [...head, ...strings.flat()]],
      );
    }
    entries.sort((a, b) => a[0] - b[0]);

    align();
    const ifdAt = length;
    put(offsetType, ifdAt, previousNext);
    const entrySize = big ? 20 : 12;
    const inline = big ? 8 : 4;
    const countSize = big ? 8 : 2;
    length += countSize + entries.length * entrySize + inline;
    reserve(0);
    put(big ? 16 : 3, entries.length, ifdAt);
    entries.forEach(([tag, type, values], i) => {
      const at = ifdAt + countSize + i * entrySize;
      put(3, tag, at);
      put(3, type, at + 2);
      put(big ? 16 : 4, values.length, at + 4);
      let valueAt = at + 4 + (big ? 8 : 4);
      const bytes = values.length * TYPE_SIZE[type];
      if (bytes > inline) {
        align();
        put(big ? 16 : 4, length, valueAt);
        valueAt = length;
        length += bytes;
        reserve(0);
      }
      values.forEach((v, k) => put(type, v, valueAt + k * TYPE_SIZE[type]));
    });
    previousNext = ifdAt + countSize + entries.length * entrySize;
    put(offsetType, 0, previousNext);
  }
  return buffer.slice(0, length);
}

const IMAGEJ = 'ImageJ=1.54f\nimages=3\nchannels=3\nmode=composite\nunit=micron\n';
const BUILT_SEEDS: SeedSpec[] = [
  {
    name: 'u8 LE strips',
    littleEndian: true,
    width: 24,
    height: 17,
    bitsPerSample: 8,
    compression: 1,
    rowsPerStrip: 5,
  },
  {
    name: 'u16 BE LZW predictor',
    littleEndian: false,
    width: 33,
    height: 21,
    bitsPerSample: 16,
    compression: 5,
    predictor: 2,
    rowsPerStrip: 8,
  },
  {
    name: 'u8 RGB PackBits',
    littleEndian: true,
    width: 40,
    height: 9,
    samplesPerPixel: 3,
    bitsPerSample: 8,
    compression: 32773,
    rowsPerStrip: 4,
  },
  {
    name: 'u16 LE deflate tiles, 2 pages',
    littleEndian: true,
    width: 37,
    height: 29,
    bitsPerSample: 16,
    compression: 8,
    tile: 16,
    pages: 2,
  },
  {
    name: 'BigTIFF u16 deflate predictor, 2 pages',
    littleEndian: true,
    bigTiff: true,
    width: 30,
    height: 12,
    bitsPerSample: 16,
    compression: 8,
    predictor: 2,
    rowsPerStrip: 5,
    pages: 2,
  },
  {
    name: 'BigTIFF BE f32 LZW planar tiles',
    littleEndian: false,
    bigTiff: true,
    width: 20,
    height: 18,
    samplesPerPixel: 2,
    planar: true,
    bitsPerSample: 32,
    float: true,
    compression: 5,
    tile: 16,
  },
  {
    name: 'ImageJ u16 BE, 3 pages with labels',
    littleEndian: false,
    width: 19,
    height: 11,
    bitsPerSample: 16,
    compression: 1,
    pages: 3,
    description: IMAGEJ,
    labels: ['DAPI', 'GFP', 'RFP'],
  },
  {
    name: 'ImageJ contiguous u16 LE',
    littleEndian: true,
    width: 21,
    height: 13,
    bitsPerSample: 16,
    compression: 1,
    pages: 3,
    contiguous: true,
    description: IMAGEJ,
  },
  {
    name: 'bilevel PackBits',
    littleEndian: true,
    width: 21,
    height: 7,
    bitsPerSample: 1,
    compression: 32773,
    rowsPerStrip: 3,
  },
  {
    name: 'u32 LE LZW',
    littleEndian: true,
    width: 15,
    height: 10,
    bitsPerSample: 32,
    compression: 5,
  },
];

// ---------------------------------------------------------------------------------------------
// Where a valid seed keeps its structure, so mutations can aim at it.

interface EntryInfo {
  tag: number;
  type: number;
  count: number;
  /** Byte offset of the entry, and of its value (inline or not). */
  at: number;
  valueAt: number;
}

interface IfdInfo {
  at: number;
  entries: EntryInfo[];
  nextAt: number;
}

interface TiffMap {
  littleEndian: boolean;
  bigTiff: boolean;
  ifds: IfdInfo[];
  /** Header, IFDs and out-of-line tag values: the bytes flips favour. */
  hot: [start: number, end: number][];
}

function mapTiff(bytes: Uint8Array): TiffMap {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = bytes[0] === 0x49;
  const big = view.getUint16(2, le) === 43;
  const offset = (at: number): number =>
    big ? Number(view.getBigUint64(at, le)) : view.getUint32(at, le);
  const hot: [number, number][] = [[0, big ? 16 : 8]];
  const ifds: IfdInfo[] = [];
  const seen = new Set<number>();
  for (let at = offset(big ? 8 : 4); at !== 0 && !seen.has(at);) {
    seen.add(at);
    const count = big ? Number(view.getBigUint64(at, le)) : view.getUint16(at, le);
    const entrySize = big ? 20 : 12;
    const first = at + (big ? 8 : 2);
    const entries: EntryInfo[] = [];
    for (let i = 0; i < count; i++) {
      const e = first + i * entrySize;
      const type = view.getUint16(e + 2, le);
      const valueCount = big ? Number(view.getBigUint64(e + 4, le)) : view.getUint32(e + 4, le);
      const valueField = e + (big ? 12 : 8);
      const size = valueCount * (TYPE_SIZE[type] ?? 1);
      const valueAt = size <= (big ? 8 : 4) ? valueField : offset(valueField);
      if (valueAt !== valueField) hot.push([valueAt, valueAt + size]);
      entries.push({ tag: view.getUint16(e, le), type, count: valueCount, at: e, valueAt });
    }
    const nextAt = first + count * entrySize;
    hot.push([at, nextAt + (big ? 8 : 4)]);
    ifds.push({ at, entries, nextAt });
    at = offset(nextAt);
  }
  return { littleEndian: le, bigTiff: big, ifds, hot };
}

// ---------------------------------------------------------------------------------------------
// Mutations.

interface Mutant {
  bytes: Uint8Array;
  what: string;
}

/** Tags whose values decide sizes and positions: the ones a corrupt file most often gets wrong. */
const LAYOUT_TAGS = [256, 257, 258, 259, 273, 277, 278, 279, 284, 317, 322, 323, 324, 325, 339];

function writeUint(bytes: Uint8Array, at: number, size: number, value: bigint, le: boolean): void {
  const v = BigInt.asUintN(size * 8, value);
  for (let i = 0; i < size && at + i < bytes.length; i++) {
    const shift = BigInt(8 * (le ? i : size - 1 - i));
    bytes[at + i] = Number((v >> shift) & 0xffn);
  }
}

function readUint(bytes: Uint8Array, at: number, size: number, le: boolean): bigint {
  let v = 0n;
  for (let i = 0; i < size && at + i < bytes.length; i++) {
    v |= BigInt(bytes[at + i]) << BigInt(8 * (le ? i : size - 1 - i));
  }
  return v;
}

function interesting(rng: Rng, old: bigint, fileLength: number): bigint {
  const n = BigInt(fileLength);
  return rng.pick([
    0n,
    1n,
    2n,
    0x7fn,
    0xffn,
    0x7fffn,
    0x8000n,
    0xffffn,
    0x10001n,
    0x7fffffffn,
    0x80000000n,
    0xffffffffn,
    2n ** 53n,
    2n ** 63n,
    2n ** 64n - 1n,
    n - 1n,
    n,
    n + 1n,
    old * 2n,
    old * 1000n,
    old + 1n,
    old - 1n,
    BigInt(rng.int(2 ** 32)),
  ]);
}

type Mutation = (bytes: Uint8Array, map: TiffMap, rng: Rng) => string;

/** A byte of the header, an IFD or a tag value, each byte equally likely. */
function hotOffset(map: TiffMap, rng: Rng, length: number): number {
  let k = rng.int(map.hot.reduce((sum, [start, end]) => sum + end - start, 0));
  for (const [start, end] of map.hot) {
    if (k < end - start) return Math.min(length - 1, start + k);
    k -= end - start;
  }
  return 0;
}

const MUTATIONS: [weight: number, name: string, mutate: Mutation][] = [
  [
    35,
    'flip',
    (bytes, map, rng) => {
      const flips = 1 + rng.int(20);
      const at: number[] = [];
      for (let i = 0; i < flips; i++) {
        const pos = rng.next() < 0.75 ? hotOffset(map, rng, bytes.length) : rng.int(bytes.length);
        const kind = rng.int(4);
        bytes[pos] =
          kind === 0 ? bytes[pos] ^ (1 << rng.int(8)) : kind === 1 ? rng.int(256) : kind * 0x7f;
        at.push(pos);
      }
      return `flip bytes ${at.join(',')}`;
    },
  ],
  [
    20,
    'tag value',
    (bytes, map, rng) => {
      const ifd = rng.pick(map.ifds);
      const layout = ifd.entries.filter((e) => LAYOUT_TAGS.includes(e.tag));
      const entry = rng.pick(rng.next() < 0.8 && layout.length > 0 ? layout : ifd.entries);
      const size = Math.min(TYPE_SIZE[entry.type] ?? 4, 8);
      const index = rng.int(Math.max(1, entry.count));
      const at = entry.valueAt + index * size;
      const value = interesting(rng, readUint(bytes, at, size, map.littleEndian), bytes.length);
      writeUint(bytes, at, size, value, map.littleEndian);
      return `tag ${entry.tag} value[${index}] := ${value}`;
    },
  ],
  [
    5,
    'tag type',
    (bytes, map, rng) => {
      const entry = rng.pick(rng.pick(map.ifds).entries);
      const type = rng.pick([0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 18, 0xffff]);
      writeUint(bytes, entry.at + 2, 2, BigInt(type), map.littleEndian);
      return `tag ${entry.tag} type := ${type}`;
    },
  ],
  [
    8,
    'value count',
    (bytes, map, rng) => {
      const entry = rng.pick(rng.pick(map.ifds).entries);
      const size = map.bigTiff ? 8 : 4;
      const value = interesting(rng, BigInt(entry.count), bytes.length);
      writeUint(bytes, entry.at + 4, size, value, map.littleEndian);
      return `tag ${entry.tag} count := ${value}`;
    },
  ],
  [
    5,
    'entry count',
    (bytes, map, rng) => {
      const ifd = rng.pick(map.ifds);
      const value = interesting(rng, BigInt(ifd.entries.length), bytes.length);
      writeUint(bytes, ifd.at, map.bigTiff ? 8 : 2, value, map.littleEndian);
      return `IFD at ${ifd.at} entry count := ${value}`;
    },
  ],
  [
    6,
    'next IFD',
    (bytes, map, rng) => {
      const i = rng.int(map.ifds.length);
      const ifd = map.ifds[i];
      const target = rng.pick([
        BigInt(ifd.at), // a loop onto itself
        BigInt(map.ifds[0].at), // a loop back to the start
        BigInt(ifd.at + 2), // into its own entries
        BigInt(bytes.length),
        BigInt(bytes.length - 2),
        0xfffffff0n,
        BigInt(rng.int(bytes.length)),
      ]);
      writeUint(bytes, ifd.nextAt, map.bigTiff ? 8 : 4, target, map.littleEndian);
      return `IFD ${i} next := ${target}`;
    },
  ],
  [
    3,
    'first IFD',
    (bytes, map, rng) => {
      const target = rng.pick([0n, 8n, 1n, BigInt(bytes.length), 0xffffffffn, 2n ** 63n]);
      writeUint(bytes, map.bigTiff ? 8 : 4, map.bigTiff ? 8 : 4, target, map.littleEndian);
      return `first IFD := ${target}`;
    },
  ],
  [
    3,
    'description numbers',
    (bytes, map, rng) => {
      const entry = map.ifds[0].entries.find((e) => e.tag === 270);
      if (!entry) return 'no description';
      const digits: number[] = [];
      for (let i = entry.valueAt; i < entry.valueAt + entry.count && i < bytes.length; i++) {
        if (bytes[i] >= 0x30 && bytes[i] <= 0x39) digits.push(i);
      }
      if (digits.length === 0) return 'no digits';
      if (rng.next() < 0.5) {
        const changed = digits.filter(() => rng.next() < 0.5);
        for (const i of changed) bytes[i] = 0x30 + rng.int(10);
        return `description digits at ${changed.join(',')} rewritten`;
      }
      // A longer number, overwriting what follows it (ImageJ's images=, OME's SizeZ= ...).
      const at = rng.pick(digits);
      const text = `${1 + rng.int(10 ** (1 + rng.int(9)))}`;
      const end = Math.min(at + text.length, entry.valueAt + entry.count - 1, bytes.length);
      for (let i = at; i < end; i++) bytes[i] = text.charCodeAt(i - at);
      return `description number at ${at} := ${text}`;
    },
  ],
];
const TOTAL_WEIGHT = MUTATIONS.reduce((sum, [w]) => sum + w, 0);

function mutate(seed: Uint8Array, map: TiffMap, rng: Rng): Mutant {
  const roll = rng.next();
  if (roll < 0.15) {
    // Truncation: anywhere, inside the structure, or just short of the end.
    const length = rng.pick([
      rng.int(seed.length),
      hotOffset(map, rng, seed.length),
      seed.length - 1 - rng.int(16),
      rng.int(32),
    ]);
    return { bytes: seed.slice(0, Math.max(0, length)), what: `truncate to ${length}` };
  }
  const bytes = seed.slice();
  const rounds = roll < 0.25 ? 2 + rng.int(3) : 1;
  const what: string[] = [];
  for (let r = 0; r < rounds; r++) {
    let pick = rng.next() * TOTAL_WEIGHT;
    const [, name, fn] = MUTATIONS.find(([w]) => (pick -= w) < 0) ?? MUTATIONS[0];
    what.push(`${name}: ${fn(bytes, map, rng)}`);
  }
  return { bytes, what: what.join('; ') };
}

// ---------------------------------------------------------------------------------------------
// The check each case must pass.

function problemWith(error: unknown): string | undefined {
  if (error instanceof CellscopeError) {
    // decodeTiffArray's catch-all turns any other exception into this message; a real check never does.
    if (!(error instanceof ImageFormatError) || !error.message.startsWith('TIFF is malformed ('))
      return undefined;
    const cause = error.cause as Error;
    return `only decodeTiffArray's safety net caught ${cause.name}: ${cause.message}\n${cause.stack?.split('\n').slice(1, 4).join('\n')}`;
  }
  const e = error as Error;
  return `untyped ${e?.name}: ${e?.message}\n${e?.stack?.split('\n').slice(1, 4).join('\n')}`;
}

function checkCase(bytes: Uint8Array): string | undefined {
  let array;
  try {
    array = decodeTiffArray(bytes);
  } catch (error) {
    return problemWith(error);
  }
  const limit = Math.max(bytes.length * 1500, 1024 ** 2);
  if (array.data.byteLength > limit) {
    return `a ${bytes.length}-byte file decoded to ${array.data.byteLength} bytes`;
  }
  try {
    tiffArrayToStack(array);
  } catch (error) {
    return problemWith(error);
  }
  return undefined;
}

interface Seed {
  name: string;
  bytes: Uint8Array;
}

const builtSeeds: Seed[] = BUILT_SEEDS.map((spec) => ({
  name: `built: ${spec.name}`,
  bytes: buildTiff(spec),
}));
const sharedSeeds: Seed[] = HAS_SHARED
  ? readSharedJson<{ cases: { file: string; error?: boolean }[] }>('fixtures/tiff/manifest.json')
      .cases.filter((c) => !c.error)
      .map((c) => ({ name: c.file, bytes: readSharedBytes('fixtures/tiff', c.file) }))
  : [];
const seeds = [...builtSeeds, ...sharedSeeds];
const casesPerSeed = Math.ceil(CASES / seeds.length);
/** JS heap and ArrayBuffer bytes alive right after a case, garbage included: a proxy for its peak. */
const MEMORY_LIMIT = 1024 ** 3;
function memoryInUse(): number {
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

function specNamed(name: string): SeedSpec {
  return BUILT_SEEDS.find((spec) => spec.name.startsWith(name)) as SeedSpec;
}

function edited(name: string, edit: (bytes: Uint8Array, map: TiffMap) => void): Uint8Array {
  const bytes = buildTiff(specNamed(name));
  edit(bytes, mapTiff(bytes));
  return bytes;
}

function setTag(bytes: Uint8Array, map: TiffMap, tag: number, value: bigint): void {
  const entry = map.ifds[0].entries.find((e) => e.tag === tag) as EntryInfo;
  writeUint(bytes, entry.valueAt, TYPE_SIZE[entry.type], value, map.littleEndian);
}

describe('TIFF reader under fuzzing', () => {
  it.each(BUILT_SEEDS.map((spec, i) => [spec.name, spec, builtSeeds[i].bytes] as const))(
    'built seed %s reads back its pixels',
    (_, spec, bytes) => {
      const array = decodeTiffArray(bytes);
      expect(Array.from(array.data)).toEqual(expectedPixels(spec));
      if (spec.labels) expect(array.channelNames).toEqual(spec.labels);
    },
  );

  // One case per bug the fuzzer found, so each stays fixed whatever the case count.
  it('refuses a tile far larger than its stored bytes before allocating it', () => {
    const bytes = edited('u16 LE deflate tiles', (b, map) =>
      setTag(b, map, Tag.TileWidth, 2n ** 32n - 1n),
    );
    expect(() => decodeTiffArray(bytes)).toThrow(/strip\/tile 0 stores \d+ bytes, too few/);
  });

  it('ignores ImageJ labels whose header runs past the IJMetadata bytes', () => {
    const bytes = edited('ImageJ u16 BE', (b, map) => {
      setTag(b, map, Tag.ImageJMetadataByteCounts, 0x7ffffff0n);
      const data = map.ifds[0].entries.find((e) => e.tag === Tag.ImageJMetadata)!;
      b.set([0x69, 0x6e, 0x66, 0x6f], data.valueAt + 4); // "info" where "labl" was
    });
    expect(decodeTiffArray(bytes).imagej?.labels).toBeUndefined();
  });

  it('checks a contiguous ImageJ stack against the file before allocating it', () => {
    const before = memoryInUse();
    // 4,000,000 images of 546 bytes: 2.2 GB, under maxBytes, from a 2 kB file.
    const description = 'ImageJ=1.54f\nimages=4000000\n';
    const bytes = buildTiff({ ...specNamed('ImageJ contiguous'), description });
    expect(() => decodeTiffArray(bytes)).toThrow(/runs past the end of the file/);
    expect(memoryInUse() - before).toBeLessThan(MEMORY_LIMIT);
  });

  it.each(seeds.map((seed, s) => [seed.name, s] as const))(
    `${casesPerSeed} mutants of %s read or fail with a CellscopeError`,
    (_, s) => {
      const seed = seeds[s];
      const map = mapTiff(seed.bytes);
      const failures: string[] = [];
      const before = memoryInUse();
      let peakMemory = 0;
      for (let k = 0; k < casesPerSeed; k++) {
        const caseIndex = s * casesPerSeed + k;
        const rng = rngFrom(BASE_SEED ^ Math.imul(caseIndex + 1, 0x9e3779b1));
        const mutant = mutate(seed.bytes, map, rng);
        const problem = checkCase(mutant.bytes);
        if (problem) failures.push(`case ${caseIndex} (${mutant.what}): ${problem}`);
        peakMemory = Math.max(peakMemory, memoryInUse());
      }
      const replay = `CELLSCOPE_FUZZ_SEED=${BASE_SEED} CELLSCOPE_FUZZ_CASES=${CASES}`;
      expect(failures.slice(0, 10), `${failures.length} failing cases (${replay})`).toEqual([]);
      expect(peakMemory - before).toBeLessThan(MEMORY_LIMIT);
    },
  );
});
