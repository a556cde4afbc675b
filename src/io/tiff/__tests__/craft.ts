import { Tag } from '../tags.js';

/** One page of a hand-made TIFF: what its header claims, and which stored blob each chunk is. */
export interface CraftPage {
  width: number;
  height: number;
  /** TIFF compression code. @default 1 (none) */
  compression?: number;
  samplesPerPixel?: number;
  /** Tiles of this size; strips of `rowsPerStrip` rows otherwise. */
  tile?: { width: number; height: number };
  rowsPerStrip?: number;
  description?: string;
  /** For each strip/tile, the index of the blob it points at (pages may share blobs). */
  chunks: number[];
}

/**
 * A little-endian classic TIFF of 8-bit pages whose strips/tiles point at `blobs`, for tests
 * that need headers no writer would produce (bombs, shared strips, truncated series).
 */
export function craftTiff(blobs: readonly Uint8Array[], pages: readonly CraftPage[]): Uint8Array {
  const parts: number[] = [];
  const u16 = (at: number, v: number): void => {
    parts[at] = v & 0xff;
    parts[at + 1] = (v >> 8) & 0xff;
  };
  const u32 = (at: number, v: number): void => {
    for (let i = 0; i < 4; i++) parts[at + i] = (v >>> (8 * i)) & 0xff;
  };
  const chunks: Uint8Array[] = [];
  let length = 8;
  const blobOffsets = blobs.map((blob) => {
    const at = length;
    chunks.push(blob);
    length += blob.length;
    return at;
  });
  // Everything after the blobs is small: build it in `parts`, offset by `length`.
  const base = length + (length % 2);
  let end = 0;
  const reserve = (n: number): number => {
    const at = end;
    end += n + (n % 2);
    for (let i = at; i < end; i++) parts[i] = 0;
    return at;
  };
  let previousNext = -1;
  let firstIfd = 0;
  for (const page of pages) {
    const entries: [number, number, number[] | string][] = [
      [Tag.ImageWidth, 4, [page.width]],
      [Tag.ImageLength, 4, [page.height]],
      [Tag.BitsPerSample, 3, Array<number>(page.samplesPerPixel ?? 1).fill(8)],
      [Tag.Compression, 3, [page.compression ?? 1]],
      [Tag.Photometric, 3, [1]],
      [Tag.SamplesPerPixel, 3, [page.samplesPerPixel ?? 1]],
    ];
    if (page.description !== undefined) entries.push([Tag.ImageDescription, 2, page.description]);
    const offsets = page.chunks.map((b) => blobOffsets[b]);
    const counts = page.chunks.map((b) => blobs[b].length);
    if (page.tile) {
      entries.push([Tag.TileWidth, 4, [page.tile.width]], [Tag.TileLength, 4, [page.tile.height]]);
      entries.push([Tag.TileOffsets, 4, offsets], [Tag.TileByteCounts, 4, counts]);
    } else {
      entries.push([Tag.RowsPerStrip, 4, [page.rowsPerStrip ?? page.height]]);
      entries.push([Tag.StripOffsets, 4, offsets], [Tag.StripByteCounts, 4, counts]);
    }
    entries.sort((a, b) => a[0] - b[0]);
    const values = entries.map(([, type, value]) => {
      const bytes =
        typeof value === 'string'
          ? [...new TextEncoder().encode(`${value}\0`)]
          : toBytes(type, value);
      if (bytes.length <= 4) return { inline: bytes, count: countOf(value) };
      const at = reserve(bytes.length);
      bytes.forEach((b, i) => (parts[at + i] = b));
      return { at, count: countOf(value) };
    });
    const ifd = reserve(2 + 12 * entries.length + 4);
    u16(ifd, entries.length);
    entries.forEach(([tag, type], i) => {
      const at = ifd + 2 + 12 * i;
      u16(at, tag);
      u16(at + 2, type);
      u32(at + 4, values[i].count);
      const value = values[i];
      if ('inline' in value) value.inline!.forEach((b, k) => (parts[at + 8 + k] = b));
      else u32(at + 8, base + value.at!);
    });
    if (previousNext >= 0) u32(previousNext, base + ifd);
    else firstIfd = base + ifd;
    previousNext = ifd + 2 + 12 * entries.length;
  }
  const out = new Uint8Array(base + end);
  out.set([0x49, 0x49, 42, 0]);
  new DataView(out.buffer).setUint32(4, firstIfd, true);
  let at = 8;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  out.set(
    Uint8Array.from(parts, (b) => b ?? 0),
    base,
  );
  return out;
}

function countOf(value: number[] | string): number {
  return typeof value === 'string' ? new TextEncoder().encode(`${value}\0`).length : value.length;
}

function toBytes(type: number, values: number[]): number[] {
  const size = type === 3 ? 2 : 4;
  const bytes: number[] = [];
  for (const v of values) for (let i = 0; i < size; i++) bytes.push((v >>> (8 * i)) & 0xff);
  return bytes;
}

/**
 * A valid zlib stream of `n` zero bytes, built directly (fixed Huffman: a literal 0, then
 * length-258 distance-1 matches, 13 bits each), so a test can hold a gigabyte bomb in
 * n / 160 bytes without compressing a gigabyte.
 */
export function zlibZeros(n: number): Uint8Array {
  const matches = Math.floor((n - 1) / 258);
  const literals = n - 1 - matches * 258;
  const bits = 3 + 8 * (1 + literals) + 13 * matches + 7;
  const out = new Uint8Array(2 + Math.ceil(bits / 8) + 4);
  out.set([0x78, 0x01]);
  let bit = 16;
  const put = (value: number, count: number): void => {
    for (let i = 0; i < count; i++, bit++) if ((value >> i) & 1) out[bit >> 3] |= 1 << (bit & 7);
  };
  // Huffman codes go most significant bit first.
  const code = (value: number, count: number): void => {
    for (let i = count - 1; i >= 0; i--, bit++)
      if ((value >> i) & 1) out[bit >> 3] |= 1 << (bit & 7);
  };
  put(1, 1); // BFINAL
  put(1, 2); // fixed Huffman
  for (let i = 0; i <= literals; i++) code(0b00110000, 8); // literal 0
  for (let i = 0; i < matches; i++) {
    code(0b11000101, 8); // length 258 (code 285)
    code(0, 5); // distance 1
  }
  code(0, 7); // end of block
  const adler = ((n % 65521) * 65536 + 1) >>> 0; // a = 1, b = n (mod 65521) for zeros
  new DataView(out.buffer).setUint32(out.length - 4, adler, false);
  return out;
}

/**
 * The header and one directory of an 8-bit `width` × `height` page whose single strip lies at
 * `stripOffset`, which may be far past the header (a sparse file) and, in a BigTIFF, past 4 GiB.
 */
export function headerForStripAt(
  width: number,
  height: number,
  stripOffset: number,
  options: { bigTiff?: boolean } = {},
): Uint8Array {
  const big = options.bigTiff ?? false;
  const entries: [tag: number, type: number, value: number][] = [
    [Tag.ImageWidth, 4, width],
    [Tag.ImageLength, 4, height],
    [Tag.BitsPerSample, 3, 8],
    [Tag.Compression, 3, 1],
    [Tag.Photometric, 3, 1],
    [Tag.StripOffsets, big ? 16 : 4, stripOffset],
    [Tag.SamplesPerPixel, 3, 1],
    [Tag.RowsPerStrip, 4, height],
    [Tag.StripByteCounts, 4, width * height],
  ];
  const headerSize = big ? 16 : 8;
  const entrySize = big ? 20 : 12;
  const out = new Uint8Array(
    headerSize + (big ? 8 : 2) + entries.length * entrySize + (big ? 8 : 4),
  );
  const view = new DataView(out.buffer);
  out.set([0x49, 0x49]);
  view.setUint16(2, big ? 43 : 42, true);
  if (big) {
    view.setUint16(4, 8, true);
    view.setBigUint64(8, BigInt(headerSize), true);
    view.setBigUint64(headerSize, BigInt(entries.length), true);
  } else {
    view.setUint32(4, headerSize, true);
    view.setUint16(headerSize, entries.length, true);
  }
  entries.forEach(([tag, type, value], i) => {
    const at = headerSize + (big ? 8 : 2) + i * entrySize;
    view.setUint16(at, tag, true);
    view.setUint16(at + 2, type, true);
    const valueAt = at + (big ? 12 : 8);
    if (big) view.setBigUint64(at + 4, 1n, true);
    else view.setUint32(at + 4, 1, true);
    if (type === 3) view.setUint16(valueAt, value, true);
    else if (type === 16) view.setBigUint64(valueAt, BigInt(value), true);
    else view.setUint32(valueAt, value, true);
  });
  return out;
}
