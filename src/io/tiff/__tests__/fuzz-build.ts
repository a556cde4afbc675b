import { zlibSync } from 'fflate';
import { seededRandom } from '../../../synth/random.js';
import { encodePackBits } from '../codecs.js';
import { encodeLzw } from '../lzw.js';

export interface Rng {
  next: () => number;
  int: (n: number) => number;
  pick: <T>(items: readonly T[]) => T;
}

export function rngFrom(seed: number): Rng {
  const next = seededRandom(seed);
  const int = (n: number): number => Math.floor(next() * n);
  return { next, int, pick: (items) => items[int(items.length)] };
}

// ---------------------------------------------------------------------------------------------
// A compact TIFF assembler for seeds that do not depend on ../shared.

export const TYPE_SIZE: Record<number, number> = {
  ...{ 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4 },
  ...{ 16: 8, 17: 8, 18: 8 },
};

export interface SeedSpec {
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

export function sampleValue(spec: SeedSpec, p: number, s: number, y: number, x: number): number {
  if (spec.bitsPerSample === 1) return (x * y + p + s) % 3 === 0 ? 1 : 0;
  if (spec.float) return Math.fround((x - y) * 0.75 + s * 100 - p);
  const v = 900 + x * 37 + y * 101 + s * 500 + p * 7 + ((x * y) >> 3);
  return spec.bitsPerSample === 8 ? v & 0xff : spec.bitsPerSample === 16 ? v & 0xffff : v * 977;
}

/** The pixels decodeTiffArray should return: pages first, then SYX (planar) or YXS. */
export function expectedPixels(spec: SeedSpec): number[] {
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
export function encodeChunk(
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

export type TagEntry = [tag: number, type: number, values: readonly number[]];

export function buildTiff(spec: SeedSpec): Uint8Array {
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

export const IMAGEJ = 'ImageJ=1.54f\nimages=3\nchannels=3\nmode=composite\nunit=micron\n';
export const BUILT_SEEDS: SeedSpec[] = [
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

export interface Seed {
  name: string;
  bytes: Uint8Array;
}

export const builtSeeds: Seed[] = BUILT_SEEDS.map((spec) => ({
  name: `built: ${spec.name}`,
  bytes: buildTiff(spec),
}));

/** JS heap and ArrayBuffer bytes alive right after a case, garbage included: a proxy for its peak. */
export const MEMORY_LIMIT = 1024 ** 3;
export function memoryInUse(): number {
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}
