import { type Rng, TYPE_SIZE } from './fuzz-build.js';

// ---------------------------------------------------------------------------------------------
// Where a valid seed keeps its structure, so mutations can aim at it.

export interface EntryInfo {
  tag: number;
  type: number;
  count: number;
  /** Byte offset of the entry, and of its value (inline or not). */
  at: number;
  valueAt: number;
}

export interface IfdInfo {
  at: number;
  entries: EntryInfo[];
  nextAt: number;
}

export interface TiffMap {
  littleEndian: boolean;
  bigTiff: boolean;
  ifds: IfdInfo[];
  /** Header, IFDs and out-of-line tag values: the bytes flips favour. */
  hot: [start: number, end: number][];
}

export function mapTiff(bytes: Uint8Array): TiffMap {
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

export interface Mutant {
  bytes: Uint8Array;
  what: string;
}

/** Tags whose values decide sizes and positions: the ones a corrupt file most often gets wrong. */
export const LAYOUT_TAGS = [
  256, 257, 258, 259, 273, 277, 278, 279, 284, 317, 322, 323, 324, 325, 339,
];

export function writeUint(
  bytes: Uint8Array,
  at: number,
  size: number,
  value: bigint,
  le: boolean,
): void {
  const v = BigInt.asUintN(size * 8, value);
  for (let i = 0; i < size && at + i < bytes.length; i++) {
    const shift = BigInt(8 * (le ? i : size - 1 - i));
    bytes[at + i] = Number((v >> shift) & 0xffn);
  }
}

export function readUint(bytes: Uint8Array, at: number, size: number, le: boolean): bigint {
  let v = 0n;
  for (let i = 0; i < size && at + i < bytes.length; i++) {
    v |= BigInt(bytes[at + i]) << BigInt(8 * (le ? i : size - 1 - i));
  }
  return v;
}

export function interesting(rng: Rng, old: bigint, fileLength: number): bigint {
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

export type Mutation = (bytes: Uint8Array, map: TiffMap, rng: Rng) => string;

/** A byte of the header, an IFD or a tag value, each byte equally likely. */
export function hotOffset(map: TiffMap, rng: Rng, length: number): number {
  let k = rng.int(map.hot.reduce((sum, [start, end]) => sum + end - start, 0));
  for (const [start, end] of map.hot) {
    if (k < end - start) return Math.min(length - 1, start + k);
    k -= end - start;
  }
  return 0;
}

export const MUTATIONS: [weight: number, name: string, mutate: Mutation][] = [
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
export const TOTAL_WEIGHT = MUTATIONS.reduce((sum, [w]) => sum + w, 0);

export function mutate(seed: Uint8Array, map: TiffMap, rng: Rng): Mutant {
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
